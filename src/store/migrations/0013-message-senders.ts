import { type Kysely, sql } from 'kysely';

// A message carries its sender's name and tenant as they were when it was sent (docs/decisions.md 87):
// reads of messages then need no other table. Messages already stored take their senders' current ones.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('from_display_name', 'text').execute();
  await db.schema.alterTable('messages').addColumn('from_tenant_id', 'text').execute();
  await sql`update messages set
    from_display_name = (select users.display_name from users where users.id = messages.from_user_id),
    from_tenant_id = (select users.tenant_id from users where users.id = messages.from_user_id)
    where from_user_id is not null`.execute(db);
}
