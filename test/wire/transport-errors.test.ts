import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type TestResponse, type TestServer, assertGraphError, assertStatus, describeResponse, startTestServer } from '../helpers/server.ts';
import { parseAnswer, rawExchange } from '../helpers/sockets.ts';

// Failures of the HTTP exchange itself, before any route runs: a URL the router cannot decode,
// headers past 16 KB, bytes that are not HTTP. Each answer is Graph's envelope (Entra's shape on the
// authority's paths) with the right status, and the client reads it. Bodies refused unread are in
// test/reliability/hostile-bodies.test.ts, against a server process of its own.
const tenantId = 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f';
const tokenPath = `/${tenantId}/oauth2/v2.0/token`;

async function send(url: string, init: RequestInit = {}): Promise<TestResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

function assertEntraError(response: TestResponse, status: number, message: RegExp): void {
  assert.equal(response.status, status, describeResponse(response));
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, describeResponse(response));
  assert.equal(response.body?.error, 'invalid_request', describeResponse(response));
  assert.match(response.body?.error_description ?? '', message, describeResponse(response));
  assert.ok(Array.isArray(response.body?.error_codes), describeResponse(response));
}

for (const dialect of testDialects()) {
  describe(`transport failures on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('400 for a malformed percent-escape in the path, with the request ids', async () => {
      const response = await send(`${server.url}/v1.0/users/%E0%A4%A`, { headers: { 'client-request-id': 'trace-7' } });
      assertGraphError(response, 400, 'BadRequest', 'The request URL is not valid: it holds a malformed percent-escape.');
      assert.equal(response.headers.get('client-request-id'), 'trace-7');
    });

    it('414 for a path segment longer than 512 characters', async () => {
      assertGraphError(
        await send(`${server.url}/v1.0/users/${'a'.repeat(600)}`),
        414,
        'RequestUriTooLong',
        'A segment of the request URL is longer than 512 characters.',
      );
    });

    it('431 for headers over 16 KB and 414 for a URL over 16 KB, and the server serves on', async () => {
      assertGraphError(await send(`${server.url}/v1.0/me`, { headers: { 'x-filler': 'a'.repeat(17_000) } }), 431, 'RequestHeaderFieldsTooLarge');
      assertGraphError(await send(`${server.url}/v1.0/me?x=${'a'.repeat(17_000)}`), 414, 'RequestUriTooLong');
      assertStatus(await server.request('GET', '/v1.0/me'), 200);
    });

    it('400 for bytes that are not HTTP/1.1, in the envelope, then the connection closes', async () => {
      const answer = parseAnswer(await rawExchange(server.url, 'GARBAGE / HTTP/1.1\r\nHost: x\r\n\r\n'));
      assert.equal(answer.status, 400);
      assert.match(answer.headers, /\r\nconnection: close(\r\n|$)/i);
      const body = answer.body;
      assert.equal(body.error.code, 'BadRequest');
      assert.match(body.error.message, /^The request is not valid HTTP\/1\.1: /);
      assert.match(body.error.innerError['request-id'], /^[0-9a-f-]{36}$/);
    });

    it("the authority's paths answer the same failures in Entra's shape", async () => {
      assertEntraError(await send(`${server.url}/%E0%A4%A/oauth2/v2.0/token`, { method: 'POST' }), 400, /^AADSTS\d+: The request URL is not valid/);
      assertEntraError(
        await send(`${server.url}${tokenPath}`, { method: 'POST', headers: { 'x-filler': 'a'.repeat(17_000) } }),
        431,
        /^AADSTS\d+: The request headers are too large/,
      );
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      assertEntraError(
        await send(`${server.url}${tokenPath}`, { method: 'POST', headers: form, body: Buffer.alloc(8 * 1024 * 1024, 0x61) }),
        413,
        /^AADSTS\d+: Request Entity too large/,
      );
      assertEntraError(
        await send(`${server.url}${tokenPath}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'grant_type=x' }),
        415,
        /^AADSTS\d+: The content type 'text\/plain' is not supported/,
      );
    });
  });
}
