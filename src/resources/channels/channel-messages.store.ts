import { type InsertResult, sql } from 'kysely';
import type { ListPage, ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage, pageOf, pageQuery } from '../../store/list-query.ts';
import type { MessageTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf, tableColumns } from '../../store/columns.ts';
import { pathsUnder, perShape, prepare } from '../../store/prepared.ts';
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
  return listPage(messagesOf(h, channelId, replyToId), channelMessageColumns, list);
}

function messagesOf(h: Handle, channelId: string, replyToId: string | null) {
  return h
    .selectFrom('messages')
    .select(allOf('messages'))
    .where('container_id', '=', channelId)
    .where('reply_to_id', replyToId === null ? 'is' : '=', replyToId);
}

const rootsOf = (h: Handle, channelId: string) => messagesOf(h, channelId, null);

/** The replies to many root messages at once, for $expand=replies. */
export function listRepliesOf(h: Handle, channelId: string, rootIds: readonly string[]) {
  if (rootIds.length === 0) return Promise.resolve([]);
  // Ordered as the replies index is, so that it serves the read; each root's replies stay newest first.
  return h
    .selectFrom('messages')
    .select(allOf('messages'))
    .where('container_id', '=', channelId)
    .where('reply_to_id', 'in', [...rootIds])
    .orderBy('reply_to_id', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A statement's guard, its parameters holding the scope read's as `scope` and the facts as `facts`. */
interface Guarded {
  readonly scope: ScopeParams;
  readonly facts: ScopeFacts;
}
const guardNames = [...pathsUnder('scope', scopeParamNames), ...pathsUnder('facts', scopeFactColumns)];
const scopeGuard = (h: Handle, p: Guarded) => scopeUnchanged(h, p.scope, p.facts);

const insertIfScopeUnchangedQuery = prepare<Guarded & { readonly row: MessageTable }, InsertResult>(
  [...pathsUnder('row', tableColumns.messages), ...guardNames],
  (h, p) =>
    h
      .insertInto('messages')
      .columns(tableColumns.messages)
      .expression(sql`select ${sql.join(tableColumns.messages.map((column) => p.row[column]))} where ${scopeGuard(h, p)}`)
      .onConflict((oc) => oc.columns(['container_id', 'id']).doNothing()),
);

/** Inserts `row` if its id is free and the scope read for `scope` still returns `facts`; whether it did. */
export async function insertIfScopeUnchanged(h: Handle, row: MessageTable, scope: ScopeParams, facts: ScopeFacts): Promise<boolean> {
  return (await insertIfScopeUnchangedQuery(h, { row, scope, facts })).numAffectedRows === 1n;
}

// A page of root messages as listMessages reads it, built by the same pageQuery: the first page or the
// one after a given id, for each page size a statement of its own, the size written into the text.
const rootPageQuery = perShape((isAfter: boolean, top: number) =>
  prepare<Guarded & { readonly after: string | undefined }, MessageTable>([...guardNames, 'after'], (h, p) => {
    const roots = rootsOf(h, p.scope.channelId).where(scopeGuard(h, p));
    return pageQuery(roots, channelMessageColumns, { ...rootPageShape, top, after: isAfter ? [p.after as string] : null });
  }),
);
// Channel pages take no $filter, $orderby or $skip (channel-list-messages.md): newest first, by id.
const rootPageShape: ListQuery = { filter: null, orderby: [{ property: 'id', descending: true }], after: null, skip: 0, top: 0, count: false };

/**
 * A page of the channel's root messages, read only if the scope read for `scope` still returns
 * `facts`: empty when it does not, and when there is nothing to list.
 */
export async function rootPageIfScopeUnchanged(h: Handle, scope: ScopeParams, facts: ScopeFacts, list: ListQuery): Promise<ListPage<MessageTable>> {
  // The id the previous page ended on: its one paging key.
  const after = list.after === null ? undefined : String(list.after[0]);
  return pageOf((await rootPageQuery(after !== undefined, list.top)(h, { scope, facts, after })).rows, list);
}

export function updateMessage(h: Handle, channelId: string, messageId: string, changes: Partial<Omit<MessageTable, 'container_id' | 'id'>>) {
  return h.updateTable('messages').set(changes).where('container_id', '=', channelId).where('id', '=', messageId).execute();
}
