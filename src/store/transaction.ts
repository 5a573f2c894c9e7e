import type { Transaction } from 'kysely';
import type { Db, Store } from './db.ts';
import type { Database } from './schema.ts';
import { StoreConflict } from './errors.ts';

/** What store functions take first: the database itself or an open transaction. */
export type Handle = Db | Transaction<Database>;
export type AfterCommit = (hook: () => void) => void;

const attemptsMax = 5;

/**
 * Runs `fn` in one transaction. Serialization failures and deadlocks (PostgreSQL) or a busy file
 * (SQLite) are retried a bounded number of times; unique violations surface as StoreConflict.
 * Hooks given to `afterCommit` run only once the transaction has committed, never after a rollback.
 */
export async function withTransaction<T>(store: Store, fn: (tx: Transaction<Database>, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const hooks: (() => void)[] = [];
    try {
      const result = await store.db.transaction().execute((tx) => fn(tx, (hook) => hooks.push(hook)));
      for (const hook of hooks) hook();
      return result;
    } catch (err) {
      const kind = store.errorKind(err);
      if (kind === 'retry' && attempt < attemptsMax) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
        continue;
      }
      if (kind === 'unique') throw new StoreConflict(err);
      throw err;
    }
  }
}
