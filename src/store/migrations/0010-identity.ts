import type { Kysely } from 'kysely';

// The authority's RS256 signing keys. They live in the database so that every instance signs and
// verifies with the same keys; a retired key stays published until the tokens it signed expire.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('retired_date_time', 'text')
    .execute();
}
