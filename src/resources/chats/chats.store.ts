import { type Expression, type ExpressionBuilder, type SqlBool, expressionBuilder, sql } from 'kysely';
import type { ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import type { ChatInstalledAppTable, ChatMemberTable, ChatTable, Database } from '../../store/schema.ts';
import { pathsUnder, perShape, prepare } from '../../store/prepared.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf, tableColumns } from '../../store/columns.ts';
import { type UsersFound, usersFoundNames, usersStillFound, usersUnchanged } from '../../store/member-users.ts';

export function findChat(h: Handle, chatId: string) {
  return h.selectFrom('chats').select(allOf('chats')).where('id', '=', chatId).executeTakeFirst();
}

const chatWithMemberQuery = prepare(['chatId', 'userId'], (h, p: { chatId: string; userId: string | null }) =>
  h
    .selectFrom('chats')
    .leftJoin('chat_members', (join) => join.onRef('chat_members.chat_id', '=', 'chats.id').on('chat_members.user_id', '=', p.userId))
    .select(allOf('chats'))
    .select('chat_members.user_id as member_id')
    .where('chats.id', '=', p.chatId),
);

/** A chat and whether the user is one of its members, in one read (every chat request asks both). */
export async function findChatWithMember(h: Handle, chatId: string, userId: string | null) {
  const [row] = (await chatWithMemberQuery(h, { chatId, userId })).rows;
  if (row === undefined) return undefined;
  const { member_id, ...chat } = row;
  return { chat, isMember: member_id !== null };
}

const chatWithMembersQuery = prepare(['chatId'], (h, p: { chatId: string }) =>
  h
    .selectFrom('chats')
    .leftJoin('chat_members', 'chat_members.chat_id', 'chats.id')
    .leftJoin('users', 'users.id', 'chat_members.user_id')
    .select(allOf('chats'))
    .select([
      'chat_members.user_id as member_user_id',
      'chat_members.tenant_id as member_tenant_id',
      'chat_members.roles as member_roles',
      'chat_members.visible_history_start_date_time as member_visible_history_start_date_time',
      'chat_members.created_date_time as member_created_date_time',
      'users.display_name as member_display_name',
      'users.mail as member_mail',
    ])
    .where('chats.id', '=', p.chatId)
    .orderBy('chat_members.created_date_time')
    .orderBy('chat_members.user_id'),
);

/**
 * A chat with every member and their names, in one read, for GET /chats/{id}?$expand=members: whether
 * the caller is a member is read off the same rows.
 */
export async function findChatWithMembers(h: Handle, chatId: string) {
  const { rows } = await chatWithMembersQuery(h, { chatId });
  const [first] = rows;
  if (first === undefined) return undefined;
  const {
    member_user_id,
    member_tenant_id,
    member_roles,
    member_visible_history_start_date_time,
    member_created_date_time,
    member_display_name,
    member_mail,
    ...chat
  } = first;
  const members = rows.flatMap((row) =>
    row.member_user_id === null
      ? []
      : [
          {
            chat_id: chat.id,
            user_id: row.member_user_id,
            tenant_id: row.member_tenant_id as string,
            roles: row.member_roles as string,
            visible_history_start_date_time: row.member_visible_history_start_date_time as string,
            created_date_time: row.member_created_date_time as string,
            display_name: row.member_display_name,
            mail: row.member_mail,
          },
        ],
  );
  return { chat, members };
}

const insertChatRow = prepare(tableColumns.chats, (h, row: ChatTable) => h.insertInto('chats').values(row));
const insertMemberRow = prepare(tableColumns.chat_members, (h, row: ChatMemberTable) => h.insertInto('chat_members').values(row));

/**
 * A chat and its members, a prepared statement per row: building a multi-row insert costs more than
 * SQLite takes to run the rows one by one. Call it in a transaction.
 */
export async function insertChat(h: Handle, chat: ChatTable, members: readonly ChatMemberTable[]): Promise<void> {
  await insertChatRow(h, chat);
  for (const member of members) await insertMember(h, member);
}

/**
 * A new chat and its members, for withSingleWrite; with `found`, made only while the member users are
 * still what the caller found (usersUnchanged). Whether it was made. Outside a transaction (where
 * withSingleWrite runs a write alone, without BEGIN and COMMIT) that is one statement, atomic by itself;
 * in one (where it groups a write with others' commits) the guard is a read of its own, and the rows
 * are inserted one by one: SQLite, which writes there, cannot put an INSERT in a WITH.
 */
export async function insertNewChat(h: Handle, chat: ChatTable, members: readonly ChatMemberTable[], found?: UsersFound): Promise<boolean> {
  if (h.isTransaction) {
    if (found !== undefined && !(await usersStillFound(h, found))) return false;
    await insertChat(h, chat, members);
    return true;
  }
  const written =
    found === undefined
      ? (await chatInsert(h, chat, members, sql<SqlBool>`true`).executeTakeFirst()).numInsertedOrUpdatedRows
      : (await guardedChatInsert(members.length, found.rows.length)(h, { chat, members, found })).numAffectedRows;
  return written === BigInt(members.length);
}

/** PostgreSQL's one statement for a chat and its members, written only while `guard` holds. */
function chatInsert(h: Handle, chat: ChatTable, members: readonly ChatMemberTable[], guard: Expression<SqlBool>) {
  const memberRows = members.map((member) => sql`select ${sql.join(tableColumns.chat_members.map((column) => member[column]))} from chat`);
  return h
    .with('guard', (db) => db.selectNoFrom(sql`1`.as('holds')).where(guard))
    .with('chat', (db) =>
      db
        .insertInto('chats')
        .columns(tableColumns.chats)
        .expression(sql`select ${sql.join(tableColumns.chats.map((column) => chat[column]))} from guard`)
        .returning('id'),
    )
    .insertInto('chat_members')
    .columns(tableColumns.chat_members)
    .expression(sql`${sql.join(memberRows, sql` union all `)}`);
}

interface GuardedChat {
  readonly chat: ChatTable;
  readonly members: readonly ChatMemberTable[];
  readonly found: UsersFound;
}

// The guarded chatInsert for each shape (members, users found), built once: built for each request,
// Kysely's tree for it costs about as much server time as the round trip it saves.
const guardedChatInsert = perShape((memberCount: number, userCount: number) => {
  const memberNames = Array.from({ length: memberCount }, (_unused, index) => pathsUnder(`members.${index}` as const, tableColumns.chat_members));
  const names = [...pathsUnder('chat', tableColumns.chats), ...memberNames.flat(), ...usersFoundNames('found', memberCount, userCount)];
  return prepare<GuardedChat, unknown>(names, (h, p) => chatInsert(h, p.chat, p.members, usersUnchanged(h, p.found)));
});

export function updateChat(h: Handle, chatId: string, changes: Partial<Omit<ChatTable, 'id'>>) {
  return h.updateTable('chats').set(changes).where('id', '=', chatId).execute();
}

/**
 * Removes the chat; its foreign keys remove everything under it with it, in the same statement: its
 * roster, messages and installed apps, and whatever a request adds to them until this commits.
 */
export async function deleteChat(h: Handle, chatId: string): Promise<void> {
  await h.deleteFrom('chats').where('id', '=', chatId).execute();
}

/** The newest activity of a chat: its last message, or its creation when it has none. */
function lastActivity(eb: ExpressionBuilder<Database, 'chats'>) {
  const lastMessage = eb
    .selectFrom('messages')
    .select((m) => m.fn.max('messages.created_date_time').as('at'))
    .whereRef('messages.container_id', '=', 'chats.id');
  return eb.fn.coalesce(lastMessage, 'chats.created_date_time');
}

const chatsScope = expressionBuilder<Database, 'chats'>();

/** A chat's members for `members/any(m: …)`, aliased apart from the list's own roster join. */
function membersWhere(where: Expression<SqlBool> | null): Expression<SqlBool> {
  const members = chatsScope
    .selectFrom('chat_members as any_member')
    .leftJoin('users as any_user', 'any_user.id', 'any_member.user_id')
    .select('any_member.user_id')
    .whereRef('any_member.chat_id', '=', 'chats.id');
  return chatsScope.exists(where === null ? members : members.where(where));
}

/** The chat properties $filter and $orderby reach on a chat list, and their columns. */
export const chatColumns: ListColumns = {
  id: { type: 'string', column: 'chats.id' },
  topic: { type: 'string', column: 'chats.topic' },
  chatType: { type: 'enum', values: ['oneOnOne', 'group', 'meeting', 'unknownFutureValue'], column: 'chats.chat_type' },
  tenantId: { type: 'guid', column: 'chats.tenant_id' },
  createdDateTime: { type: 'dateTime', column: 'chats.created_date_time' },
  lastUpdatedDateTime: { type: 'dateTime', column: 'chats.last_updated_date_time' },
  // Never null, as a sort key must be: a chat without messages sorts by its creation.
  'lastMessagePreview/createdDateTime': { type: 'dateTime', column: lastActivity(chatsScope) },
  members: {
    type: 'collection',
    fields: {
      userId: { type: 'guid', column: 'any_member.user_id' },
      displayName: { type: 'string', column: 'any_user.display_name' },
      email: { type: 'string', column: 'any_user.mail' },
      visibleHistoryStartDateTime: { type: 'dateTime', column: 'any_member.visible_history_start_date_time' },
    },
    exists: membersWhere,
  },
};

/** A user's chats under the request's filter and order (most recent activity first by default). */
export function listChatsOf(h: Handle, userId: string, list: ListQuery) {
  const query = h
    .selectFrom('chats')
    .innerJoin('chat_members', 'chat_members.chat_id', 'chats.id')
    .select(allOf('chats'))
    .where('chat_members.user_id', '=', userId);
  return listPage(query, chatColumns, list);
}

function membersQuery(h: Handle) {
  return h
    .selectFrom('chat_members')
    .leftJoin('users', 'users.id', 'chat_members.user_id')
    .select(allOf('chat_members'))
    .select(['users.display_name', 'users.mail']);
}

export function findMembers(h: Handle, chatIds: readonly string[]) {
  if (chatIds.length === 0) return Promise.resolve([]);
  return membersQuery(h).where('chat_members.chat_id', 'in', chatIds).orderBy('chat_members.created_date_time').orderBy('chat_members.user_id').execute();
}

export function findMember(h: Handle, chatId: string, userId: string) {
  return membersQuery(h).where('chat_members.chat_id', '=', chatId).where('chat_members.user_id', '=', userId).executeTakeFirst();
}

export async function insertMember(h: Handle, member: ChatMemberTable): Promise<void> {
  await insertMemberRow(h, member);
}

export function deleteMember(h: Handle, chatId: string, userId: string) {
  return h.deleteFrom('chat_members').where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
}

export function insertInstalledApp(h: Handle, row: ChatInstalledAppTable) {
  return h.insertInto('chat_installed_apps').values(row).execute();
}

export function findInstalledApps(h: Handle, chatId: string) {
  return h
    .selectFrom('chat_installed_apps')
    .select(allOf('chat_installed_apps'))
    .where('chat_id', '=', chatId)
    .orderBy('created_date_time')
    .orderBy('id')
    .execute();
}

export function findInstalledApp(h: Handle, chatId: string, installationId: string) {
  return h
    .selectFrom('chat_installed_apps')
    .select(allOf('chat_installed_apps'))
    .where('chat_id', '=', chatId)
    .where('id', '=', installationId)
    .executeTakeFirst();
}
