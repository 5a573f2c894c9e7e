import { type Kysely, sql } from 'kysely';

// The teams a shared channel is shared with, the host team included (channel-list-sharedwithteams.md),
// and one channel name per team, whatever its case: Graph refuses a second channel of the same name.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_shared_teams')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('is_host_team', 'integer', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_shared_teams_pk', ['channel_id', 'team_id'])
    .execute();
  await db.schema.createIndex('channel_shared_teams_team').on('channel_shared_teams').columns(['team_id', 'channel_id']).execute();
  await sql`create unique index channels_team_name on channels (team_id, lower(display_name))`.execute(db);
  await db.schema.createIndex('messages_container_reply').on('messages').columns(['container_id', 'reply_to_id', 'id']).execute();
}
