import type { Kysely } from 'kysely';

// Chats, their rosters, and the messages of chats and channels (one table, keyed by container).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chats')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('chat_type', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_by_app_id', 'text')
    .addColumn('is_hidden_for_all_members', 'integer', (c) => c.notNull())
    .addColumn('migration_mode', 'text')
    .addColumn('original_created_date_time', 'text')
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('last_updated_date_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('chat_members')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('visible_history_start_date_time', 'text', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_members_pk', ['chat_id', 'user_id'])
    .execute();
  await db.schema.createIndex('chat_members_user').on('chat_members').columns(['user_id', 'chat_id']).execute();
  await db.schema
    .createTable('messages')
    .addColumn('container_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('container_kind', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('reply_to_id', 'text')
    .addColumn('message_type', 'text', (c) => c.notNull())
    .addColumn('from_user_id', 'text')
    .addColumn('from_app_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('body_content_type', 'text', (c) => c.notNull())
    .addColumn('body_content', 'text', (c) => c.notNull())
    .addColumn('importance', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('mentions', 'text', (c) => c.notNull())
    .addColumn('reactions', 'text', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('last_modified_date_time', 'text', (c) => c.notNull())
    .addColumn('last_edited_date_time', 'text')
    .addColumn('deleted_date_time', 'text')
    .addPrimaryKeyConstraint('messages_pk', ['container_id', 'id'])
    .execute();
  await db.schema.createIndex('messages_container_created').on('messages').columns(['container_id', 'created_date_time']).execute();
}
