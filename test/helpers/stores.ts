import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { type Db, type Store, openStore } from '../../src/store/db.ts';
import type { Database } from '../../src/store/schema.ts';
import { type Dialect, type TestDatabase, createTestDatabase } from './databases.ts';

/**
 * For store contract tests: a fresh database per test that several stores (connections, as separate
 * instances would have) can open. SQLite uses a file here, since :memory: cannot be shared.
 */
export function useSharedDatabase(dialect: Dialect): { open: () => Promise<Store> } {
  let database: TestDatabase;
  let tmpDir: string;
  const stores: Store[] = [];
  beforeEach(async () => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-store-'));
    database = await createTestDatabase(dialect, path.join(tmpDir, 'store.db'));
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await database.drop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });
  return {
    open: async () => {
      const store = await openStore(database.target);
      stores.push(store);
      return store;
    },
  };
}

/** How many rows a table holds: a request that fails must leave the counts of what it would write unchanged. */
export async function rowCount(db: Db, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
