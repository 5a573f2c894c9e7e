import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonDepthMax, scanJson } from '../../src/wire/json-body.ts';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, describeResponse, startTestServer } from '../helpers/server.ts';

// Hostile JSON bodies: nested past any stack, or not UTF-8. Each is a 400 in Graph's envelope before
// anything is built or stored, and the server answers the next request as before.
const messages = `/v1.0/chats/${encodeURIComponent('19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2')}/messages`;
const json = { 'content-type': 'application/json' };
const tooDeep = `The request body nests objects and arrays deeper than ${jsonDepthMax} levels.`;

/** `value` wrapped in `depth` arrays. */
const nested = (depth: number, value: string) => '['.repeat(depth) + value + ']'.repeat(depth);

/** POSTs raw bytes, which fetch would otherwise re-encode as UTF-8. */
async function postBytes(server: TestServer, path: string, bytes: Buffer) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: json, body: bytes });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

for (const dialect of testDialects()) {
  describe(`JSON request bodies on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('400 for a body nested 100,000 deep that holds "\\u0000", and the server serves on', async () => {
      const response = await server.request('POST', messages, { rawBody: `{"body":${nested(100_000, '"\\u0000"')}}`, headers: json });
      assertGraphError(response, 400, 'BadRequest', tooDeep);
      assertStatus(await server.request('GET', '/v1.0/me'), 200);
    });

    it('400 for a $batch whose item body nests 100,000 deep', async () => {
      const item = `{"id":"1","method":"POST","url":"/me/chats","headers":{"content-type":"application/json"},"body":${nested(100_000, '1')}}`;
      assertGraphError(await server.request('POST', '/v1.0/$batch', { rawBody: `{"requests":[${item}]}`, headers: json }), 400, 'BadRequest', tooDeep);
    });

    it(`400 one level past ${jsonDepthMax}, while ${jsonDepthMax} levels are read as JSON`, async () => {
      const within = await server.request('POST', messages, { rawBody: `{"body":{"content":"x"},"x":${nested(jsonDepthMax - 1, '1')}}`, headers: json });
      assert.notEqual(within.body?.error?.message, tooDeep, describeResponse(within));
      const past = await server.request('POST', messages, { rawBody: `{"body":{"content":"x"},"x":${nested(jsonDepthMax, '1')}}`, headers: json });
      assertGraphError(past, 400, 'BadRequest', tooDeep);
    });

    it('400 for invalid UTF-8 inside a JSON string, with nothing stored', async () => {
      const before = (await server.request('GET', messages)).body.value.length;
      for (const bad of [[0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0xf0, 0x90, 0x80], [0xe0, 0x80, 0xaf]]) {
        const bytes = Buffer.concat([Buffer.from('{"body":{"content":"bad '), Buffer.from(bad), Buffer.from(' here"}}')]);
        assertGraphError(await postBytes(server, messages, bytes), 400, 'BadRequest', 'The request body is not valid UTF-8.');
      }
      assert.equal((await server.request('GET', messages)).body.value.length, before);
    });

    it('201 keeps a real U+FFFD and other multi-byte characters as sent', async () => {
      const content = 'replacement \uFFFD, emoji 💥, accents é';
      const response = await postBytes(server, messages, Buffer.from(JSON.stringify({ body: { content } }), 'utf8'));
      assert.equal(response.status, 201, response.text);
      assert.equal(response.body.body.content, content);
    });
  });
}

describe('the JSON scan', () => {
  it('counts nesting outside strings only, and sees \\u0000 only as an escape', () => {
    const scan = (text: string) => scanJson(Buffer.from(text), 3);
    assert.deepEqual(scan('[[["a"]]]'), { isTooDeep: false, holdsNul: false });
    assert.deepEqual(scan('[[[[1]]]]'), { isTooDeep: true, holdsNul: false });
    assert.deepEqual(scan('["[[[[", "\\"[[[["]'), { isTooDeep: false, holdsNul: false });
    assert.deepEqual(scan('{"a":"\\u0000"}'), { isTooDeep: false, holdsNul: true });
    assert.deepEqual(scan('{"\\u0000":1}'), { isTooDeep: false, holdsNul: true });
    assert.deepEqual(scan('{"a":"\\\\u0000"}'), { isTooDeep: false, holdsNul: false });
  });
});
