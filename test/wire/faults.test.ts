import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../helpers/server.ts';
import { appToken } from '../helpers/tokens.ts';
import { seededGroupChat } from '../resources/chats/chat-fixtures.ts';

// Random failures on purpose (decision 153): `--faults` and PUT /_teamgraph/faults.
const faultCodes: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};
const messagesPath = `/v1.0/chats/${seededGroupChat}/messages`;

async function setFaults(server: TestServer, body: unknown) {
  const response = await server.request('PUT', '/_teamgraph/faults', { body });
  assertStatus(response, 200);
  return response.body;
}

/** The statuses of `count` GETs of the signed-in user, one after another. */
async function statusesOf(server: TestServer, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let n = 0; n < count; n++) statuses.push((await server.request('GET', '/v1.0/me')).status);
  return statuses;
}

for (const dialect of testDialects()) {
  describe(`fault injection on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--faults', '1', '--faults-statuses', '503', '--faults-retry-after', '7']);
    });
    after(() => server.close());

    it('starts with the flags given: every Graph request fails 503 in the envelope, with Retry-After', async () => {
      const response = await server.request('GET', '/v1.0/me');
      assertGraphError(response, 503, 'ServiceUnavailable', /injected/);
      assert.equal(response.headers.get('retry-after'), '7');
      const settings = await server.request('GET', '/_teamgraph/faults');
      assertStatus(settings, 200);
      assert.deepEqual(settings.body, { rate: 1, statuses: [503], routes: ['/**'], retryAfterSeconds: 7, seed: null, injected: 1 });
    });

    it('each status takes its Graph code; Retry-After comes with 429 and 503 only', async () => {
      for (const status of [429, 500, 502, 503, 504]) {
        await setFaults(server, { rate: 1, statuses: [status], retryAfterSeconds: 2 });
        const response = await server.request('GET', `/beta/chats/${seededGroupChat}`);
        assertGraphError(response, status, faultCodes[status] as string);
        assert.equal(response.headers.get('retry-after'), status === 429 || status === 503 ? '2' : null, `Retry-After of ${status}`);
      }
    });

    it('the control plane, the authority and the server root never fail', async () => {
      await setFaults(server, { rate: 1 });
      assertStatus(await server.request('GET', '/_teamgraph/info'), 200);
      assertStatus(await server.request('GET', '/'), 200);
      assert.match(await appToken(server), /^ey/);
      assert.equal((await setFaults(server, { rate: 1 })).injected, 0);
    });

    it('fails only the routes named, by method and path glob', async () => {
      await setFaults(server, { rate: 1, statuses: [500], routes: ['POST /v1.0/chats/*/messages', '/beta/**'] });
      assertStatus(await server.request('GET', messagesPath), 200);
      assertGraphError(await server.request('POST', messagesPath, { body: { body: { content: 'fails' } } }), 500, 'InternalServerError');
      assertGraphError(await server.request('GET', '/beta/me'), 500, 'InternalServerError');
      assertStatus(await server.request('GET', '/v1.0/me'), 200);
    });

    it('a failed write writes nothing', async () => {
      await setFaults(server, { rate: 0 });
      const before = (await server.request('GET', `${messagesPath}?$top=50`)).body.value.length as number;
      await setFaults(server, { rate: 1, statuses: [429, 500, 502, 503, 504] });
      for (let n = 0; n < 10; n++) {
        const response = await server.request('POST', messagesPath, { body: { body: { content: `never stored ${n}` } } });
        assert.ok(response.status >= 429, `status ${response.status}`);
      }
      await setFaults(server, { rate: 0 });
      const listed = await server.request('GET', `${messagesPath}?$top=50`);
      assert.equal(listed.body.value.length, before);
      assert.ok(!(listed.body.value as { body: { content: string } }[]).some((message) => message.body.content.startsWith('never stored')));
    });

    it('a $batch answers 200 and fails its requests one by one', async () => {
      await setFaults(server, { rate: 1, statuses: [429], retryAfterSeconds: 3 });
      const response = await server.request('POST', '/v1.0/$batch', {
        body: {
          requests: [
            { id: '1', method: 'GET', url: '/me' },
            { id: '2', method: 'GET', url: `/chats/${seededGroupChat}` },
          ],
        },
      });
      assertStatus(response, 200);
      const items = response.body.responses as { id: string; status: number; headers: Record<string, string>; body: { error: { code: string } } }[];
      assert.deepEqual(items.map((item) => [item.id, item.status, item.body.error.code, item.headers['Retry-After']]).sort(), [
        ['1', 429, 'TooManyRequests', '3'],
        ['2', 429, 'TooManyRequests', '3'],
      ]);
      assert.equal((await server.request('GET', '/_teamgraph/faults')).body.injected, 2);
    });

    it('a seed fails the same requests again; the rate is the share that fails', async () => {
      const settings = { rate: 0.3, seed: 12345 };
      await setFaults(server, settings);
      const first = await statusesOf(server, 200);
      await setFaults(server, settings);
      const second = await statusesOf(server, 200);
      assert.deepEqual(second, first);
      const failed = first.filter((status) => status !== 200).length;
      // 200 draws at 0.3: 60 expected, and 40 to 80 holds with a probability above 99.9 %.
      assert.ok(failed >= 40 && failed <= 80, `${failed} of 200 failed`);
      assert.deepEqual([...new Set(first.filter((status) => status !== 200))].sort(), [429, 500, 502, 503, 504]);
      await setFaults(server, { ...settings, seed: 54321 });
      assert.notDeepEqual(await statusesOf(server, 200), first);
    });

    it('refuses settings it cannot apply with a 400 in the envelope, and keeps the ones it had', async () => {
      await setFaults(server, { rate: 0.25, seed: 1 });
      for (const body of [
        {},
        { rate: 2 },
        { rate: -0.1 },
        { rate: 0.5, statuses: [418] },
        { rate: 0.5, statuses: [] },
        { rate: 0.5, routes: ['chats'] },
        { rate: 0.5, other: 1 },
        [0.5],
        'x',
      ]) {
        assertGraphError(await server.request('PUT', '/_teamgraph/faults', { body }), 400, 'BadRequest', /^Invalid fault settings/);
      }
      assertGraphError(
        await server.request('PUT', '/_teamgraph/faults', { rawBody: '{"rate":', headers: { 'content-type': 'application/json' } }),
        400,
        'BadRequest',
      );
      const kept = await server.request('GET', '/_teamgraph/faults');
      assert.equal(kept.body.rate, 0.25);
      assert.equal(kept.body.seed, 1);
      await setFaults(server, { rate: 0 });
    });
  });
}
