import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import { tableColumns } from './columns.ts';
import { prepare } from './prepared.ts';
import type { MessageTable } from './schema.ts';
import type { Handle } from './transaction.ts';

// Each miss jumps past every id taken at or after the candidate, so only a race with another
// sender makes a second attempt miss too.
const attemptsMax = 20;
const claimedMax = 10_000;
// A candidate at most this old is a live post, which follows the newest claimed id however far a burst
// has run ahead of the clock; an older one is a back-dated import, which keeps its own time.
const liveWindowMs = 1000;

const insertUnlessTaken = prepare(tableColumns.messages, (h, row: MessageTable) =>
  h
    .insertInto('messages')
    .values(row)
    .onConflict((oc) => oc.columns(['container_id', 'id']).doNothing()),
);

/**
 * Inserts chat and channel messages under free ids. Graph's message ids are creation times in epoch
 * milliseconds, unique within their conversation (chatmessage resource); messages of one millisecond
 * get neighbouring ids, and a burst of them runs ahead of the clock.
 *
 * `ON CONFLICT DO NOTHING` makes a taken id a cheap miss instead of an error, so concurrent senders on
 * any instance never block each other on the whole conversation, and a failed attempt does not abort
 * the caller's transaction. Posts to one conversation often come faster than one a millisecond (a bot,
 * an import, a load test), so each allocator also remembers the newest id it claimed per conversation
 * and starts past it: within one instance, concurrent posts then never miss. It is a hint, not a lock:
 * other instances and restarts fall back to the miss path.
 */
export class MessageIdAllocator {
  private readonly claimed = new LRUCache<string, number>({ max: claimedMax });

  /** Inserts `row` under the first free id from `row.id` upward (or past this instance's newest), and returns that id. */
  async insert(h: Handle, row: MessageTable): Promise<string> {
    let id = this.pastClaimed(row.container_id, Number(row.id));
    for (let attempt = 0; attempt < attemptsMax; attempt++) {
      this.claim(row.container_id, id);
      const result = await insertUnlessTaken(h, { ...row, id: String(id) });
      if (result.numAffectedRows === 1n) return String(id);
      // Past this instance's own claims too: concurrent posts that all missed the same taken ids would
      // otherwise all try the one after them, and all but one miss again, round after round.
      id = this.pastClaimed(row.container_id, Math.max(id + 1, (await newestIdFrom(h, row.container_id, id)) + 1));
    }
    throw new Error(`no free message id in ${row.container_id} near ${row.id}`);
  }

  /**
   * One attempt: `row` under the id `insert` would try first, written by `write`, an insert that may
   * decline (a taken id, a guard that fails); the id, or undefined when nothing was written.
   */
  async tryInsert(row: MessageTable, write: (row: MessageTable) => Promise<boolean>): Promise<string | undefined> {
    const id = this.pastClaimed(row.container_id, Number(row.id));
    this.claim(row.container_id, id);
    return (await write({ ...row, id: String(id) })) ? String(id) : undefined;
  }

  /** A live candidate moved past the newest id this instance claimed in the conversation. */
  private pastClaimed(containerId: string, id: number): number {
    const newest = this.claimed.get(containerId);
    return newest !== undefined && newest >= id && id > Date.now() - liveWindowMs ? newest + 1 : id;
  }

  /** Claims `id` before the insert awaits, so that a concurrent post in this instance tries the next one. */
  private claim(containerId: string, id: number): void {
    if ((this.claimed.get(containerId) ?? 0) >= id) return; // a back-dated import: keep the newest
    this.claimed.set(containerId, id);
  }
}

/**
 * The largest id at or after `id` in the conversation. Ids are decimal text: the range narrows on the
 * primary key (13-digit ids compare as text the way they do as numbers), the cast compares numbers.
 */
async function newestIdFrom(h: Handle, containerId: string, id: number): Promise<number> {
  const row = await h
    .selectFrom('messages')
    .select(sql<number | string | null>`max(cast(id as bigint))`.as('newest'))
    .where('container_id', '=', containerId)
    .where('id', '>=', String(id))
    .executeTakeFirst();
  return Number(row?.newest ?? id);
}
