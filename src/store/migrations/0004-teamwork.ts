import type { Kysely } from 'kysely';

// Beta teamwork sections: one hierarchy version per user, sections, items, and the Viva Engage
// communities that items may point at.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_teamwork')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('sections_version', 'bigint', (c) => c.notNull())
    .addColumn('sections_order', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('teamwork_sections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('display_icon', 'text')
    .addColumn('is_expanded', 'integer', (c) => c.notNull())
    .addColumn('sort_type', 'text', (c) => c.notNull())
    .addColumn('section_type', 'text', (c) => c.notNull())
    .addColumn('system_name', 'text')
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('last_modified_date_time', 'text', (c) => c.notNull())
    .addUniqueConstraint('teamwork_sections_name', ['user_id', 'display_name'])
    .execute();
  await db.schema
    .createTable('teamwork_section_items')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('item_type', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('last_modified_date_time', 'text')
    .addPrimaryKeyConstraint('teamwork_section_items_pk', ['user_id', 'id'])
    .execute();
  await db.schema.createIndex('teamwork_section_items_section').on('teamwork_section_items').columns(['section_id', 'position']).execute();
  await db.schema
    .createTable('engage_communities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('engage_community_members')
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('engage_community_members_pk', ['community_id', 'user_id'])
    .execute();
}
