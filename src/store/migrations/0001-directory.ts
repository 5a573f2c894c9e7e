import type { Kysely } from 'kysely';

// Tenants, people, apps and groups: what every other family refers to.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_principal_name', 'text', (c) => c.notNull())
    .addColumn('upn_key', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text')
    .addColumn('surname', 'text')
    .addColumn('mail', 'text')
    .addColumn('job_title', 'text')
    .addColumn('office_location', 'text')
    .addColumn('preferred_language', 'text')
    .addColumn('mobile_phone', 'text')
    .addColumn('business_phones', 'text', (c) => c.notNull())
    .addColumn('user_type', 'text', (c) => c.notNull())
    .addColumn('account_enabled', 'integer', (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_tenant').on('users').columns(['tenant_id', 'id']).execute();
  await db.schema
    .createTable('applications')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('application_permissions', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('mail_nickname', 'text', (c) => c.notNull())
    .addColumn('mail', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('group_types', 'text', (c) => c.notNull())
    .addColumn('mail_enabled', 'integer', (c) => c.notNull())
    .addColumn('security_enabled', 'integer', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('groups_tenant').on('groups').columns(['tenant_id', 'id']).execute();
  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').columns(['user_id', 'group_id']).execute();
}
