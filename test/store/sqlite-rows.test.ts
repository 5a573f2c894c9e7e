import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { sqliteDialect } from '../../src/store/dialects/sqlite.ts';

// Queries that name their columns read rows as arrays and build the objects themselves
// (src/store/dialects/sqlite.ts): they must hand back exactly what better-sqlite3's own objects hold,
// and keep doing so when another connection changes the table under a cached statement.

interface Tables {
  things: { id: string; label: string | null; size: number };
}

describe('SQLite rows of queries that name their columns', () => {
  let tmpDir: string;
  let file: string;
  let db: Kysely<Tables>;
  let other: SqliteDatabase.Database;

  beforeEach(async () => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-rows-'));
    file = path.join(tmpDir, 'rows.db');
    db = new Kysely<Tables>({ dialect: sqliteDialect(file, 'normal') });
    await sql`create table things (id text primary key, label text, size integer not null)`.execute(db);
    await db
      .insertInto('things')
      .values([
        { id: 'a', label: 'first', size: 1 },
        { id: 'b', label: null, size: 2 },
      ])
      .execute();
    other = new SqliteDatabase(file); // another process's connection to the same file
  });
  afterEach(async () => {
    other.close();
    await db.destroy();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it('are the objects better-sqlite3 builds: names, aliases, nulls, numbers, and a repeated name', async () => {
    const query = db
      .selectFrom('things')
      .select(['id', 'label', 'size', 'id as key', sql<number>`size + 10`.as('scaled'), 'label as id'])
      .orderBy('size');
    const compiled = query.compile();
    const expected = other.prepare(compiled.sql).all(...compiled.parameters);
    const rows = await query.execute();
    assert.deepEqual(rows, expected);
    assert.deepEqual(rows[1], { id: null, label: null, size: 2, key: 'b', scaled: 12 });
  });

  it('keep their names when another connection rebuilds the table with its columns in another order', async () => {
    const read = () => db.selectFrom('things').select(['id', 'label', 'size']).where('id', '=', 'a').executeTakeFirstOrThrow();
    assert.deepEqual(await read(), { id: 'a', label: 'first', size: 1 });
    other.exec(`create table things_new (size integer not null, label text, id text primary key);
      insert into things_new (size, label, id) select size, label, id from things;
      drop table things;
      alter table things_new rename to things;`);
    assert.deepEqual(await read(), { id: 'a', label: 'first', size: 1 });
  });

  it('a select * still shows the column another connection adds', async () => {
    const readAll = () => sql<Record<string, unknown>>`select * from things where id = 'a'`.execute(db);
    assert.deepEqual((await readAll()).rows, [{ id: 'a', label: 'first', size: 1 }]);
    other.exec(`alter table things add column colour text default 'red'`);
    assert.deepEqual((await readAll()).rows, [{ id: 'a', label: 'first', size: 1, colour: 'red' }]);
  });

  it('stream as objects too', async () => {
    const streamed: unknown[] = [];
    for await (const row of db.selectFrom('things').select(['id', 'size']).orderBy('id').stream()) streamed.push(row);
    assert.deepEqual(streamed, [
      { id: 'a', size: 1 },
      { id: 'b', size: 2 },
    ]);
  });
});
