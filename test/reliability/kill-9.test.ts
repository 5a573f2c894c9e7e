import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestDatabase, createTestDatabase, testDialects } from '../helpers/databases.ts';
import { databaseArgs, spawnServer } from '../helpers/processes.ts';
import { assertAcknowledgedAfterRestart, startWriteBurst } from '../helpers/write-burst.ts';

// kill -9 while clients write: the process gets no chance to finish anything, so requests in flight
// fail. Every write acknowledged with 201 before the kill is there after a restart on the same
// database: the SQLite file, or the PostgreSQL database.
const rounds = 3;
const clients = 16;

for (const dialect of testDialects()) {
  describe(`kill -9 during a write burst on ${dialect}`, () => {
    let dir: string;
    let database: TestDatabase;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-kill-'));
      database = await createTestDatabase(dialect, path.join(dir, 'teamgraph.db'));
    });
    after(async () => {
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(`keeps every write acknowledged before the kill, ${rounds} rounds`, { timeout: 120_000 }, async (t) => {
      const acknowledged: string[] = [];
      for (let round = 1; round <= rounds; round++) {
        const server = await spawnServer(databaseArgs(database.target));
        const burst = startWriteBurst(server.url, clients, `kill round ${round}`);
        await burst.acknowledgedAtLeast(40);
        const inFlightAtKill = burst.inFlight();
        const exit = await server.stop('SIGKILL');
        await burst.done;
        const { outcomes } = burst;
        t.diagnostic(
          `round ${round}: ${inFlightAtKill} in flight at the kill; ${outcomes.acknowledged.length} acknowledged, ${outcomes.dropped.length} lost with the process, ${outcomes.refused} refused`,
        );
        assert.deepEqual(exit, { code: null, signal: 'SIGKILL' });
        assert.deepEqual(outcomes.unexpected, []);
        acknowledged.push(...outcomes.acknowledged);
      }
      await assertAcknowledgedAfterRestart(t, database.target, acknowledged);
    });
  });
}
