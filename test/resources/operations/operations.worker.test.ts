import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { OperationsService, pollBackoffMaxMs, pollDelay } from '../../../src/resources/operations/operations.service.ts';
import { type Store, openStore } from '../../../src/store/db.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { withTransaction } from '../../../src/store/transaction.ts';
import { testDialects } from '../../helpers/databases.ts';
import { useSharedDatabase } from '../../helpers/stores.ts';

const tenantId = 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f';
const rethrow = (err: unknown) => {
  throw err;
};

for (const dialect of testDialects()) {
  describe(`operations worker on ${dialect}`, () => {
    const { open } = useSharedDatabase(dialect);
    beforeEach(async () => {
      await migrate(await open());
    });

    const enqueue = (store: Store, operations: OperationsService, operationType: string) =>
      withTransaction(store, (tx) => operations.enqueue(tx, { tenantId, parentKind: 'team', parentId: 'team-1', operationType, payload: { name: 'x' } }));

    it('moves an operation notStarted -> inProgress -> succeeded, one step per run, and records its target', async () => {
      const store = await open();
      const operations = new OperationsService(store, 0, rethrow);
      operations.register('createTeam', async (tx, operation) => {
        await tx.insertInto('tenants').values({ id: 'made-by-handler', display_name: operation.payload, domain: 'd' }).execute();
        return { targetResourceId: 'team-1', targetResourceLocation: "/teams('team-1')" };
      });
      const created = await enqueue(store, operations, 'createTeam');
      const statusOf = async () => (await operations.get(tenantId, 'team', 'team-1', created.id)).status;
      assert.equal(await statusOf(), 'notStarted');
      assert.equal(await operations.runDue(), 2);
      const done = await operations.get(tenantId, 'team', 'team-1', created.id);
      assert.equal(done.status, 'succeeded');
      assert.equal(done.attempts_count, 1);
      assert.equal(done.target_resource_location, "/teams('team-1')");
      assert.equal((await store.db.selectFrom('tenants').selectAll().execute()).length, 1);
      assert.equal(await operations.runDue(), 0);
    });

    it('waits for the configured delay before each step', async () => {
      const store = await open();
      const operations = new OperationsService(store, 60_000, rethrow);
      const created = await enqueue(store, operations, 'createTeam');
      assert.equal(await operations.runDue(), 0);
      assert.equal((await operations.get(tenantId, 'team', 'team-1', created.id)).status, 'notStarted');
    });

    it('a failing handler leaves no partial work and marks the operation failed with its error', async () => {
      const store = await open();
      const operations = new OperationsService(store, 0, rethrow);
      operations.register('archiveTeam', async (tx) => {
        await tx.insertInto('tenants').values({ id: 'partial', display_name: 'x', domain: 'd' }).execute();
        throw new Error('team has no owner');
      });
      const created = await enqueue(store, operations, 'archiveTeam');
      await operations.runDue();
      const failed = await operations.get(tenantId, 'team', 'team-1', created.id);
      assert.equal(failed.status, 'failed');
      assert.deepEqual(JSON.parse(failed.error ?? 'null'), { code: 'OperationFailed', message: 'team has no owner' });
      assert.deepEqual(await store.db.selectFrom('tenants').selectAll().execute(), []);
    });

    it('two instances working the same queue run each handler exactly once', async () => {
      const [first, second] = [await open(), await open()];
      let handled = 0;
      const workers = [first, second].map((store) => {
        const operations = new OperationsService(store, 0, rethrow);
        operations.register('createTeam', () => {
          handled++;
          return Promise.resolve(undefined);
        });
        return operations;
      });
      for (let i = 0; i < 10; i++) await enqueue(first, workers[0] as OperationsService, 'createTeam');
      await Promise.all(workers.map((operations) => operations.runDue().then(() => operations.runDue())));
      assert.equal(handled, 10);
      const statuses = await first.db.selectFrom('operations').select('status').execute();
      assert.deepEqual(new Set(statuses.map((row) => row.status)), new Set(['succeeded']));
    });
  });
}

describe('operations worker while the database fails', () => {
  it('waits twice as long after each failure in a row, up to a ceiling', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((failures) => pollDelay(100, failures)),
      [100, 200, 400, 800, 1600],
    );
    assert.equal(pollDelay(100, 9), pollBackoffMaxMs);
    assert.equal(pollDelay(100, 10_000), pollBackoffMaxMs);
  });

  it('reports each failed poll, polls less often while they fail, at its own pace again once one succeeds, and not once stopped', async (t) => {
    // An empty database: every poll fails (no operations table) until the schema is there.
    const store = await openStore({ kind: 'sqlite', file: ':memory:', synchronous: 'normal' });
    t.after(() => store.close());
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const failedAt: number[] = [];
    let now = 0;
    const operations = new OperationsService(store, 250, () => failedAt.push(now));
    const stop = operations.start();
    const advanceTo = async (until: number) => {
      while (now < until) {
        now += 50;
        t.mock.timers.tick(50);
        await new Promise((resolve) => setImmediate(resolve)); // let the poll settle
      }
    };
    await advanceTo(1_000);
    assert.deepEqual(failedAt, [100, 300, 700]);
    await migrate(store); // the database is back: the poll at 1,500 succeeds, then one every 100 ms
    await advanceTo(2_000);
    await sql`drop table operations`.execute(store.db); // and gone again
    await advanceTo(2_800);
    assert.deepEqual(failedAt, [100, 300, 700, 2100, 2300, 2700]);
    await stop();
    await advanceTo(60_000);
    assert.equal(failedAt.length, 6);
  });
});
