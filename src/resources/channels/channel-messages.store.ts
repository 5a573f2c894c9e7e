import { type InsertResult, sql } from 'kysely';
import type { ListPage, ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import type { MessageTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf, tableColumns } from '../../store/columns.ts';
import { prepare } from '../../store/prepared.ts';
import { type ScopeFacts, type ScopeParams, scopeFactColumns, scopeParamNames, scopeUnchanged } from './channels.store.ts';

// Channel messages live in the messages table shared with chats, keyed by container (the channel id).

export function findMessage(h: Handle, channelId: string, messageId: string, replyToId: string | null) {
  return h
    .selectFrom('messages')
    .select(allOf('messages'))
    .where('container_id', '=', channelId)
    .where('id', '=', messageId)
    .where('reply_to_id', replyToId === null ? 'is' : '=', replyToId)
    .executeTakeFirst();
}

/**
 * Channel message lists take no $filter or $orderby (channel-list-messages.md): they page by id,
 * which orders by creation (ids are epoch milliseconds of equal width).
 */
const channelMessageColumns: ListColumns = { id: { type: 'string', column: 'messages.id' } };

/** Root messages (replyToId null) or the replies to one, in the list's order. */
export function listMessages(h: Handle, channelId: string, replyToId: string | null, list: ListQuery): Promise<ListPage<MessageTable>> {
  const query = h.selectFrom('messages').select(allOf('messages')).where('container_id', '=', channelId).where('reply_to_id', replyToId === null ? 'is' : '=', replyToId);
  return listPage(query, channelMessageColumns, list);
}

/** The replies to many root messages at once, for $expand=replies. */
export function listRepliesOf(h: Handle, channelId: string, rootIds: readonly string[]) {
  if (rootIds.length === 0) return Promise.resolve([]);
  // Ordered as the replies index is, so that it serves the read; each root's replies stay newest first.
  return h.selectFrom('messages').select(allOf('messages')).where('container_id', '=', channelId).where('reply_to_id', 'in', [...rootIds]).orderBy('reply_to_id', 'desc').orderBy('id', 'desc').execute();
}

const messageParam = (column: string) => `message_${column}`;
const factParam = (column: string) => `fact_${column}`;

const insertIfScopeUnchangedQuery = prepare<Record<string, unknown>, InsertResult>(
  [...tableColumns.messages.map(messageParam), ...scopeParamNames, ...scopeFactColumns.map(factParam)],
  (h, p: Record<string, unknown>) =>
    h
      .insertInto('messages')
      .columns(tableColumns.messages)
      .expression(
        sql`select ${sql.join(tableColumns.messages.map((column) => p[messageParam(column)]))}
          where ${scopeUnchanged(h, p as unknown as ScopeParams, Object.fromEntries(scopeFactColumns.map((column) => [column, p[factParam(column)]])) as Record<keyof ScopeFacts, unknown>)}`,
      )
      .onConflict((oc) => oc.columns(['container_id', 'id']).doNothing()),
);

/** Inserts `row` if its id is free and the scope read for `params` still returns `facts`; whether it did. */
export async function insertIfScopeUnchanged(h: Handle, row: MessageTable, params: ScopeParams, facts: ScopeFacts): Promise<boolean> {
  const values: Record<string, unknown> = { ...params };
  for (const column of tableColumns.messages) values[messageParam(column)] = row[column];
  for (const column of scopeFactColumns) values[factParam(column)] = facts[column];
  return (await insertIfScopeUnchangedQuery(h, values)).numAffectedRows === 1n;
}

export function updateMessage(h: Handle, channelId: string, messageId: string, changes: Partial<Omit<MessageTable, 'container_id' | 'id'>>) {
  return h.updateTable('messages').set(changes).where('container_id', '=', channelId).where('id', '=', messageId).execute();
}
