import type { MessageTable } from './schema.ts';
import type { Handle } from './transaction.ts';

const attemptsMax = 1000;

/**
 * Inserts a chat or channel message under the first free id from `row.id` upward, and returns that
 * id. Graph's message ids are creation times in epoch milliseconds, unique within their conversation
 * (chatmessage resource); two messages of one millisecond get neighbouring ids. `ON CONFLICT DO
 * NOTHING` makes a taken id a cheap miss instead of an error, so concurrent senders on any instance
 * never block each other on the whole conversation, and a failed attempt does not abort the
 * transaction.
 */
export async function insertWithFreeMessageId(tx: Handle, row: MessageTable): Promise<string> {
  for (let attempt = 0, id = Number(row.id); attempt < attemptsMax; attempt++, id++) {
    const result = await tx
      .insertInto('messages')
      .values({ ...row, id: String(id) })
      .onConflict((oc) => oc.columns(['container_id', 'id']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) return String(id);
  }
  throw new Error(`no free message id in ${row.container_id} near ${row.id}`);
}
