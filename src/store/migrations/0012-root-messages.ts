import { type Kysely, sql } from 'kysely';

// A channel's message list holds its root messages only, newest first (channel-list-messages.md). With
// the roots in an index of their own, in id order, the page is read straight off it, whatever the
// planner believes of the table: on PostgreSQL, statistics taken before a burst of posts made it sort
// every message of the channel for each page instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('messages_container_roots').on('messages').columns(['container_id', 'id']).where(sql.ref('reply_to_id'), 'is', null).execute();
}
