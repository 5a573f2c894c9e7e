import type { Transaction } from 'kysely';
import type { Db, Store, StoreErrorKind } from './db.ts';
import type { Database } from './schema.ts';
import { CommitGroups } from './commit-group.ts';
import { StoreConflict, StoreParentMissing } from './errors.ts';

/** What store functions take first: the database itself or an open transaction. */
export type Handle = Db | Transaction<Database>;
export type AfterCommit = (hook: () => void) => void;

const attemptsMax = 5;
const commitGroups = new WeakMap<Store, CommitGroups>();

/**
 * Runs `fn` in one transaction. Serialization failures and deadlocks (PostgreSQL) or a busy file
 * (SQLite) are retried a bounded number of times; unique violations surface as StoreConflict, and
 * foreign-key violations (a parent deleted first) as StoreParentMissing.
 * Hooks given to `afterCommit` run only once the transaction has committed, never after a rollback.
 * On SQLite, transactions of concurrent requests commit together (commit-group.ts).
 */
export async function withTransaction<T>(store: Store, fn: (tx: Transaction<Database>, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const hooks: (() => void)[] = [];
    try {
      const work = (tx: Transaction<Database>) => fn(tx, (hook) => hooks.push(hook));
      const result = store.kind === 'sqlite' ? await groupsOf(store).run(work) : await store.db.transaction().execute(work);
      for (const hook of hooks) hook();
      return result;
    } catch (err) {
      const kind = store.errorKind(err);
      if (kind === 'retry' && attempt < attemptsMax) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
        continue;
      }
      throw storeError(kind, err);
    }
  }
}

/** A driver error as the store reports it: the services translate these, and nothing else. */
function storeError(kind: StoreErrorKind | null, err: unknown): unknown {
  if (kind === 'unique') return new StoreConflict(err);
  if (kind === 'foreignKey') return new StoreParentMissing(err);
  return err;
}

function groupsOf(store: Store): CommitGroups {
  let groups = commitGroups.get(store);
  if (groups === undefined) {
    groups = new CommitGroups(store.db);
    commitGroups.set(store, groups);
  }
  return groups;
}

/**
 * A write that is atomic by itself, one statement: PostgreSQL runs it alone, without the round trips
 * of BEGIN and COMMIT; SQLite commits it with the other requests' writes (commit-group.ts).
 */
export async function withSingleWrite<T>(store: Store, write: (h: Handle) => Promise<T>): Promise<T> {
  if (store.kind === 'sqlite') return withTransaction(store, write);
  try {
    return await write(store.db);
  } catch (err) {
    throw storeError(store.errorKind(err), err);
  }
}
