import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestDatabase, createTestDatabase, testDialects } from '../helpers/databases.ts';
import { type ServerProcess, databaseArgs, spawnServer } from '../helpers/processes.ts';
import { assertStatus } from '../helpers/server.ts';
import { type RawConnection, openConnection, parseAnswer } from '../helpers/sockets.ts';

// Slow and idle clients against a real server process: each is closed within the configured bound,
// with a 408 in the envelope where an answer can still be written (a client that sent part of a
// request), and the server serves others meanwhile and afterwards.
const headersTimeoutMs = 1000;
const requestTimeoutMs = 2000;
const keepAliveTimeoutMs = 500;
const maxConnections = 60;
// Node checks the timeouts every quarter of the headers timeout, and an answered connection lingers
// 500 ms before it is destroyed; the rest is room for a busy machine.
const slackMs = 2000;
// A test fails, rather than hangs, when a connection is never closed.
const bounded = { timeout: 30_000 };

function assertClosedWithin(closedAfterMs: number, boundMs: number, what: string): void {
  assert.ok(closedAfterMs >= boundMs - 100, `${what} closed after ${closedAfterMs} ms, before its ${boundMs} ms bound`);
  assert.ok(closedAfterMs <= boundMs + slackMs, `${what} still open ${closedAfterMs} ms after it connected (bound ${boundMs} ms)`);
}

function assertTimeoutAnswer(connection: RawConnection, shape: 'graph' | 'entra' = 'graph'): void {
  const answer = parseAnswer(connection.received());
  assert.equal(answer.status, 408, connection.received());
  assert.match(answer.headers, /\r\nconnection: close(\r\n|$)/i);
  if (shape === 'graph') {
    assert.equal(answer.body?.error?.code, 'RequestTimeout', connection.received());
    assert.equal(answer.body.error.message, 'The server timed out waiting for the request.');
    assert.match(answer.body.error.innerError['request-id'], /^[0-9a-f-]{36}$/);
  } else {
    assert.equal(answer.body?.error, 'invalid_request', connection.received());
    assert.match(answer.body.error_description, /^AADSTS\d+: The server timed out waiting for the request\./);
  }
}

const trickledPost = (url: string) => `POST ${url} HTTP/1.1\r\nHost: teamgraph\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;

for (const dialect of testDialects()) {
  describe(`slow and idle clients on ${dialect}`, () => {
    let dir: string;
    let database: TestDatabase;
    let server: ServerProcess;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-slow-'));
      database = await createTestDatabase(dialect, path.join(dir, 'teamgraph.db'));
      server = await spawnServer([
        ...databaseArgs(database.target),
        ...['--headers-timeout-ms', String(headersTimeoutMs), '--request-timeout-ms', String(requestTimeoutMs)],
        ...['--keep-alive-timeout-ms', String(keepAliveTimeoutMs), '--max-connections', String(maxConnections)],
      ]);
    });
    after(async () => {
      await (server as ServerProcess | undefined)?.stop(); // unset when it failed to start
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('closes a connection that sends nothing after the headers timeout, with no answer it did not ask for', bounded, async () => {
      const connection = await openConnection(server.url);
      assertClosedWithin(await connection.closed, headersTimeoutMs, 'a silent connection');
      assert.equal(connection.received(), '');
    });

    it('408 in the envelope for headers trickled a byte every 200 ms, at the headers timeout', bounded, async () => {
      const connection = await openConnection(server.url);
      void connection.trickle(`GET /v1.0/me HTTP/1.1\r\nHost: teamgraph\r\nX-Slow: ${'a'.repeat(100)}`, 200);
      assertClosedWithin(await connection.closed, headersTimeoutMs, 'trickled headers');
      assertTimeoutAnswer(connection);
    });

    it('408 for 50 bodies trickled a byte every 100 ms, at the request timeout, while others are served', bounded, async () => {
      const connections = await Promise.all(Array.from({ length: 50 }, () => openConnection(server.url)));
      for (const connection of connections) {
        connection.socket.write(trickledPost('/v1.0/me/chats'));
        void connection.trickle(`{"topic":"${'x'.repeat(990)}"}`, 100);
      }
      assertStatus(await server.request('GET', '/v1.0/me'), 200);
      const closedAfterMs = await Promise.all(connections.map((connection) => connection.closed));
      for (const [index, connection] of connections.entries()) {
        assertClosedWithin(closedAfterMs[index] as number, requestTimeoutMs, `trickled body ${index}`);
        assertTimeoutAnswer(connection);
      }
      assertStatus(await server.request('GET', '/v1.0/me'), 200);
    });

    it("408 in Entra's shape for a body trickled to the token endpoint", bounded, async () => {
      const connection = await openConnection(server.url);
      connection.socket.write(trickledPost('/common/oauth2/v2.0/token').replace('application/json', 'application/x-www-form-urlencoded'));
      void connection.trickle('grant_type=client_credentials'.padEnd(1000, 'x'), 100);
      assertClosedWithin(await connection.closed, requestTimeoutMs, 'a trickled token request');
      assertTimeoutAnswer(connection, 'entra');
    });

    it('closes a kept-alive connection that stays idle after its answer, at the keep-alive timeout', bounded, async () => {
      const connection = await openConnection(server.url);
      connection.socket.write('GET /v1.0/me HTTP/1.1\r\nHost: teamgraph\r\n\r\n');
      const answeredAt = await new Promise<number>((resolve) => connection.socket.once('data', () => resolve(Date.now())));
      await connection.closed;
      const idleMs = Date.now() - answeredAt;
      assert.ok(idleMs >= keepAliveTimeoutMs - 100 && idleMs <= keepAliveTimeoutMs + slackMs, `closed ${idleMs} ms after its answer`);
      assert.equal(parseAnswer(connection.received()).status, 200);
    });

    it(`holds at most ${maxConnections} connections: more are closed as they arrive, the held ones at the headers timeout`, bounded, async () => {
      const connections = await Promise.all(Array.from({ length: maxConnections + 40 }, () => openConnection(server.url)));
      const openedAt = Date.now();
      const closedAt = connections.map(() => 0);
      connections.forEach((connection, index) => void connection.closed.then(() => (closedAt[index] = Date.now() - openedAt)));
      await new Promise((resolve) => setTimeout(resolve, headersTimeoutMs / 2));
      const refused = closedAt.filter((ms) => ms > 0).length;
      assert.ok(refused >= 40, `only ${refused} of ${connections.length} connections were closed at once`);
      await Promise.all(connections.map((connection) => connection.closed));
      assert.ok(Math.max(...closedAt) <= headersTimeoutMs + slackMs, `the last connection closed after ${Math.max(...closedAt)} ms`);
      assertStatus(await server.request('GET', '/_teamgraph/health'), 200);
    });
  });
}

describe('slow and idle clients with the default bounds', () => {
  it('closes idle and trickling clients within 30 s, with 408 where a request began, and holds 1000 connections at most', { timeout: 90_000 }, async () => {
    const server = await spawnServer(['--memory']);
    try {
      const [silent, headers, body, kept] = [
        await openConnection(server.url),
        await openConnection(server.url),
        await openConnection(server.url),
        await openConnection(server.url),
      ];
      void headers.trickle(`GET /v1.0/me HTTP/1.1\r\nHost: teamgraph\r\nX-Slow: ${'a'.repeat(100)}`, 2000);
      body.socket.write(trickledPost('/v1.0/me/chats'));
      void body.trickle('x'.repeat(1000), 1000);
      kept.socket.write('GET /v1.0/me HTTP/1.1\r\nHost: teamgraph\r\n\r\n');
      // Four connections are open: of a thousand more, four are closed as they arrive.
      const crowd = await Promise.all(Array.from({ length: 1000 }, () => openConnection(server.url)));
      let refused = 0;
      for (const connection of crowd) void connection.closed.then(() => refused++);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.ok(refused >= 4, `${refused} of 1004 connections were closed at once`);
      const [silentMs, headersMs, bodyMs, keptMs] = await Promise.all([silent.closed, headers.closed, body.closed, kept.closed]);
      assertClosedWithin(silentMs, 10_000, 'a silent connection');
      assertClosedWithin(headersMs, 10_000, 'headers trickled a byte every 2 s');
      assertClosedWithin(bodyMs, 20_000, 'a body trickled a byte a second');
      assertClosedWithin(keptMs, 5_000, 'a kept-alive connection');
      for (const connection of [headers, body]) assertTimeoutAnswer(connection);
      assert.equal(silent.received(), '');
      await Promise.all(crowd.map((connection) => connection.closed));
    } finally {
      await server.stop();
    }
  });
});
