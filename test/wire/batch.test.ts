import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BatchItemResponse, type BatchStep, parseBatch, runBatch } from '../../src/wire/batch.ts';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, describeResponse, startTestServer } from '../helpers/server.ts';
import { bearer, mintToken } from '../helpers/tokens.ts';

const graphJson = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const adele = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
const megan = '8b081ef6-4792-4def-b2c9-c363a1bf41d5';
const lee = '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca';
const q4Chat = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
const json = { 'Content-Type': 'application/json' };
const member = (userId: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
});
const groupChat = (topic: string) => ({ chatType: 'group', topic, members: [adele, megan, lee].map(member) });
const get = (id: string, url: string, extra: object = {}) => ({ id, method: 'GET', url, ...extra });

/** The batch's items by id, after checking that each appears once. */
function byId(responses: BatchItemResponse[]): Map<string, BatchItemResponse> {
  const items = new Map(responses.map((item) => [item.id, item]));
  assert.equal(items.size, responses.length);
  return items;
}

/** A Graph error envelope inside a batch item, with the item's status and request ids. */
function assertItemError(item: BatchItemResponse | undefined, status: number, code: string, message?: string | RegExp): void {
  const detail = JSON.stringify(item);
  assert.equal(item?.status, status, detail);
  assert.equal(item?.headers['Content-Type'], graphJson, detail);
  const error = (item?.body as { error?: { code: string; message: string; innerError: Record<string, string> } } | undefined)?.error;
  assert.equal(error?.code, code, detail);
  if (message instanceof RegExp) assert.match(error?.message ?? '', message);
  else if (message !== undefined) assert.equal(error?.message, message);
  assert.match(error?.innerError.date ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, detail);
}

describe('batch scheduling', () => {
  const steps = (body: unknown): BatchStep[] => parseBatch({ requests: body });

  it('starts every independent request before the first one finishes, and a dependant only after its dependency', async () => {
    const started: string[] = [];
    const startedWhenFinished = new Map<string, string[]>();
    const execute = async (step: BatchStep): Promise<BatchItemResponse> => {
      started.push(step.id);
      await new Promise((resolve) => setImmediate(resolve));
      startedWhenFinished.set(step.id, [...started]);
      return { id: step.id, status: 200, headers: {} };
    };
    const responses = await runBatch(steps([get('a', '/me'), get('b', '/me'), get('c', '/me', { dependsOn: ['A'] }), get('d', '/me')]), execute, () =>
      assert.fail('nothing fails'),
    );
    assert.deepEqual(
      responses.map((response) => response.id),
      ['a', 'b', 'c', 'd'],
    );
    assert.deepEqual(startedWhenFinished.get('a'), ['a', 'b', 'd']);
    assert.deepEqual(started, ['a', 'b', 'd', 'c']);
  });

  it('answers the dependants of a failed request, and theirs, without running them', async () => {
    const ran: string[] = [];
    const execute = (step: BatchStep): Promise<BatchItemResponse> => {
      ran.push(step.id);
      return Promise.resolve({ id: step.id, status: step.id === '1' ? 404 : 200, headers: {} });
    };
    const failed = (step: BatchStep, failedId: string): BatchItemResponse => ({ id: step.id, status: 424, headers: {}, body: failedId });
    const batch = steps([get('1', '/x'), get('2', '/x', { dependsOn: ['1'] }), get('3', '/x', { dependsOn: ['2'] }), get('4', '/x')]);
    const responses = await runBatch(batch, execute, failed);
    assert.deepEqual(
      responses.map((response) => [response.id, response.status, response.body]),
      [
        ['1', 404, undefined],
        ['2', 424, '1'],
        ['3', 424, '2'],
        ['4', 200, undefined],
      ],
    );
    assert.deepEqual(ran.sort(), ['1', '4']);
  });
});

// The scheme of links is the server's, whatever the store: one dialect is enough.
describe('JSON $batch over https', () => {
  let server: TestServer;
  let dataDir: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-batch-'));
    server = await startTestServer('sqlite', ['--https', '--data', dataDir]);
  });
  after(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('links in item bodies keep the https scheme and host of the batch', async () => {
    const ca = fs.readFileSync(path.join(dataDir, 'tls', 'localhost.crt'));
    const text = await new Promise<string>((resolve, reject) => {
      const request = https.request(`${server.url}/v1.0/$batch`, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(body));
      });
      request.on('error', reject);
      request.end(JSON.stringify({ requests: [get('users', '/users?$top=1')] }));
    });
    const users = (JSON.parse(text) as { responses: BatchItemResponse[] }).responses[0]?.body as { '@odata.context': string; '@odata.nextLink': string };
    assert.equal(users['@odata.context'], `${server.url}/v1.0/$metadata#users`);
    assert.ok(users['@odata.nextLink'].startsWith(`${server.url}/v1.0/users?`), users['@odata.nextLink']);
    assert.ok(server.url.startsWith('https://'));
  });
});

for (const dialect of testDialects()) {
  describe(`JSON $batch on ${dialect}`, () => {
    let server: TestServer;
    const batch = (requests: unknown, headers: Record<string, string> = {}, version = 'v1.0') =>
      server.request('POST', `/${version}/$batch`, { body: { requests }, headers });
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 runs GET, POST, PATCH and DELETE with relative URLs, with and without a leading slash and in key syntax', async () => {
      const doomed = await server.request('POST', '/v1.0/chats', { body: groupChat('Doomed chat') });
      assertStatus(doomed, 201);
      const response = await batch([
        { id: 'create', method: 'POST', url: '/chats', headers: json, body: groupChat('Made in a batch') },
        get('key', `chats('${q4Chat}')?$select=topic`),
        {
          id: 'patch',
          method: 'patch',
          url: `/chats/${encodeURIComponent(doomed.body.id)}`,
          headers: { 'content-type': 'application/json' },
          body: { topic: 'Renamed in a batch' },
        },
        { id: 'delete', method: 'DELETE', url: `/chats/${encodeURIComponent(doomed.body.id)}`, dependsOn: ['patch'] },
        get('me', 'me', { headers: { 'client-request-id': 'item-trace' } }),
        get('versioned', '/v1.0/users?$top=1'),
      ]);
      assertStatus(response, 200);
      assert.equal(response.headers.get('content-type'), graphJson);
      assert.deepEqual(
        response.body.responses.map((item: BatchItemResponse) => item.id),
        ['create', 'key', 'patch', 'delete', 'me', 'versioned'],
      );
      const items = byId(response.body.responses);

      const created = items.get('create');
      assert.equal(created?.status, 201, JSON.stringify(created));
      assert.equal(created?.headers['Content-Type'], graphJson);
      assert.match(created?.headers['request-id'] ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(created?.headers['client-request-id'], response.headers.get('client-request-id'));
      assert.equal(created?.headers['Content-Length'], undefined);
      const createdChat = created?.body as { id: string; topic: string };
      assert.equal(createdChat.topic, 'Made in a batch');
      assertStatus(await server.request('GET', `/v1.0/chats/${encodeURIComponent(createdChat.id)}`), 200);

      assert.deepEqual(items.get('key')?.body, { '@odata.context': `${server.url}/v1.0/$metadata#chats(topic)/$entity`, id: q4Chat, topic: 'Q4 planning' });
      assert.equal(items.get('patch')?.status, 200);
      assert.equal((items.get('patch')?.body as { topic: string }).topic, 'Renamed in a batch');
      assert.equal(items.get('delete')?.status, 204);
      assert.equal(items.get('delete')?.body, undefined);
      assertGraphError(await server.request('GET', `/v1.0/chats/${encodeURIComponent(doomed.body.id)}`), 404, 'NotFound');
      assert.equal((items.get('me')?.body as { id: string }).id, adele);
      assert.equal(items.get('me')?.headers['client-request-id'], 'item-trace');
      const users = items.get('versioned')?.body as { '@odata.nextLink': string; value: unknown[] };
      assert.equal(users.value.length, 1);
      assert.ok(users['@odata.nextLink'].startsWith(`${server.url}/v1.0/users?$top=1&$skiptoken=`), users['@odata.nextLink']);
    });

    it('200 on /beta/$batch runs beta-only requests', async () => {
      const response = await batch([get('sections', '/me/teamwork/sections')], {}, 'beta');
      assertStatus(response, 200);
      const item = response.body.responses[0] as BatchItemResponse;
      assert.equal(item.status, 200, JSON.stringify(item));
      assert.match((item.body as { '@odata.context': string })['@odata.context'], /\/beta\/\$metadata#/);
      const inV1 = await batch([get('sections', '/me/teamwork/sections')]);
      assert.equal(inV1.body.responses[0].status, 400);
    });

    it('carries per-request failures as Graph envelopes with their own status, as the direct call answers them', async () => {
      const response = await batch([
        get('missing', '/chats/19:nothing@thread.v2'),
        get('segment', '/nowhere'),
        { id: 'invalid', method: 'POST', url: '/chats', headers: json, body: { chatType: 'group' } },
        { id: 'method', method: 'PUT', url: '/me', headers: json, body: {} },
        { id: 'media', method: 'PATCH', url: `/chats/${encodeURIComponent(q4Chat)}`, headers: { 'Content-Type': 'text/plain' }, body: 'topic' },
        get('select', '/me?$select=nonsense'),
      ]);
      assertStatus(response, 200);
      const items = byId(response.body.responses);
      for (const [id, url, method, body] of [
        ['missing', '/v1.0/chats/19:nothing@thread.v2', 'GET', undefined],
        ['segment', '/v1.0/nowhere', 'GET', undefined],
        ['invalid', '/v1.0/chats', 'POST', { chatType: 'group' }],
        ['method', '/v1.0/me', 'PUT', {}],
        ['select', '/v1.0/me?$select=nonsense', 'GET', undefined],
      ] as const) {
        const direct = await server.request(method, url, { body });
        assert.ok(direct.status >= 400, describeResponse(direct));
        assertItemError(items.get(id), direct.status, direct.body.error.code, direct.body.error.message);
      }
      assertItemError(items.get('media'), 415, 'UnsupportedMediaType');
    });

    it('dependsOn orders writes before the reads that depend on them', async () => {
      const response = await batch([
        { id: '1', method: 'PATCH', url: `/chats/${encodeURIComponent(q4Chat)}`, headers: json, body: { topic: 'First rename' } },
        { id: '2', method: 'GET', url: `/chats/${encodeURIComponent(q4Chat)}`, dependsOn: ['1'] },
        { id: '3', method: 'PATCH', url: `/chats/${encodeURIComponent(q4Chat)}`, headers: json, body: { topic: 'Q4 planning' }, dependsOn: ['2'] },
        { id: '4', method: 'GET', url: `/chats/${encodeURIComponent(q4Chat)}`, dependsOn: ['3'] },
      ]);
      const items = byId(response.body.responses);
      assert.equal((items.get('2')?.body as { topic: string }).topic, 'First rename');
      assert.equal((items.get('4')?.body as { topic: string }).topic, 'Q4 planning');
    });

    it('424 for the dependants of a failed request, transitively, and the others still run', async () => {
      const response = await batch([
        get('1', '/chats/19:nothing@thread.v2'),
        { id: '2', method: 'POST', url: '/chats', headers: json, body: groupChat('Never created'), dependsOn: ['1'] },
        get('3', '/me', { dependsOn: ['2'] }),
        get('4', '/me'),
      ]);
      assertStatus(response, 200);
      const items = byId(response.body.responses);
      assert.equal(items.get('1')?.status, 404);
      assertItemError(items.get('2'), 424, 'FailedDependency', 'Request Id 2 was not run: request 1, which it depends on, failed.');
      assertItemError(items.get('3'), 424, 'FailedDependency', 'Request Id 3 was not run: request 2, which it depends on, failed.');
      assert.equal(items.get('4')?.status, 200);
      const chats = await server.request('GET', '/v1.0/me/chats');
      assert.ok(!chats.body.value.some((chat: { topic: string }) => chat.topic === 'Never created'));
    });

    it('200 with an empty responses array for an empty batch', async () => {
      const response = await batch([]);
      assertStatus(response, 200);
      assert.deepEqual(response.body, { responses: [] });
    });

    it('refuses a $batch inside a batch, under any spelling', async () => {
      const nested = { requests: [get('inner', '/me')] };
      const response = await batch([
        { id: '1', method: 'POST', url: '/$batch', headers: json, body: nested },
        { id: '2', method: 'POST', url: '/beta/$BATCH/', headers: json, body: nested },
      ]);
      assertStatus(response, 200);
      for (const id of ['1', '2'])
        assertItemError(byId(response.body.responses).get(id), 400, 'BadRequest', 'A batch request cannot contain another $batch request.');
    });

    it('400 for the whole batch when it holds more than 20 requests, and 200 at 20', async () => {
      const requests = Array.from({ length: 21 }, (_, index) => get(String(index + 1), '/me'));
      assertGraphError(await batch(requests), 400, 'BadRequest', 'A batch holds at most 20 requests; this one has 21.');
      const twenty = await batch(requests.slice(0, 20));
      assertStatus(twenty, 200);
      assert.ok(twenty.body.responses.every((item: BatchItemResponse) => item.status === 200));
    });

    it('400 for duplicate ids, compared without case', async () => {
      assertGraphError(await batch([get('a', '/me'), get('A', '/me')]), 400, 'BadRequest', 'Request Id A has to be unique in a batch.');
    });

    it('400 for malformed batch bodies, before any request runs', async () => {
      const cases: [unknown, string | RegExp][] = [
        [{ requests: [{ method: 'GET', url: '/me' }] }, "Request at index 0 of the batch has no 'id'."],
        [{ requests: [{ id: 7, method: 'GET', url: '/me' }] }, "Request at index 0 of the batch has no 'id'."],
        [{ requests: [{ id: '1', url: '/me' }] }, "Request Id 1 has no valid 'method': use one of GET, POST, PATCH, PUT, DELETE."],
        [{ requests: [{ id: '1', method: 'HEAD', url: '/me' }] }, /^Request Id 1 has no valid 'method'/],
        [{ requests: [{ id: '1', method: 'GET' }] }, "Request Id 1 has no 'url'."],
        [{ requests: [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }] }, /^Request Id 1 has an absolute 'url'/],
        [
          { requests: [{ id: '1', method: 'POST', url: '/chats', body: groupChat('x') }] },
          'Write request id : 1 does not contain Content-Type header or body.',
        ],
        [{ requests: [{ id: '1', method: 'POST', url: '/chats', headers: json }] }, 'Write request id : 1 does not contain Content-Type header or body.'],
        [{ requests: [{ id: '1', method: 'GET', url: '/me', headers: { Prefer: 1 } }] }, "Request Id 1 has 'headers' that are not an object of string values."],
        [{ requests: [get('1', '/me', { dependsOn: ['9'] })] }, "Request Id 1 depends on '9', which is not a request before it in the batch."],
        [{ requests: [get('1', '/me', { dependsOn: '0' })] }, "Request Id 1 has a 'dependsOn' that is not an array of request ids."],
        [
          { requests: [get('1', '/me', { dependsOn: ['2'] }), get('2', '/me', { dependsOn: ['1'] })] },
          "Request Id 1 depends on '2', which is not a request before it in the batch.",
        ],
        [{ requests: [get('1', '/me', { dependsOn: ['1'] })] }, "Request Id 1 depends on '1', which is not a request before it in the batch."],
        [{ requests: [get('1', '/me', { atomicityGroup: 'g' })] }, 'Request Id 1 names an atomicityGroup; atomic groups are not supported.'],
        [{ requests: ['GET /me'] }, 'Request at index 0 of the batch is not a JSON object.'],
        [{ requests: { id: '1' } }, "The batch body must be a JSON object with a 'requests' array."],
        [{}, "The batch body must be a JSON object with a 'requests' array."],
        [[], "The batch body must be a JSON object with a 'requests' array."],
      ];
      for (const [body, message] of cases) {
        assertGraphError(await server.request('POST', '/v1.0/$batch', { body }), 400, 'BadRequest', message);
      }
      assertGraphError(
        await server.request('POST', '/v1.0/$batch', { rawBody: '{"requests": [', headers: json }),
        400,
        'BadRequest',
        /^Unable to read JSON request payload/,
      );
      assertGraphError(await server.request('POST', '/v1.0/$batch'), 400, 'BadRequest', "The batch body must be a JSON object with a 'requests' array.");
      const chats = await server.request('GET', '/v1.0/me/chats');
      assert.ok(!chats.body.value.some((chat: { topic: string }) => chat.topic === 'x'));
    });
  });

  describe(`JSON $batch authorization on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
    });
    after(() => server.close());

    it('401 for the whole batch without a token, as for a direct call', async () => {
      const response = await server.request('POST', '/v1.0/$batch', { body: { requests: [get('1', '/me')] } });
      assertGraphError(response, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      assert.ok(response.headers.get('www-authenticate'));
    });

    it("runs every request with the batch's token: 403 where it lacks the permission, exactly as the direct call", async () => {
      const token = await mintToken(server, { scp: 'User.Read', oid: megan });
      const response = await server.request('POST', '/v1.0/$batch', {
        body: { requests: [get('me', '/me'), get('chats', '/me/chats'), get('other', '/me', { headers: { Authorization: 'Bearer not-a-token' } })] },
        headers: bearer(token),
      });
      assertStatus(response, 200);
      const items = byId(response.body.responses);
      assert.equal((items.get('me')?.body as { id: string }).id, megan);
      assert.equal((items.get('other')?.body as { id: string }).id, megan);
      const direct = await server.request('GET', '/v1.0/me/chats', { headers: bearer(token) });
      assertGraphError(direct, 403, 'Forbidden');
      assertItemError(items.get('chats'), 403, 'Forbidden', direct.body.error.message);
    });
  });
}
