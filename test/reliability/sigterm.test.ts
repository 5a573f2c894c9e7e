import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestDatabase, createTestDatabase, testDialects } from '../helpers/databases.ts';
import { databaseArgs, spawnServer } from '../helpers/processes.ts';
import { openConnection, parseAnswer } from '../helpers/sockets.ts';
import { assertAcknowledgedAfterRestart, startWriteBurst } from '../helpers/write-burst.ts';

// SIGTERM while clients write: every request gets a complete HTTP answer, a 201 or a 503 with
// Retry-After in the envelope, never a reset; a client that connects after the listener closed is
// refused before it sends anything. The process exits 0, and every write acknowledged with 201 is
// there after a restart on the same database.
const rounds = 3;
const clients = 16;
// A drain waits for the clients' idle connections; fetch closes its own a second before the
// announced keep-alive timeout, so a short one keeps each round short.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of testDialects()) {
  describe(`SIGTERM during a write burst on ${dialect}`, () => {
    let dir: string;
    let database: TestDatabase;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-sigterm-'));
      database = await createTestDatabase(dialect, path.join(dir, 'teamgraph.db'));
    });
    after(async () => {
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(`answers every request in flight and keeps every acknowledged write, ${rounds} rounds`, { timeout: 120_000 }, async (t) => {
      const acknowledged: string[] = [];
      for (let round = 1; round <= rounds; round++) {
        const server = await spawnServer([...databaseArgs(database.target), '--shutdown-grace-ms', '5000', '--keep-alive-timeout-ms', '2000']);
        const burst = startWriteBurst(server.url, clients, `sigterm round ${round}`);
        await burst.acknowledgedAtLeast(40);
        const inFlightAtSignal = burst.inFlight();
        const exit = await server.stop('SIGTERM');
        await burst.done;
        const { outcomes } = burst;
        t.diagnostic(
          `round ${round}: ${inFlightAtSignal} in flight at SIGTERM; ${outcomes.acknowledged.length} acknowledged, ${outcomes.unavailable} answered 503, ${outcomes.refused} refused, ${outcomes.dropped.length} dropped`,
        );
        assert.deepEqual(outcomes.dropped, [], 'requests without a complete answer');
        assert.deepEqual(outcomes.unexpected, []);
        assert.deepEqual(exit, { code: 0, signal: null }, server.output().stderr);
        acknowledged.push(...outcomes.acknowledged);
      }
      await assertAcknowledgedAfterRestart(t, database.target, acknowledged);
    });

    it('503 with Retry-After for a request on an open connection while draining; a second signal ends the drain at once', { timeout: 60_000 }, async () => {
      const bounds = ['--shutdown-grace-ms', '60000', '--headers-timeout-ms', '60000', '--request-timeout-ms', '60000', '--keep-alive-timeout-ms', '60000'];
      const server = await spawnServer([...databaseArgs(database.target), ...bounds]);
      const kept = await openConnection(server.url);
      kept.socket.write('GET /v1.0/me HTTP/1.1\r\nHost: teamgraph\r\n\r\n');
      while (!kept.received().includes('AdeleV@contoso.com')) await sleep(20);
      const silent = await openConnection(server.url); // holds the drain open: it never sends a request
      server.child.kill('SIGTERM');
      await sleep(500);
      assert.equal(server.child.exitCode, null, 'the drain waits for the open connections');
      const answeredBefore = kept.received().length;
      kept.socket.write('GET /_teamgraph/health HTTP/1.1\r\nHost: teamgraph\r\n\r\n');
      await kept.closed;
      const answer = parseAnswer(kept.received().slice(answeredBefore));
      assert.equal(answer.status, 503, kept.received());
      assert.match(answer.headers, /\r\nretry-after: 5\r\n/i);
      assert.match(answer.headers, /\r\nconnection: close\r\n/i);
      assert.equal(answer.body.error.code, 'ServiceUnavailable');
      assert.equal(answer.body.error.message, 'The service is not available. Try the request again after a delay.');
      const signalledAt = Date.now();
      server.child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      assert.ok(Date.now() - signalledAt < 5000, `the second signal took ${Date.now() - signalledAt} ms to stop the server`);
      await silent.closed;
    });
  });
}
