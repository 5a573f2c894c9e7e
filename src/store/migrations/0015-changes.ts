import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Change notifications (docs/decisions.md 152). Every change to a resource a subscription can name is
// appended to `changes` by a trigger, in the transaction that makes it: whichever route, batch item,
// import or operation wrote it, the change is recorded if and only if it commits. A dispatcher turns
// changes into rows of `notifications`, the outbox any instance delivers from.

/** A trigger's source: the table, the statement, and the SELECT whose rows it appends to `changes`. */
interface ChangeTrigger {
  readonly table: string;
  readonly event: 'insert' | 'update' | 'delete';
  /** Selects tenant_id, resource, change_type, container_id, channel_id, item_id, reply_to_id. */
  readonly select: string;
}

const events = ['insert', 'update', 'delete'] as const;
const created = `'created'`;
const changeType = (event: ChangeTrigger['event']) => (event === 'insert' ? created : event === 'delete' ? `'deleted'` : `'updated'`);
/** The row a trigger reads: the new one, or the old one of a deletion. */
const row = (event: ChangeTrigger['event']) => (event === 'delete' ? 'OLD' : 'NEW');
const messageUpdate = `case when OLD.deleted_date_time is null and NEW.deleted_date_time is not null then 'deleted' else 'updated' end`;

// A row removed with its parent (a chat's members with the chat) raises no change of its own: the
// parent's deletion says it. Joining the parent, which is gone by then, selects nothing.
const triggers: readonly ChangeTrigger[] = [
  // Messages are never deleted by a request, only soft-deleted: that is their `deleted` (and undoing it an update).
  ...(['insert', 'update'] as const).map((event) => ({
    table: 'messages',
    event,
    select: `select chats.tenant_id, 'chatMessage', ${event === 'insert' ? created : messageUpdate}, chats.id, null, NEW.id, null
      from chats where NEW.container_kind = 'chat' and chats.id = NEW.container_id
      union all
      select channels.tenant_id, 'channelMessage', ${event === 'insert' ? created : messageUpdate}, channels.team_id, channels.id, NEW.id, NEW.reply_to_id
      from channels where NEW.container_kind = 'channel' and channels.id = NEW.container_id`,
  })),
  ...events.map((event) => ({
    table: 'chats',
    event,
    select: `select ${row(event)}.tenant_id, 'chat', ${changeType(event)}, ${row(event)}.id, null, null, null`,
  })),
  ...events.map((event) => ({
    table: 'teams',
    event,
    select: `select ${row(event)}.tenant_id, 'team', ${changeType(event)}, ${row(event)}.id, null, null, null`,
  })),
  ...events.map((event) => ({
    table: 'channels',
    event,
    select: `select ${row(event)}.tenant_id, 'channel', ${changeType(event)}, ${row(event)}.team_id, ${row(event)}.id, null, null
      from teams where teams.id = ${row(event)}.team_id`,
  })),
  ...events.map((event) => ({
    table: 'chat_members',
    event,
    select: `select chats.tenant_id, 'chatMember', ${changeType(event)}, chats.id, null, '0##' || ${row(event)}.tenant_id || '##' || chats.id || '##' || ${row(event)}.user_id, null
      from chats where chats.id = ${row(event)}.chat_id`,
  })),
  ...events.map((event) => ({
    table: 'group_members',
    event,
    select: `select teams.tenant_id, 'teamMember', ${changeType(event)}, teams.id, null, teams.id || '##' || ${row(event)}.user_id, null
      from teams join groups on groups.id = teams.id where teams.id = ${row(event)}.group_id`,
  })),
  ...events.map((event) => ({
    table: 'channel_members',
    event,
    select: `select channels.tenant_id, 'channelMember', ${changeType(event)}, channels.team_id, channels.id, channels.id || '##' || ${row(event)}.user_id, null
      from channels where channels.id = ${row(event)}.channel_id`,
  })),
  // A conversation is inserted as a shell dated before any post, and its first post gives it its
  // summary in the same transaction (conversations.service.ts): that completes its creation, and is no update.
  ...events.map((event) => ({
    table: 'group_conversations',
    event,
    select: `select groups.tenant_id, 'conversation', ${changeType(event)}, groups.id, null, ${row(event)}.id, null
      from groups where groups.id = ${row(event)}.group_id${event === 'update' ? ` and OLD.last_delivered_date_time <> '${new Date(0).toISOString()}'` : ''}`,
  })),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('changes')
    // A sequence never reused, so that the order of changes survives their removal.
    .addColumn('seq', isPostgres ? 'bigserial' : 'integer', (c) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('change_type', 'text', (c) => c.notNull())
    .addColumn('container_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text')
    .addColumn('item_id', 'text')
    .addColumn('reply_to_id', 'text')
    .addColumn('changed_date_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('change_type', 'text', (c) => c.notNull())
    .addColumn('notification_url', 'text', (c) => c.notNull())
    .addColumn('lifecycle_notification_url', 'text')
    .addColumn('client_state', 'text')
    .addColumn('expiration_date_time', 'text', (c) => c.notNull())
    .addColumn('include_resource_data', 'integer', (c) => c.notNull())
    .addColumn('encryption_certificate', 'text')
    .addColumn('encryption_certificate_id', 'text')
    .addColumn('latest_supported_tls_version', 'text', (c) => c.notNull())
    .addColumn('notification_query_options', 'text')
    .addColumn('notification_url_app_id', 'text')
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('reauthorize_after', 'text')
    .execute();
  await db.schema.createIndex('subscriptions_tenant').on('subscriptions').columns(['tenant_id', 'expiration_date_time']).execute();
  // Graph's 409 for a second subscription of one caller to the same resource and change types.
  await db.schema
    .createIndex('subscriptions_combination')
    .unique()
    .on('subscriptions')
    .columns(['application_id', 'creator_id', 'target', 'change_type'])
    .execute();
  await db.schema
    .createTable('notifications')
    // In the order of the changes they tell of, which their receiver gets them in.
    .addColumn('seq', isPostgres ? 'bigserial' : 'integer', (c) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subscription_ids', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('token_audience', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_result', 'text')
    .addColumn('created_date_time', 'text', (c) => c.notNull())
    .addColumn('next_attempt_date_time', 'text', (c) => c.notNull())
    .addColumn('retry_until', 'text', (c) => c.notNull())
    .addColumn('last_attempt_date_time', 'text')
    .execute();
  await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'next_attempt_date_time']).execute();
  await db.schema.createIndex('notifications_recent').on('notifications').columns(['created_date_time']).execute();
  for (const trigger of triggers) {
    const name = `changes_${trigger.table}_${trigger.event}`;
    const append = `insert into changes (tenant_id, resource, change_type, container_id, channel_id, item_id, reply_to_id, changed_date_time)
      select t.*, ${isPostgres ? `to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`}
      from (${trigger.select}) as t`;
    if (isPostgres) {
      await sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${append}; return null; end $$`).execute(db);
      await sql.raw(`create trigger ${name} after ${trigger.event} on ${trigger.table} for each row execute function ${name}()`).execute(db);
    } else {
      await sql.raw(`create trigger ${name} after ${trigger.event} on ${trigger.table} begin ${append}; end`).execute(db);
    }
  }
}
