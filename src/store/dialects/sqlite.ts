import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { SqliteDialect, type SqliteStatement } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { SqliteSynchronous } from '../../config.ts';
import type { StoreErrorKind } from '../db.ts';

export function sqliteDialect(file: string, synchronous: SqliteSynchronous): SqliteDialect {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets readers run beside the one writer; busy_timeout makes a second process wait, not fail.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  // In WAL mode NORMAL syncs the log at checkpoints only: a commit survives a crash of the process, but
  // a power loss or an OS crash may take the last ones back. FULL syncs the log at every commit (decision 96).
  database.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // SQLite enforces foreign keys only on connections that ask it to (docs/decisions.md 93).
  database.pragma('foreign_keys = ON');
  return new SqliteDialect({ database: withStatementCache(database) });
}

const statementCacheMax = 1000;

/**
 * Kysely prepares every query anew, and preparing costs more than running a point read; statements
 * are reusable, so each SQL text is prepared once. SQLite re-prepares a cached statement by itself
 * when the schema changes.
 */
function withStatementCache(database: SqliteDatabase.Database): { prepare(source: string): SqliteStatement; close(): void } {
  const cache = new LRUCache<string, SqliteStatement>({ max: statementCacheMax });
  return {
    prepare: (source) => {
      let statement = cache.get(source);
      if (statement === undefined) {
        statement = withNamedRows(database.prepare(source), source);
        cache.set(source, statement);
      }
      return statement;
    },
    close: () => database.close(),
  };
}

/**
 * better-sqlite3 builds each row object through V8's API and looks every column name up again for
 * every row: for a page of 50 messages that is half of the read. A query that names its columns
 * reads its rows as arrays instead, and a function compiled once for those names turns each into an
 * object (all rows of the query then share one shape). A `*` takes its columns from the schema each
 * time SQLite re-prepares the statement, which another instance's migration can change under a cached
 * statement, so such a query keeps better-sqlite3's own objects; so does a column named `__proto__`,
 * which an object literal would take for the prototype.
 */
function withNamedRows(statement: SqliteDatabase.Statement, source: string): SqliteStatement {
  if (!statement.reader || source.includes('*')) return statement;
  const names = statement.columns().map((column) => column.name);
  if (names.includes('__proto__')) return statement;
  // The names are SQLite's result column names for our own SQL, each written as a JSON string literal.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const toObject = new Function('values', `return { ${names.map((name, index) => `${JSON.stringify(name)}: values[${index}]`).join(', ')} };`) as (
    values: unknown[],
  ) => unknown;
  const arrays = statement.raw(true);
  return {
    reader: true,
    all: (parameters) => (arrays.all(parameters) as unknown[][]).map(toObject),
    run: (parameters) => arrays.run(parameters),
    *iterate(parameters) {
      for (const values of arrays.iterate(parameters) as IterableIterator<unknown[]>) yield toObject(values);
    },
  };
}

/** better-sqlite3 error codes: https://www.sqlite.org/rescode.html */
export function sqliteErrorKind(err: unknown): StoreErrorKind | null {
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'unique';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreignKey';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT') return 'retry';
  return null;
}
