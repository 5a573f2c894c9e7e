import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { sqliteSchemaFromMigrations, sqliteSchemaModule, sqliteSchemaSource } from '../../scripts/sqlite-schema.ts';
import { type Store, openStore } from '../../src/store/db.ts';
import { migrate, migratorOf } from '../../src/store/migrate.ts';

// A new SQLite database is created from src/store/sqlite-schema.ts instead of replaying the migrations
// (docs/decisions.md 149): the two must leave the same database.

async function schemaOf(store: Store) {
  const { rows } = await sql`select type, name, tbl_name, sql from sqlite_master order by rowid`.execute(store.db);
  return rows;
}

async function migrationRecord(store: Store) {
  const { rows } = await sql<{ name: string; timestamp: string }>`select name, timestamp from teamgraph_migration order by name`.execute(store.db);
  return rows;
}

describe('the SQLite schema a new database is created from', () => {
  it('is what the migrations add up to (npm run sync:sqlite-schema writes it again)', async () => {
    assert.equal(fs.readFileSync(sqliteSchemaModule, 'utf8'), await sqliteSchemaSource(await sqliteSchemaFromMigrations()));
  });

  for (const where of ['memory', 'file'] as const) {
    it(`leaves the tables, indexes and migration record that replaying every migration leaves (${where})`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-schema-'));
      const file = where === 'memory' ? ':memory:' : path.join(dir, 'created.db');
      const created = await openStore({ kind: 'sqlite', file, synchronous: 'normal' });
      const replayed = await openStore({ kind: 'sqlite', file: ':memory:', synchronous: 'normal' });
      try {
        await migrate(created);
        assert.equal((await migratorOf(replayed).migrateToLatest()).error, undefined);
        assert.deepEqual(await schemaOf(created), await schemaOf(replayed));
        const record = await migrationRecord(created);
        assert.deepEqual(
          record.map((row) => row.name),
          (await migrationRecord(replayed)).map((row) => row.name),
        );
        // Recorded together, in the one transaction that created the schema: the migrations were not replayed.
        assert.equal(new Set(record.map((row) => row.timestamp)).size, 1);
        // And the schema works: a second start finds nothing to do, and foreign keys hold.
        await migrate(created);
        await assert.rejects(sql`insert into group_members (group_id, user_id, role) values ('no-group', 'u', 'member')`.execute(created.db), /FOREIGN KEY/);
      } finally {
        await created.close();
        await replayed.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
