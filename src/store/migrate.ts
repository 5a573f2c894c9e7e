import fs from 'node:fs/promises';
import { type Migration, Migrator, sql } from 'kysely';
import type { Store } from './db.ts';
import * as directory from './migrations/0001-directory.ts';
import * as teams from './migrations/0002-teams.ts';
import * as chats from './migrations/0003-chats.ts';
import * as teamwork from './migrations/0004-teamwork.ts';
import * as operations from './migrations/0005-operations.ts';
import * as chatApps from './migrations/0006-chats.ts';
import * as channels from './migrations/0007-channels.ts';
import * as conversations from './migrations/0008-conversations.ts';
import * as identity from './migrations/0010-identity.ts';
import * as listIndexes from './migrations/0011-list-indexes.ts';
import * as rootMessages from './migrations/0012-root-messages.ts';
import * as messageSenders from './migrations/0013-message-senders.ts';
import * as foreignKeys from './migrations/0014-foreign-keys.ts';
import * as changes from './migrations/0015-changes.ts';
import { sqliteSchema } from './sqlite-schema.ts';

// Append-only: a released migration is never edited; a change is a new file here.
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-directory': directory,
  '0002-teams': teams,
  '0003-chats': chats,
  '0004-teamwork': teamwork,
  '0005-operations': operations,
  '0006-chats': chatApps,
  '0007-channels': channels,
  '0008-conversations': conversations,
  '0010-identity': identity,
  '0011-list-indexes': listIndexes,
  '0012-root-messages': rootMessages,
  '0013-message-senders': messageSenders,
  '0014-foreign-keys': foreignKeys,
  '0015-changes': changes,
};

/**
 * Brings the schema up to date, once however many instances start together: on PostgreSQL Kysely's
 * migrator holds an advisory lock; on an SQLite file its lock is a no-op and its DDL is not
 * transactional, so processes sharing the file take turns through a lock file beside it.
 */
export async function migrate(store: Store): Promise<void> {
  if (store.sqliteFile === null) return migrateToLatest(store);
  const upToDate = async () => {
    await createFromSchema(store);
    await migrateToLatest(store);
  };
  if (store.sqliteFile === ':memory:') return upToDate();
  return withLockFile(`${store.sqliteFile}.migrate-lock`, upToDate);
}

/**
 * A new SQLite database (one without a single table) is given, in one transaction, the schema the
 * migrations add up to (src/store/sqlite-schema.ts, SQLite's own text of every table and index they
 * leave), and those migrations are recorded as run; the migrator then runs any that came after.
 * Replaying the migrations instead took 50–100 ms of a 400 ms start (docs/decisions.md 149); a test
 * keeps the schema equal to their replay. PostgreSQL databases are long-lived and always migrate.
 */
async function createFromSchema(store: Store): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ tables: number }>`select count(*) as tables from sqlite_master`.execute(tx);
    if (rows[0]?.tables !== 0) return;
    for (const statement of sqliteSchema.statements) await sql.raw(statement).execute(tx);
    const timestamp = new Date().toISOString();
    for (const name of sqliteSchema.migrations) await sql`insert into teamgraph_migration (name, timestamp) values (${name}, ${timestamp})`.execute(tx);
  });
}

/** A migrator over `chosen` (all of them, or, in tests, a database as an earlier release left it). */
export function migratorOf(store: Store, chosen: Readonly<Record<string, Migration>> = migrations): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve({ ...chosen }) },
    migrationTableName: 'teamgraph_migration',
    migrationLockTableName: 'teamgraph_migration_lock',
    // Migrations recorded in one transaction share a timestamp and are ordered by name: by code unit, as
    // Kysely orders the migrations it is given, and not by its default `localeCompare`, whose first
    // call loads a collation (20 ms of a start).
    nameComparator: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  });
}

/** Runs every migration not yet recorded, one by one, without the SQLite schema (what sync:sqlite-schema replays). */
export async function migrateToLatest(store: Store): Promise<void> {
  const { error } = await migratorOf(store).migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
}

const lockWaitMs = 30_000;

async function withLockFile<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left behind by a process that died mid-migration is taken over once it is stale.
      const stat = await fs.stat(lockPath).catch(() => null);
      if (stat !== null && Date.now() - stat.mtimeMs > lockWaitMs) await fs.rm(lockPath, { force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the migration lock ${lockPath}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}
