import { sql } from 'kysely';
import type { MessageTable } from './schema.ts';
import type { Handle } from './transaction.ts';

// Each miss jumps past every id taken at or after the candidate, so only a race with another
// sender makes a second attempt miss too.
const attemptsMax = 20;

/**
 * Inserts a chat or channel message under the first free id from `row.id` upward, and returns that
 * id. Graph's message ids are creation times in epoch milliseconds, unique within their conversation
 * (chatmessage resource); messages of one millisecond get neighbouring ids, and a burst of them runs
 * ahead of the clock. `ON CONFLICT DO NOTHING` makes a taken id a cheap miss instead of an error, so
 * concurrent senders on any instance never block each other on the whole conversation, and a failed
 * attempt does not abort the caller's transaction.
 */
export async function insertWithFreeMessageId(h: Handle, row: MessageTable): Promise<string> {
  let id = Number(row.id);
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    const result = await h
      .insertInto('messages')
      .values({ ...row, id: String(id) })
      .onConflict((oc) => oc.columns(['container_id', 'id']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) return String(id);
    id = Math.max(id + 1, (await newestIdFrom(h, row.container_id, id)) + 1);
  }
  throw new Error(`no free message id in ${row.container_id} near ${row.id}`);
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
