import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jsonDepthMax } from '../../src/wire/json-body.ts';
import { type TestDatabase, createTestDatabase, testDialects } from '../helpers/databases.ts';
import { type ServerProcess, databaseArgs, spawnServer } from '../helpers/processes.ts';
import { type TestResponse, assertGraphError, assertStatus } from '../helpers/server.ts';

// Deep and oversized bodies sent to a real server process: each is a 400 or 413 in Graph's envelope,
// read by the client that sent it, and the process stays healthy and small.
const messages = `/v1.0/chats/${encodeURIComponent('19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2')}/messages`;
const json = { 'content-type': 'application/json' };
const nested = (depth: number, value: string) => '['.repeat(depth) + value + ']'.repeat(depth);

async function send(url: string, init: RequestInit): Promise<TestResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

/** The most memory the process has held so far (Linux reports it in /proc). */
function peakRssKb(pid: number): number {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(line !== null, 'no VmHWM in /proc');
  return Number(line[1]);
}

for (const dialect of testDialects()) {
  describe(`deep and oversized bodies on ${dialect}`, () => {
    let dir: string;
    let database: TestDatabase;
    let server: ServerProcess;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-bodies-'));
      database = await createTestDatabase(dialect, path.join(dir, 'teamgraph.db'));
      server = await spawnServer(databaseArgs(database.target));
    });
    after(async () => {
      await (server as ServerProcess | undefined)?.stop(); // unset when it failed to start
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('400 for a body and a $batch item nested 100,000 deep', async () => {
      const tooDeep = `The request body nests objects and arrays deeper than ${jsonDepthMax} levels.`;
      assertGraphError(
        await server.request('POST', messages, { rawBody: `{"body":${nested(100_000, '"\\u0000"')}}`, headers: json }),
        400,
        'BadRequest',
        tooDeep,
      );
      const item = `{"id":"1","method":"POST","url":"/me/chats","headers":{"content-type":"application/json"},"body":${nested(100_000, '1')}}`;
      assertGraphError(await server.request('POST', '/v1.0/$batch', { rawBody: `{"requests":[${item}]}`, headers: json }), 400, 'BadRequest', tooDeep);
    });

    it('400 for a 1.9-million-deep array, refused before it is built', async () => {
      const pid = server.child.pid ?? 0;
      const before = peakRssKb(pid);
      assertGraphError(await server.request('POST', messages, { rawBody: nested(1_900_000, ''), headers: json }), 400, 'BadRequest');
      const grownMb = (peakRssKb(pid) - before) / 1024;
      assert.ok(grownMb < 40, `the process grew by ${grownMb.toFixed(1)} MB at its peak`);
    });

    it('400 for invalid UTF-8, with nothing stored', async () => {
      const count = async () => (await server.request('GET', messages)).body.value.length as number;
      const before = await count();
      const bytes = Buffer.concat([Buffer.from('{"body":{"content":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
      assertGraphError(
        await send(`${server.url}${messages}`, { method: 'POST', headers: json, body: bytes }),
        400,
        'BadRequest',
        'The request body is not valid UTF-8.',
      );
      assert.equal(await count(), before);
    });

    it('413 for an 8 MiB body, read by fetch five times in a row', async () => {
      const body = Buffer.alloc(8 * 1024 * 1024, 0x61);
      for (let round = 0; round < 5; round++) {
        assertGraphError(
          await send(`${server.url}${messages}`, { method: 'POST', headers: json, body }),
          413,
          'RequestEntityTooLarge',
          'Request Entity too large',
        );
      }
    });

    it('413 for an 8 MiB body sent chunked, and 415 for 3 MiB that is not JSON', async () => {
      const chunk = new Uint8Array(1024 * 1024).fill(0x61);
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      assertGraphError(await send(`${server.url}${messages}`, { method: 'POST', headers: json, body: stream, duplex: 'half' }), 413, 'RequestEntityTooLarge');
      for (let round = 0; round < 3; round++) {
        assertGraphError(
          await send(`${server.url}${messages}`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: Buffer.alloc(3 * 1024 * 1024) }),
          415,
          'UnsupportedMediaType',
        );
      }
    });

    it('200 health and 201 for an ordinary post afterwards', async () => {
      assertStatus(await server.request('GET', '/_teamgraph/health'), 200);
      assertStatus(await server.request('POST', messages, { body: { body: { content: 'still here' } } }), 201);
    });
  });
}
