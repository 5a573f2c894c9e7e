import type { Kysely } from 'kysely';

// Teams (one per team-enabled group), their channels and private/shared channel rosters.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('internal_id', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('specialization', 'text', (c) => c.notNull())
    .addColumn('classification', 'text')
    .addColumn('is_archived', 'integer', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('membership_type', 'text', (c) => c.notNull())
    .addColumn('layout_type', 'text', (c) => c.notNull())
    .addColumn('is_favorite_by_default', 'integer')
    .addColumn('is_archived', 'integer', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('migration_mode', 'text')
    .addColumn('original_created_date_time', 'text')
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channels_team').on('channels').columns(['team_id', 'created_date_time']).execute();
  await db.schema
    .createTable('channel_members')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_members_pk', ['channel_id', 'user_id'])
    .execute();
}
