import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSeed, loadSeed } from '../../src/seed/loader.ts';
import { StoreConflict } from '../../src/store/errors.ts';
import { loadOrCreateSecret } from '../../src/store/meta.ts';
import { sql } from 'kysely';
import { migrate, migratorOf, migrations } from '../../src/store/migrate.ts';
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

    it('two stores opened together on one database (two instances, at the store layer) migrate and seed exactly once', async () => {
      const [first, second] = [await open(), await open()];
      const seed = await readSeed({ kind: 'demo' });
      const outcomes = await Promise.all(
        [first, second].map(async (store) => {
          await migrate(store);
          return loadSeed(store, seed, false);
        }),
      );
      assert.deepEqual(outcomes.sort(), [false, true]);
      const users = await first.db.selectFrom('users').select('id').execute();
      assert.equal(users.length, seed?.users.length);
    });

    it('an upgrade names the senders of messages stored before messages carried their names', async () => {
      const store = await open();
      const released = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0013'));
      assert.equal((await migratorOf(store, released).migrateToLatest()).error, undefined);
      await sql`insert into tenants (id, display_name, domain) values ('t1', 'T', 't.example')`.execute(store.db);
      await sql`insert into users (id, tenant_id, user_principal_name, upn_key, display_name, business_phones, user_type, account_enabled, is_admin, created_date_time)
        values ('u1', 't1', 'ada@t.example', 'ada@t.example', 'Ada Lovelace', '[]', 'Member', 1, 0, '2026-01-01T00:00:00.000Z')`.execute(store.db);
      await sql`insert into chats (id, tenant_id, chat_type, is_hidden_for_all_members, created_date_time, last_updated_date_time)
        values ('19:c@thread.v2', 't1', 'group', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`.execute(store.db);
      const message = (id: string, fromUserId: string | null) =>
        sql`insert into messages (container_id, id, container_kind, team_id, reply_to_id, message_type, from_user_id, from_app_id, subject, body_content_type, body_content,
          importance, attachments, mentions, reactions, created_date_time, last_modified_date_time)
          values ('19:c@thread.v2', ${id}, 'chat', null, null, 'message', ${fromUserId}, ${fromUserId === null ? 'app' : null}, null, 'text', 'hi',
          'normal', '[]', '[]', '[]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`.execute(store.db);
      await message('1', 'u1');
      await message('2', null);
      await message('3', 'gone');
      await migrate(store);
      const senders = await store.db.selectFrom('messages').select(['id', 'from_display_name', 'from_tenant_id']).orderBy('id').execute();
      assert.deepEqual(senders, [
        { id: '1', from_display_name: 'Ada Lovelace', from_tenant_id: 't1' },
        { id: '2', from_display_name: null, from_tenant_id: null },
        { id: '3', from_display_name: null, from_tenant_id: null },
      ]);
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
