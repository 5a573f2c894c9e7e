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
 * Runs `fn` in one transaction. Driver errors surface as withRetries says: transient conflicts are
 * retried a bounded number of times, unique and foreign-key violations become StoreConflict and
 * StoreParentMissing. Hooks given to `afterCommit` run only once the transaction has committed, never
 * after a rollback. On SQLite, transactions of concurrent requests commit together (commit-group.ts).
 */
export async function withTransaction<T>(store: Store, fn: (tx: Transaction<Database>, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  let hooks: (() => void)[] = [];
  const result = await withRetries(store, () => {
    hooks = [];
    const work = (tx: Transaction<Database>) => fn(tx, (hook) => hooks.push(hook));
    return store.kind === 'sqlite' ? groupsOf(store).run(work) : store.db.transaction().execute(work);
  });
  for (const hook of hooks) hook();
  return result;
}

/**
 * A write that is atomic by itself, one statement, and the one way to make one: PostgreSQL runs it
 * alone, without the round trips of BEGIN and COMMIT; SQLite commits it with the other requests' writes
 * (commit-group.ts), so there `write` is handed a transaction. On both, its driver errors surface as
 * withRetries says, as a transaction's do (decision 116).
 */
export async function withSingleWrite<T>(store: Store, write: (h: Handle) => Promise<T>): Promise<T> {
  if (store.kind === 'sqlite') return withTransaction(store, write);
  return withRetries(store, () => write(store.db));
}

/**
 * Runs `attempt` until it succeeds, again after a serialization failure or deadlock (PostgreSQL) or a
 * busy file (SQLite), at most `attemptsMax` times in all, each time after a short random wait; a unique
 * violation surfaces as StoreConflict and a foreign-key violation (a parent deleted first) as
 * StoreParentMissing. `attempt` must be whole: a transaction, or one statement.
 */
async function withRetries<T>(store: Store, attempt: () => Promise<T>): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (err) {
      const kind = store.errorKind(err);
      if (kind === 'retry' && attempts < attemptsMax) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempts + Math.random() * 20));
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
