import fs from 'node:fs/promises';
import { type Migration, Migrator } from 'kysely';
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
};

/**
 * Brings the schema up to date, once however many instances start together: on PostgreSQL Kysely's
 * migrator holds an advisory lock; on an SQLite file its lock is a no-op and its DDL is not
 * transactional, so processes sharing the file take turns through a lock file beside it.
 */
export async function migrate(store: Store): Promise<void> {
  if (store.sqliteFile === null || store.sqliteFile === ':memory:') return migrateToLatest(store);
  return withLockFile(`${store.sqliteFile}.migrate-lock`, () => migrateToLatest(store));
}

/** A migrator over `chosen` (all of them, or, in tests, a database as an earlier release left it). */
export function migratorOf(store: Store, chosen: Readonly<Record<string, Migration>> = migrations): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve({ ...chosen }) },
    migrationTableName: 'teamgraph_migration',
    migrationLockTableName: 'teamgraph_migration_lock',
  });
}

async function migrateToLatest(store: Store): Promise<void> {
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
