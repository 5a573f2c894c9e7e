import type { MessageTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';

function messagesQuery(h: Handle) {
  return h
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.from_user_id')
    .selectAll('messages')
    .select(['users.display_name as from_display_name', 'users.tenant_id as from_tenant_id'])
    .where('messages.container_kind', '=', 'chat');
}

export function findMessage(h: Handle, chatId: string, messageId: string) {
  return messagesQuery(h).where('messages.container_id', '=', chatId).where('messages.id', '=', messageId).executeTakeFirst();
}

/**
 * Newest first. Ids are creation times in epoch milliseconds of equal width, so ordering by id is
 * ordering by creation and the id is the keyset.
 */
export function listMessages(h: Handle, chatId: string, afterId: string | null, limit: number) {
  let query = messagesQuery(h).where('messages.container_id', '=', chatId);
  if (afterId !== null) query = query.where('messages.id', '<', afterId);
  return query.orderBy('messages.id', 'desc').limit(limit).execute();
}

export function lastMessage(h: Handle, chatId: string) {
  return messagesQuery(h).where('messages.container_id', '=', chatId).orderBy('messages.id', 'desc').limit(1).executeTakeFirst();
}

export function updateMessage(h: Handle, chatId: string, messageId: string, changes: Partial<Omit<MessageTable, 'container_id' | 'id'>>) {
  return h.updateTable('messages').set(changes).where('container_id', '=', chatId).where('id', '=', messageId).execute();
}
