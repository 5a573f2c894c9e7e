import type { Kysely } from 'kysely';

// Chat messages list newest modification first by default and filter on that time
// (chat-list-messages.md); this index serves the filter, the order and the keyset (docs/decisions.md 73).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('messages_container_modified').on('messages').columns(['container_id', 'last_modified_date_time', 'id']).execute();
}
