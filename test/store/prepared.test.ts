import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { migrate } from '../../src/store/migrate.ts';
import { prepare } from '../../src/store/prepared.ts';
import { withTransaction } from '../../src/store/transaction.ts';
import { testDialects } from '../helpers/databases.ts';
import { useSharedDatabase } from '../helpers/stores.ts';

// Built once with placeholders, a prepared query must answer every call as the query built with that
// call's values would.
const tenantsNamed = prepare(['domain', 'name'], (h, p: { domain: string; name: string | null }) =>
  h
    .selectFrom('tenants')
    .select(['id', 'display_name'])
    .where('domain', '=', p.domain)
    .where((eb) => eb.or([eb('display_name', '=', p.name), eb('id', '=', 'fixed')]))
    .orderBy('id'),
);

for (const dialect of testDialects()) {
  describe(`prepared queries on ${dialect}`, () => {
    const { open } = useSharedDatabase(dialect);
    const storeWithTenants = async () => {
      const store = await open();
      await migrate(store);
      await store.db
        .insertInto('tenants')
        .values([
          { id: 'a', display_name: 'Alpha', domain: 'x.example' },
          { id: 'b', display_name: 'Beta', domain: 'x.example' },
          { id: 'fixed', display_name: 'Fixed', domain: 'x.example' },
          { id: 'c', display_name: 'Alpha', domain: 'y.example' },
        ])
        .execute();
      return store;
    };

    it('each call gets its own values, constants stay, null is a value, and transactions share the plan', async () => {
      const store = await storeWithTenants();
      const ids = async (domain: string, name: string | null) => (await tenantsNamed(store.db, { domain, name })).rows.map((row) => row.id);
      assert.deepEqual(await ids('x.example', 'Alpha'), ['a', 'fixed']);
      assert.deepEqual(await ids('x.example', 'Beta'), ['b', 'fixed']);
      assert.deepEqual(await ids('y.example', 'Alpha'), ['c']);
      assert.deepEqual(await ids('x.example', null), ['fixed']);
      const inTransaction = await withTransaction(store, async (tx) => (await tenantsNamed(tx, { domain: 'y.example', name: 'Alpha' })).rows);
      assert.deepEqual(inTransaction, [{ id: 'c', display_name: 'Alpha' }]);
    });

    it('a name may be a path into the parameters, through objects and array indexes', async () => {
      const store = await storeWithTenants();
      const named = prepare(['where.domain', 'names.0', 'names.1'], (h, p: { where: { domain: string }; names: readonly string[] }) =>
        h
          .selectFrom('tenants')
          .select('id')
          .where('domain', '=', p.where.domain)
          .where('display_name', 'in', [p.names[0] as string, p.names[1] as string])
          .orderBy('id'),
      );
      const ids = async (domain: string, names: readonly string[]) => (await named(store.db, { where: { domain }, names })).rows.map((row) => row.id);
      assert.deepEqual(await ids('x.example', ['Alpha', 'Fixed']), ['a', 'fixed']);
      assert.deepEqual(await ids('x.example', ['Beta', 'Beta']), ['b']);
      assert.deepEqual(await ids('y.example', ['Alpha', 'Beta']), ['c']);
    });

    it('refuses a parameter that does not reach the query whole', async () => {
      const store = await open();
      await migrate(store);
      const pattern = prepare(['name'], (h, p: { name: string }) => h.selectFrom('tenants').select('id').where('display_name', 'like', `${p.name}%`));
      await assert.rejects(pattern(store.db, { name: 'A' }), /parameter .* is not passed whole/);
      const inRaw = prepare(['name'], (h, p: { name: string }) =>
        h
          .selectFrom('tenants')
          .select('id')
          .where(sql<boolean>`display_name = ${p.name}`),
      );
      assert.deepEqual((await inRaw(store.db, { name: 'nobody' })).rows, []);
    });

    it('refuses a query that reads a parameter its names do not give, instead of binding null', async () => {
      const store = await open();
      await migrate(store);
      const unnamed = prepare(['domain'], (h, p: { domain: string; name: string }) =>
        h.selectFrom('tenants').select('id').where('domain', '=', p.domain).where('display_name', '=', p.name),
      );
      await assert.rejects(unnamed(store.db, { domain: 'x.example', name: 'Alpha' }), /a parameter is read that is not among its names/);
    });
  });
}
