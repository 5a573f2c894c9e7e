import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.ts';
import { StoreConflict, StoreParentMissing } from '../../src/store/errors.ts';
import { migrate } from '../../src/store/migrate.ts';
import { type Handle, withSingleWrite } from '../../src/store/transaction.ts';
import { testDialects } from '../helpers/databases.ts';
import { useSharedDatabase } from '../helpers/stores.ts';

// withSingleWrite is the one way to write one statement (decision 116): on both databases its driver
// errors surface as a transaction's do, and a transient conflict is tried again.

const tenant = (id: string) => ({ id, display_name: id.toUpperCase(), domain: `${id}.example` });

const namesOf = async (store: Store) =>
  (await store.db.selectFrom('tenants').select(['id', 'display_name']).orderBy('id').execute()).map((row) => `${row.id}=${row.display_name}`);

for (const dialect of testDialects()) {
  describe(`a single write on ${dialect}`, () => {
    const { open } = useSharedDatabase(dialect);
    const migrated = async () => {
      const store = await open();
      await migrate(store);
      await store.db
        .insertInto('tenants')
        .values([tenant('a'), tenant('b')])
        .execute();
      return store;
    };

    it('reports a unique violation as StoreConflict and a missing parent as StoreParentMissing', async () => {
      const store = await migrated();
      await assert.rejects(
        withSingleWrite(store, (h) => h.insertInto('tenants').values(tenant('a')).execute()),
        StoreConflict,
      );
      const member = { community_id: 'no-such-community', user_id: 'u1' };
      await assert.rejects(
        withSingleWrite(store, (h) => h.insertInto('engage_community_members').values(member).execute()),
        StoreParentMissing,
      );
      assert.deepEqual(await namesOf(store), ['a=A', 'b=B']);
    });

    if (dialect === 'sqlite') {
      it('tries again when another connection holds the write lock', async () => {
        const store = await migrated();
        // Without a busy timeout, the lock another process holds fails the write at once (SQLITE_BUSY)
        // instead of waiting it out.
        await sql`pragma busy_timeout = 0`.execute(store.db);
        const other = new SqliteDatabase(store.sqliteFile as string);
        try {
          other.exec('begin immediate');
          let attempts = 0;
          await withSingleWrite(store, async (h) => {
            attempts++;
            try {
              return await h.updateTable('tenants').set({ display_name: 'A2' }).where('id', '=', 'a').execute();
            } finally {
              if (attempts === 1) other.exec('commit'); // the lock is let go once the first attempt has met it
            }
          });
          assert.equal(attempts, 2);
          assert.deepEqual(await namesOf(store), ['a=A2', 'b=B']);
        } finally {
          other.close();
        }
      });
    } else {
      it('tries again when PostgreSQL breaks a deadlock by failing it', async () => {
        const store = await migrated();
        const other = await open(); // another instance
        let attempts = 0;
        // Locks a, then b: the subquery's FOR UPDATE takes them in id order.
        const bothRows = (h: Handle) => {
          attempts++;
          return sql`update tenants set display_name = display_name || '+' where id in (select id from tenants where id in ('a', 'b') order by id for update)`.execute(
            h,
          );
        };
        let write: Promise<unknown> = Promise.resolve();
        await other.db.transaction().execute(async (tx) => {
          await tx.updateTable('tenants').set({ display_name: 'B1' }).where('id', '=', 'b').execute();
          write = withSingleWrite(store, bothRows);
          write.catch(() => undefined); // awaited below, once the other transaction has committed
          await untilOneWaitsForALock(other);
          // The single write holds a and waits for b; this waits for a. The single write waited first,
          // so its deadlock check runs first, and PostgreSQL fails it (40P01) to free this one.
          await tx.updateTable('tenants').set({ display_name: 'A1' }).where('id', '=', 'a').execute();
        });
        await write;
        assert.equal(attempts, 2);
        assert.deepEqual(await namesOf(store), ['a=A1+', 'b=B1+']);
      });
    }
  });
}

/** Polls (on a connection of its own) until a session of this database waits for a lock. */
async function untilOneWaitsForALock(store: Store): Promise<void> {
  for (let polls = 0; polls < 1000; polls++) {
    const { rows } = await sql<{
      waiting: number;
    }>`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(store.db);
    if ((rows[0]?.waiting ?? 0) > 0) return;
    await sleep(10);
  }
  assert.fail('the single write never waited for the lock');
}
