import type { Transaction } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

type Work = (tx: Transaction<Database>) => Promise<unknown>;

interface Waiting {
  readonly work: Work;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly err: unknown };

// A group waits for the connection, so it gathers what arrived meanwhile; this bounds how long the
// last of a group waits for the ones before it.
const groupMax = 64;

/**
 * Group commit for SQLite. A commit writes each page the transaction changed to the WAL, and
 * concurrent requests change the same few pages (the ends of the same indexes): a new chat's commit
 * writes about seven pages, at the same index ends the previous chat's commit wrote. Transactions that arrive
 * while the database is busy therefore run one after another in one SQLite transaction, each under a
 * savepoint of its own, and commit together: the pages are written once for all of them.
 *
 * Isolation is as if they had run one by one, in arrival order (SQLite has one writer anyway). Work
 * that fails is rolled back to its savepoint and fails alone. A commit that fails fails every one of
 * the group, which then retries or reports exactly as a transaction of its own would have.
 */
export class CommitGroups {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  run<T>(work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the I/O callbacks of this turn, so that the requests read together are committed together.
      setImmediate(() => void this.commitNext());
    });
  }

  private async commitNext(): Promise<void> {
    let trx;
    try {
      trx = await this.db.startTransaction().execute(); // waits while the previous group commits
    } catch (err) {
      this.takeGroup().forEach((waiting) => waiting.reject(err));
      return;
    }
    const group = this.takeGroup();
    const outcomes: Outcome[] = [];
    try {
      for (const { work } of group) {
        const point = await trx.savepoint('work').execute();
        try {
          outcomes.push({ ok: true, value: await work(point) });
          await point.releaseSavepoint('work').execute();
        } catch (err) {
          outcomes.push({ ok: false, err });
          await point.rollbackToSavepoint('work').execute();
          await point.releaseSavepoint('work').execute();
        }
      }
      await trx.commit().execute();
    } catch (err) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      group.forEach((waiting) => waiting.reject(err));
      return;
    }
    group.forEach((waiting, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.err);
    });
  }

  /** Up to groupMax of the waiting work; a later turn takes the rest. */
  private takeGroup(): Waiting[] {
    const group = this.waiting.splice(0, groupMax);
    this.scheduled = this.waiting.length > 0;
    if (this.scheduled) setImmediate(() => void this.commitNext());
    return group;
  }
}
