import type { Kysely } from 'kysely';

// Work Graph answers with 202 Accepted: one row per teamsAsyncOperation, advanced by any instance.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('operations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('parent_kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.notNull())
    .addColumn('operation_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('target_resource_id', 'text')
    .addColumn('target_resource_location', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('attempts_count', 'integer', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('last_action_date_time', 'text', (c) => c.notNull())
    .addColumn('run_after', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operations_due').on('operations').columns(['status', 'run_after']).execute();
  await db.schema.createIndex('operations_parent').on('operations').columns(['parent_id', 'created_date_time']).execute();
}
