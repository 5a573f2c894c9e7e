import type { Kysely } from 'kysely';

// Group mailbox conversations (api-reference/v1.0/resources/conversation.md): a conversation holds
// threads, a thread holds posts. The summary columns (preview, senders, last delivery) are kept in
// step with the posts inside the write that changes them, so lists sort and page in SQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('group_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('has_attachments', 'integer', (c) => c.notNull())
    .addColumn('last_delivered_date_time', 'text', (c) => c.notNull())
    .addColumn('preview', 'text', (c) => c.notNull())
    .addColumn('unique_senders', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('group_conversations_latest').on('group_conversations').columns(['group_id', 'last_delivered_date_time', 'id']).execute();

  await db.schema
    .createTable('group_threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('to_recipients', 'text', (c) => c.notNull())
    .addColumn('cc_recipients', 'text', (c) => c.notNull())
    .addColumn('is_locked', 'integer', (c) => c.notNull())
    .addColumn('has_attachments', 'integer', (c) => c.notNull())
    .addColumn('last_delivered_date_time', 'text', (c) => c.notNull())
    .addColumn('preview', 'text', (c) => c.notNull())
    .addColumn('unique_senders', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('group_threads_latest').on('group_threads').columns(['group_id', 'last_delivered_date_time', 'id']).execute();
  await db.schema.createIndex('group_threads_conversation').on('group_threads').columns(['conversation_id']).execute();

  await db.schema
    .createTable('group_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('in_reply_to_id', 'text')
    .addColumn('body_content_type', 'text', (c) => c.notNull())
    .addColumn('body_content', 'text', (c) => c.notNull())
    .addColumn('from_recipient', 'text', (c) => c.notNull())
    .addColumn('sender_recipient', 'text', (c) => c.notNull())
    .addColumn('new_participants', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('change_key', 'text', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('last_modified_date_time', 'text', (c) => c.notNull())
    .addColumn('received_date_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('group_posts_thread').on('group_posts').columns(['thread_id', 'created_date_time', 'id']).execute();
  await db.schema.createIndex('group_posts_conversation').on('group_posts').columns(['conversation_id']).execute();
}
