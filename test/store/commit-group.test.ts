import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Dialect, Kysely, sql } from 'kysely';
import { CommitGroups } from '../../src/store/commit-group.ts';
import { sqliteDialect } from '../../src/store/dialects/sqlite.ts';
import type { Database } from '../../src/store/schema.ts';

// Tables of the test's own, through an untyped handle: the group only needs a Kysely instance.
interface Tables {
  parent: { id: string };
  child: { id: string; parent_id: string };
  item: { id: string; parent_id: string };
}

/** A SQLite database on a file whose driver counts the transactions it commits and rolls back. */
function countingSqlite(file: string): { db: Kysely<Tables>; commits: () => number; rollbacks: () => number } {
  const counts = { commits: 0, rollbacks: 0 };
  const dialect = sqliteDialect(file, 'normal');
  const counting: Dialect = {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => {
      const driver = dialect.createDriver();
      const commit = driver.commitTransaction.bind(driver);
      const rollback = driver.rollbackTransaction.bind(driver);
      driver.commitTransaction = (connection) => {
        counts.commits++;
        return commit(connection);
      };
      driver.rollbackTransaction = (connection) => {
        counts.rollbacks++;
        return rollback(connection);
      };
      return driver;
    },
  };
  return { db: new Kysely<Tables>({ dialect: counting }), commits: () => counts.commits, rollbacks: () => counts.rollbacks };
}

describe('SQLite commit groups', () => {
  let tmpDir: string;
  let db: Kysely<Tables>;
  let groups: CommitGroups;
  let commits: () => number;
  let rollbacks: () => number;

  beforeEach(async () => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-group-'));
    ({ db, commits, rollbacks } = countingSqlite(path.join(tmpDir, 'group.db')));
    await sql`pragma foreign_keys = on`.execute(db);
    await sql`create table parent (id text primary key)`.execute(db);
    // Checked at COMMIT, not at each statement: a way to make a group's commit fail.
    await sql`create table child (id text primary key, parent_id text not null references parent (id) deferrable initially deferred)`.execute(db);
    // Checked at each statement, as teamgraph's own foreign keys are.
    await sql`create table item (id text primary key, parent_id text not null references parent (id) on delete cascade)`.execute(db);
    groups = new CommitGroups(db as unknown as Kysely<Database>);
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  const insertParent = (id: string) => (tx: Kysely<Database>) =>
    (tx as unknown as Kysely<Tables>)
      .insertInto('parent')
      .values({ id })
      .execute()
      .then(() => id);
  const parents = async () => (await db.selectFrom('parent').select('id').orderBy('id').execute()).map((row) => row.id);

  it('transactions begun in one turn commit once, in arrival order, each with its own result', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const results = await Promise.all(ids.map((id) => groups.run(insertParent(id))));
    assert.deepEqual(results, ids);
    assert.deepEqual(await parents(), ids);
    assert.equal(commits(), 1);
  });

  it('work that fails is undone and fails alone; the rest of its group commits', async () => {
    const results = await Promise.allSettled([
      groups.run(insertParent('p0')),
      groups.run(async (tx) => {
        await insertParent('half-written')(tx);
        throw new Error('the request failed');
      }),
      groups.run(insertParent('p1')),
      groups.run(insertParent('p1')), // taken by the one before it
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /the request failed/);
    assert.equal((results[3] as PromiseRejectedResult).reason.code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
    assert.deepEqual(await parents(), ['p0', 'p1']);
    assert.equal(commits(), 1);
  });

  it('a write refused by a foreign key checked at once is undone and fails alone; the rest of its group commits', async () => {
    const insertItem = (id: string, parentId: string) => (tx: Kysely<Database>) =>
      (tx as unknown as Kysely<Tables>).insertInto('item').values({ id, parent_id: parentId }).execute();
    const results = await Promise.allSettled([
      groups.run(insertParent('p0')),
      groups.run(async (tx) => {
        await insertParent('half-written')(tx);
        await insertItem('i0', 'deleted-meanwhile')(tx);
      }),
      groups.run(insertItem('i1', 'p0')),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal((results[1] as PromiseRejectedResult).reason.code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
    assert.deepEqual(await parents(), ['p0']);
    assert.deepEqual(await db.selectFrom('item').select(['id', 'parent_id']).execute(), [{ id: 'i1', parent_id: 'p0' }]);
    assert.equal(commits(), 1);
  });

  it('a commit that fails fails the whole group and leaves nothing of it', async () => {
    const results = await Promise.allSettled([
      groups.run(insertParent('p0')),
      groups.run((tx) => (tx as unknown as Kysely<Tables>).insertInto('child').values({ id: 'c1', parent_id: 'missing' }).execute()),
      groups.run(insertParent('p1')),
    ]);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.equal(result.reason.code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
    }
    assert.deepEqual(await parents(), []);
    assert.equal(rollbacks(), 1);
    // The database is usable again: the next group commits.
    assert.equal(await groups.run(insertParent('p2')), 'p2');
    assert.deepEqual(await parents(), ['p2']);
  });

  it('what arrives while a group runs forms the next group; every piece of work runs once', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = groups.run(async (tx) => {
      await held; // the group keeps the connection until released
      return insertParent('first')(tx);
    });
    await new Promise((resolve) => setImmediate(resolve)); // the first group has begun
    const later = ['l0', 'l1', 'l2'].map((id) => groups.run(insertParent(id)));
    release();
    assert.deepEqual(await Promise.all([first, ...later]), ['first', 'l0', 'l1', 'l2']);
    assert.deepEqual(await parents(), ['first', 'l0', 'l1', 'l2']);
    assert.equal(commits(), 2);
  });
});
