import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Transaction } from 'kysely';
import { migrate } from '../../src/store/migrate.ts';
import { withTransaction } from '../../src/store/transaction.ts';
import type { Database } from '../../src/store/schema.ts';
import { testDialects } from '../helpers/databases.ts';
import { useSharedDatabase } from '../helpers/stores.ts';

const preparedOnThisConnection = async (tx: Transaction<Database>) =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx)).rows.map((row) => row.statement);

// Frequent texts run as named statements (src/store/dialects/postgres.ts); a transaction keeps to one
// connection, which is what pg_prepared_statements describes.
if (testDialects().includes('postgres')) {
  describe('named statements on postgres', () => {
    const { open } = useSharedDatabase('postgres');

    it('a text run three times becomes a named statement and answers as before', async () => {
      const store = await open();
      await migrate(store);
      await store.db.insertInto('tenants').values({ id: 't1', display_name: 'T', domain: 't.example' }).execute();
      await store.db.transaction().execute(async (tx) => {
        for (let run = 1; run <= 4; run++) {
          const found = await tx.selectFrom('tenants').select('display_name').where('id', '=', 't1').executeTakeFirst();
          assert.deepEqual(found, { display_name: 'T' });
        }
        const prepared = await preparedOnThisConnection(tx);
        assert.ok(
          prepared.some((statement) => statement.startsWith('select "display_name" from "tenants"')),
          prepared.join('\n'),
        );
      });
    });

    it('texts that vary (IN lists of every length) stop being named at 200 per connection', async () => {
      const store = await open();
      await migrate(store);
      await store.db.transaction().execute(async (tx) => {
        for (let length = 1; length <= 260; length++) {
          const ids = Array.from({ length }, (_, i) => `id-${i}`);
          for (let run = 0; run < 3; run++) assert.deepEqual(await tx.selectFrom('tenants').select('id').where('id', 'in', ids).execute(), []);
        }
        assert.equal((await preparedOnThisConnection(tx)).length, 200);
      });
    });

    it('a prepared select * keeps answering after another instance adds a column, in and out of transactions', async () => {
      const [first, second] = [await open(), await open()];
      await migrate(first);
      await first.db.insertInto('tenants').values({ id: 't1', display_name: 'T', domain: 't.example' }).execute();
      const readAll = () => first.db.selectFrom('tenants').selectAll().where('id', '=', 't1').executeTakeFirstOrThrow();
      for (let run = 0; run < 5; run++) await readAll();
      await sql`alter table tenants add column motto text`.execute(second.db);
      assert.equal((await readAll()).display_name, 'T');

      await sql`alter table tenants add column slogan text`.execute(second.db);
      const inTransaction = await withTransaction(first, (tx) => tx.selectFrom('tenants').selectAll().where('id', '=', 't1').executeTakeFirstOrThrow());
      assert.deepEqual(Object.keys(inTransaction).slice(-2), ['motto', 'slogan']);
    });
  });
}
