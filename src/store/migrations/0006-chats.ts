import type { Kysely } from 'kysely';

// Apps installed in a chat (teamsAppInstallation), written by POST /chats with installedApps once
// its createChat operation runs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_installed_apps')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('teams_app_id', 'text', (c) => c.notNull())
    .addColumn('consented_permission_set', 'text')
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_installed_apps_pk', ['chat_id', 'id'])
    .execute();
}
