import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSeed, seedIfEmpty } from '../../src/seed/loader.ts';
import { StoreConflict } from '../../src/store/errors.ts';
import { loadOrCreateSecret } from '../../src/store/meta.ts';
import { migrate } from '../../src/store/migrate.ts';
import { withTransaction } from '../../src/store/transaction.ts';
import { testDialects } from '../helpers/databases.ts';
import { useSharedDatabase } from '../helpers/stores.ts';

// One suite, run on every dialect: the store behaves the same on SQLite and PostgreSQL.
for (const dialect of testDialects()) {
  describe(`store contract on ${dialect}`, () => {
    const { open } = useSharedDatabase(dialect);

    it('migrations are idempotent', async () => {
      const store = await open();
      await migrate(store);
      await migrate(store);
      assert.deepEqual(await store.db.selectFrom('users').selectAll().execute(), []);
    });

    it('two instances starting together migrate and seed exactly once', async () => {
      const [first, second] = [await open(), await open()];
      const seed = await readSeed({ kind: 'demo' });
      const outcomes = await Promise.all(
        [first, second].map(async (store) => {
          await migrate(store);
          return seedIfEmpty(store, seed);
        }),
      );
      assert.deepEqual(outcomes.sort(), [false, true]);
      const users = await first.db.selectFrom('users').select('id').execute();
      assert.equal(users.length, seed?.users.length);
    });

    it('a failed transaction leaves nothing behind', async () => {
      const store = await open();
      await migrate(store);
      await assert.rejects(
        withTransaction(store, async (tx) => {
          await tx.insertInto('tenants').values({ id: 't1', display_name: 'T', domain: 't.example' }).execute();
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await store.db.selectFrom('tenants').selectAll().execute(), []);
    });

    it('a unique violation surfaces as StoreConflict and after-commit hooks never run for it', async () => {
      const store = await open();
      await migrate(store);
      await store.db.insertInto('tenants').values({ id: 't1', display_name: 'T', domain: 't.example' }).execute();
      let hookRan = false;
      await assert.rejects(
        withTransaction(store, async (tx, afterCommit) => {
          afterCommit(() => {
            hookRan = true;
          });
          await tx.insertInto('tenants').values({ id: 't1', display_name: 'again', domain: 'x' }).execute();
        }),
        StoreConflict,
      );
      assert.equal(hookRan, false);
    });

    it('after-commit hooks run once the transaction committed', async () => {
      const store = await open();
      await migrate(store);
      let seenRows = -1;
      await withTransaction(store, async (tx, afterCommit) => {
        await tx.insertInto('tenants').values({ id: 't2', display_name: 'T', domain: 't.example' }).execute();
        afterCommit(() => {
          seenRows = 1;
        });
      });
      assert.equal(seenRows, 1);
      assert.equal((await store.db.selectFrom('tenants').selectAll().execute()).length, 1);
    });

    it('instances share one secret: the first creates it, the others read it', async () => {
      const [first, second] = [await open(), await open()];
      await migrate(first);
      const [a, b] = await Promise.all([loadOrCreateSecret(first.db, 'k'), loadOrCreateSecret(second.db, 'k')]);
      assert.equal(a.toString('hex'), b.toString('hex'));
      assert.equal(a.length, 32);
    });
  });
}
