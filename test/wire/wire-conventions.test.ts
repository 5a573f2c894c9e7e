import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../helpers/server.ts';

const graphJson = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

for (const dialect of testDialects()) {
  describe(`wire conventions on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 carries request-id, an echoed client-request-id, Date and the OData JSON content type', async () => {
      const response = await server.request('GET', '/v1.0/me', { headers: { 'client-request-id': 'my-trace-42' } });
      assertStatus(response, 200);
      assert.match(response.headers.get('request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(response.headers.get('client-request-id'), 'my-trace-42');
      assert.ok(response.headers.get('date'));
      assert.equal(response.headers.get('content-type'), graphJson);
    });

    it('200 echoes request-id as client-request-id when the client sent none', async () => {
      const response = await server.request('GET', '/v1.0/me');
      assert.equal(response.headers.get('client-request-id'), response.headers.get('request-id'));
    });

    it('200 matches paths case-insensitively and with a trailing slash, under v1.0 and beta', async () => {
      for (const path of ['/V1.0/ME', '/v1.0/me/', '/beta/me', '/BETA/Users/adelev@CONTOSO.com']) {
        const response = await server.request('GET', path);
        assertStatus(response, 200);
        assert.equal(response.body.userPrincipalName, 'AdeleV@contoso.com', path);
      }
    });

    it("200 resolves Graph's key syntax users('…') like users/…", async () => {
      const response = await server.request('GET', "/v1.0/users('10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f')");
      assertStatus(response, 200);
      assert.equal(response.body.displayName, 'Adele Vance');
    });

    it('@odata.context is built on the server base URL and the version asked', async () => {
      const v1 = await server.request('GET', '/v1.0/me');
      assert.equal(v1.body['@odata.context'], `${server.url}/v1.0/$metadata#users/$entity`);
      const beta = await server.request('GET', '/beta/users');
      assert.equal(beta.body['@odata.context'], `${server.url}/beta/$metadata#users`);
    });

    it('400 BadRequest names the first unknown segment', async () => {
      assertGraphError(await server.request('GET', '/v1.0/nothing/here'), 400, 'BadRequest', "Resource not found for the segment 'nothing'.");
      assertGraphError(
        await server.request('GET', '/v1.0/teams/57fb72d0-d811-46f4-8947-305e6072eaa5/nothing'),
        400,
        'BadRequest',
        "Resource not found for the segment 'nothing'.",
      );
    });

    it('400 BadRequest for an unknown version', async () => {
      assertGraphError(await server.request('GET', '/v2.0/me'), 400, 'BadRequest', 'Invalid version: v2.0');
      assertGraphError(await server.request('POST', '/'), 400, 'BadRequest', 'Invalid version: ');
    });

    it('HEAD answers as its GET would, without the body', async () => {
      for (const [path, status] of [
        ['/v1.0/me', 200],
        ['/beta/users?$top=2', 200],
        ['/v1.0/users/nobody@contoso.com', 404],
        ['/v2.0/me', 400],
      ] as const) {
        const get = await fetch(`${server.url}${path}`);
        const head = await fetch(`${server.url}${path}`, { method: 'HEAD' });
        assert.equal(head.status, status, path);
        assert.equal(get.status, status, path);
        assert.equal(head.headers.get('content-type'), get.headers.get('content-type'), path);
        assert.equal(head.headers.get('content-length'), String((await get.arrayBuffer()).byteLength), path);
        assert.equal((await head.arrayBuffer()).byteLength, 0, path);
      }
    });

    it('405 for a known path asked with a method it does not take', async () => {
      assertGraphError(
        await server.request('DELETE', '/v1.0/users'),
        405,
        'Request_BadRequest',
        'Specified HTTP method is not allowed for the request target.',
      );
    });

    it('400 for a malformed JSON body, 415 for a non-JSON body, 413 past 4 MB', async () => {
      assertGraphError(
        await server.request('POST', '/v1.0/users', { rawBody: '{"broken', headers: { 'content-type': 'application/json' } }),
        400,
        'BadRequest',
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      );
      assertGraphError(await server.request('POST', '/v1.0/users', { rawBody: 'a=1', headers: { 'content-type': 'text/plain' } }), 415, 'UnsupportedMediaType');
      const huge = JSON.stringify({ filler: 'x'.repeat(4 * 1024 * 1024) });
      assertGraphError(
        await server.request('POST', '/v1.0/users', { rawBody: huge, headers: { 'content-type': 'application/json' } }),
        413,
        'RequestEntityTooLarge',
      );
    });

    it('400 for a body holding U+0000, on either database, with nothing written', async () => {
      const messages = `/v1.0/chats/${encodeURIComponent('19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2')}/messages`;
      const before = (await server.request('GET', messages)).body.value.length;
      const response = await server.request('POST', messages, { rawBody: '{"body":{"content":"a\\u0000b"}}', headers: { 'content-type': 'application/json' } });
      assertGraphError(response, 400, 'BadRequest', 'The request body holds a U+0000 character, which teamgraph does not store.');
      assert.equal((await server.request('GET', messages)).body.value.length, before);
      assertStatus(await server.request('POST', messages, { body: { body: { content: 'a\\u0000b as text' } } }), 201);
    });

    it('400 for $select of an unknown property, naming it and the type', async () => {
      assertGraphError(
        await server.request('GET', '/v1.0/me?$select=displayName,shoeSize'),
        400,
        'BadRequest',
        "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
      );
    });

    it('400 for a $top outside 1..max and for an option the route does not support', async () => {
      for (const top of ['0', '1000', 'ten', '-1']) {
        assertGraphError(await server.request('GET', `/v1.0/users?$top=${top}`), 400, 'BadRequest', new RegExp(`Invalid page size specified: '${top}'`));
      }
      assertGraphError(
        await server.request('GET', "/v1.0/me?$filter=displayName eq 'x'"),
        400,
        'BadRequest',
        "Query option '$filter' is not supported for this request.",
      );
      assertGraphError(await server.request('GET', '/v1.0/me?$top=1'), 400, 'BadRequest', "Query option '$top' is not supported for this request.");
      assertGraphError(await server.request('GET', '/v1.0/me?$bogus=1'), 400, 'BadRequest', "Query option '$bogus' is not supported.");
    });

    it('400 for a forged, tampered or foreign $skiptoken', async () => {
      const first = await server.request('GET', '/v1.0/users?$top=2');
      const token = new URL(first.body['@odata.nextLink']).searchParams.get('$skiptoken') ?? '';
      // The second-to-last character changed to another one, whatever it was.
      const tampered = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.slice(-1)}`;
      assert.notEqual(tampered, token);
      for (const bad of ['abc', tampered, Buffer.from('{"o":"user-list","a":"z"}').toString('base64url') + '.x']) {
        assertGraphError(await server.request('GET', `/v1.0/users?$skiptoken=${encodeURIComponent(bad)}`), 400, 'BadRequest', /skiptoken/);
      }
      // A token minted for one collection is refused by another.
      assertGraphError(await server.request('GET', `/v1.0/groups?$skiptoken=${encodeURIComponent(token)}`), 400, 'BadRequest', /skiptoken/);
    });

    it('accepts query options without the $ prefix, as beta does', async () => {
      const response = await server.request('GET', '/beta/users?top=1&select=displayName');
      assertStatus(response, 200);
      assert.equal(response.body.value.length, 1);
      assert.deepEqual(Object.keys(response.body.value[0]).sort(), ['displayName', 'id']);
    });
  });
}

for (const dialect of testDialects()) {
  describe(`unexpected failures on ${dialect}`, () => {
    it('500 InternalServerError envelope, never a stack trace, when the database is gone; health says 503', async () => {
      const server = await startTestServer(dialect);
      await server.request('GET', '/v1.0/me'); // the dev principal is resolved while the database still answers
      await server.store.close();
      try {
        const response = await server.request('GET', '/v1.0/users');
        assertGraphError(response, 500, 'InternalServerError');
        assert.doesNotMatch(response.text, /at .*\.ts:\d+/);
        const health = await server.request('GET', '/_teamgraph/health');
        assert.equal(health.status, 503);
        assert.equal(health.body.status, 'unavailable');
      } finally {
        await server.close().catch(() => undefined);
      }
    });
  });
}
