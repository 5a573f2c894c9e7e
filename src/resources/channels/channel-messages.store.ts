import type { ListPage, ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import type { MessageTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import type { MessageWithSender } from './channel-messages.schemas.ts';
import { allOf } from '../../store/columns.ts';

// Channel messages live in the messages table shared with chats, keyed by container (the channel id).

function withSender(h: Handle) {
  return h
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.from_user_id')
    .select(allOf('messages'))
    .select(['users.display_name as sender_display_name', 'users.tenant_id as sender_tenant_id']);
}

export function findMessage(h: Handle, channelId: string, messageId: string, replyToId: string | null) {
  return withSender(h)
    .where('messages.container_id', '=', channelId)
    .where('messages.id', '=', messageId)
    .where('messages.reply_to_id', replyToId === null ? 'is' : '=', replyToId)
    .executeTakeFirst();
}

/**
 * Channel message lists take no $filter or $orderby (channel-list-messages.md): they page by id,
 * which orders by creation (ids are epoch milliseconds of equal width).
 */
const channelMessageColumns: ListColumns = { id: { type: 'string', column: 'messages.id' } };

/**
 * Root messages (replyToId null) or the replies to one, in the list's order, with their senders'
 * names. The page is read from the messages alone and the names after it, in one read for all the
 * page's senders: joined in the page's query, the users let PostgreSQL, on statistics taken while the
 * channel was small, hash-join and sort the whole channel for every page (docs/decisions.md #43).
 */
export async function listMessages(h: Handle, channelId: string, replyToId: string | null, list: ListQuery): Promise<ListPage<MessageWithSender>> {
  const query = h.selectFrom('messages').select(allOf('messages')).where('container_id', '=', channelId).where('reply_to_id', replyToId === null ? 'is' : '=', replyToId);
  const page = await listPage(query, channelMessageColumns, list);
  const senderIds = [...new Set(page.items.flatMap((row) => (row.from_user_id === null ? [] : [row.from_user_id])))];
  const senders = senderIds.length === 0 ? [] : await h.selectFrom('users').select(['id', 'display_name', 'tenant_id']).where('id', 'in', senderIds).execute();
  const byId = new Map(senders.map((sender) => [sender.id, sender]));
  return {
    ...page,
    items: page.items.map((row) => {
      const sender = row.from_user_id === null ? undefined : byId.get(row.from_user_id);
      const message = row as MessageWithSender;
      message.sender_display_name = sender?.display_name ?? null;
      message.sender_tenant_id = sender?.tenant_id ?? null;
      return message;
    }),
  };
}

/** The replies to many root messages at once, for $expand=replies. */
export function listRepliesOf(h: Handle, channelId: string, rootIds: readonly string[]) {
  if (rootIds.length === 0) return Promise.resolve([]);
  // Ordered as the replies index is, so that it serves the read; each root's replies stay newest first.
  return withSender(h).where('messages.container_id', '=', channelId).where('messages.reply_to_id', 'in', [...rootIds]).orderBy('messages.reply_to_id', 'desc').orderBy('messages.id', 'desc').execute();
}

export function updateMessage(h: Handle, channelId: string, messageId: string, changes: Partial<Omit<MessageTable, 'container_id' | 'id'>>) {
  return h.updateTable('messages').set(changes).where('container_id', '=', channelId).where('id', '=', messageId).execute();
}
