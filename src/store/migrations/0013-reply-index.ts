import { type Kysely, sql } from 'kysely';

// Replies are found by the message they answer; root messages, most of all posts, have their own index
// (0012). Keeping the roots out of the replies' index spares every root post one index insert.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('messages_container_reply').execute();
  await db.schema
    .createIndex('messages_container_reply')
    .on('messages')
    .columns(['container_id', 'reply_to_id', 'id'])
    .where(sql.ref('reply_to_id'), 'is not', null)
    .execute();
}
