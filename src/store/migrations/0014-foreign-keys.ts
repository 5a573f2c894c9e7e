import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';

// Nothing outlives what it belongs to (docs/decisions.md 93): every row that lives under another
// (a chat's members and messages, a channel's, a reply's root, a thread's posts, a section's items)
// names it through a foreign key that removes it with its parent. Rows stored without their parent
// by earlier releases are deleted first: nothing could reach them.

/** A child's columns, and the key of its parent they name. */
interface ForeignKey {
  readonly table: string;
  readonly name: string;
  readonly columns: readonly string[];
  readonly parent: string;
  readonly parentColumns: readonly string[];
}

const key = (table: string, columns: readonly string[], parent: string, parentColumns: readonly string[] = ['id']): ForeignKey => ({
  table,
  name: `${table}_${columns.join('_')}_fk`,
  columns,
  parent,
  parentColumns,
});

// Parents before their children: deleting orphans in this order also deletes what a deleted orphan held.
const foreignKeys: readonly ForeignKey[] = [
  key('teams', ['id'], 'groups'),
  key('group_members', ['group_id'], 'groups'),
  key('group_conversations', ['group_id'], 'groups'),
  key('group_threads', ['conversation_id'], 'group_conversations'),
  key('group_posts', ['thread_id'], 'group_threads'),
  key('channels', ['team_id'], 'teams'),
  key('channel_members', ['channel_id'], 'channels'),
  key('channel_shared_teams', ['channel_id'], 'channels'),
  key('channel_shared_teams', ['team_id'], 'teams'),
  key('chat_members', ['chat_id'], 'chats'),
  key('chat_installed_apps', ['chat_id'], 'chats'),
  key('messages', ['chat_id'], 'chats'),
  key('messages', ['channel_id'], 'channels'),
  key('messages', ['container_id', 'reply_to_id'], 'messages', ['container_id', 'id']),
  key('teamwork_sections', ['user_id'], 'user_teamwork', ['user_id']),
  key('teamwork_section_items', ['section_id'], 'teamwork_sections'),
  key('engage_community_members', ['community_id'], 'engage_communities'),
];

// A message's container is a chat or a channel: one column each, derived from the two that key it,
// so that each can name its parent. They are null for the other kind, and a null key names nothing.
const containerColumns = [
  { name: 'chat_id', kind: 'chat' },
  { name: 'channel_id', kind: 'channel' },
] as const;
const containerKindCheck = sql`check (container_kind in ('chat', 'channel'))`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const { name, kind } of containerColumns) {
    // PostgreSQL stores a generated column; SQLite computes it when read, and stores it in its index.
    await db.schema
      .alterTable('messages')
      .addColumn(name, 'text', (column) => {
        const generated = column.generatedAlwaysAs(sql`case when container_kind = ${sql.lit(kind)} then container_id end`);
        return isPostgres ? generated.stored() : generated;
      })
      .execute();
  }
  await deleteOrphans(db);
  if (isPostgres) await addConstraints(db);
  else await rebuildWithConstraints(db);
  // A deleted container finds its messages through these (the messages of the other kind have no entry).
  for (const { name } of containerColumns) {
    await db.schema.createIndex(`messages_${name}`).on('messages').column(name).where(sql.ref(name), 'is not', null).execute();
  }
}

async function deleteOrphans(db: Kysely<unknown>): Promise<void> {
  await sql`delete from messages where container_kind not in ('chat', 'channel')`.execute(db);
  for (const foreignKey of foreignKeys) {
    // A reply can answer a reply deleted by the statement before: repeat until nothing is left.
    for (;;) {
      const { numAffectedRows } = await sql`delete from ${sql.table(foreignKey.table)} where ${orphaned(foreignKey)}`.execute(db);
      if (foreignKey.table !== foreignKey.parent || numAffectedRows === undefined || numAffectedRows === 0n) break;
    }
  }
}

/** The rows whose key names no parent; as a foreign key does, a row with a null in its key names none. */
function orphaned({ table, columns, parent, parentColumns }: ForeignKey): RawBuilder<boolean> {
  const present = columns.map((column) => sql`${sql.ref(`${table}.${column}`)} is not null`);
  const matches = columns.map((column, index) => sql`${sql.ref(`parent.${parentColumns[index] as string}`)} = ${sql.ref(`${table}.${column}`)}`);
  return sql<boolean>`${sql.join(present, sql` and `)} and not exists (select 1 from ${sql.table(parent)} as parent where ${sql.join(matches, sql` and `)})`;
}

function constraintOf({ name, columns, parent, parentColumns }: ForeignKey): RawBuilder<unknown> {
  return sql`constraint ${sql.id(name)} foreign key (${sql.join(columns.map((column) => sql.id(column)))}) references ${sql.table(parent)} (${sql.join(parentColumns.map((column) => sql.id(column)))}) on delete cascade`;
}

async function addConstraints(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages add constraint messages_container_kind ${containerKindCheck}`.execute(db);
  for (const foreignKey of foreignKeys) await sql`alter table ${sql.table(foreignKey.table)} add ${constraintOf(foreignKey)}`.execute(db);
}

/**
 * SQLite cannot add a constraint to a table: each child table is made again with its constraints, as
 * SQLite's documentation prescribes (https://www.sqlite.org/lang_altertable.html#otheralter): with
 * foreign keys off, in one transaction, a new table from the old one's definition, its rows copied,
 * the old one dropped and the new one renamed, its indexes made again, the keys checked.
 */
async function rebuildWithConstraints(db: Kysely<unknown>): Promise<void> {
  const tables = [...new Set(foreignKeys.map((foreignKey) => foreignKey.table))];
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (tx) => {
      for (const table of tables) {
        const clauses = foreignKeys.filter((foreignKey) => foreignKey.table === table).map(constraintOf);
        if (table === 'messages') clauses.unshift(sql`constraint messages_container_kind ${containerKindCheck}`);
        await rebuild(tx, table, clauses);
      }
      const { rows } = await sql`pragma foreign_key_check`.execute(tx);
      if (rows.length > 0) throw new Error(`foreign keys still broken after removing orphans: ${JSON.stringify(rows.slice(0, 5))}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function rebuild(db: Kysely<unknown>, table: string, clauses: readonly RawBuilder<unknown>[]): Promise<void> {
  const { rows: definitions } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  const { rows: indexes } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(
    db,
  );
  // The columns that hold data: a generated column is computed again in the new table.
  const { rows: columns } = await sql<{ name: string }>`select name from pragma_table_xinfo(${table}) where hidden = 0 order by cid`.execute(db);
  const definition = definitions[0]?.sql ?? '';
  const head = new RegExp(`^create table "?${table}"? \\(`, 'i');
  if (!head.test(definition) || !definition.endsWith(')')) throw new Error(`unexpected definition of ${table}: ${definition}`);
  const newTable = `${table}_new`;
  const body = definition.replace(head, '').slice(0, -1);
  const added = clauses.map((clause) => clause.compile(db).sql);
  await sql`create table ${sql.table(newTable)} (${sql.raw(body)}, ${sql.raw(added.join(', '))})`.execute(db);
  const names = sql.join(columns.map((column) => sql.id(column.name)));
  await sql`insert into ${sql.table(newTable)} (${names}) select ${names} from ${sql.table(table)}`.execute(db);
  await sql`drop table ${sql.table(table)}`.execute(db);
  await sql`alter table ${sql.table(newTable)} rename to ${sql.table(table)}`.execute(db);
  for (const index of indexes) await sql.raw(index.sql).execute(db);
}
