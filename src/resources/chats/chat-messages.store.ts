import { expressionBuilder } from 'kysely';
import type { ListPage, ListQuery } from '../../query/list-query.ts';
import { allOf } from '../../store/columns.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import type { Database, MessageTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import type { MessageRow } from '../messages/messages.schemas.ts';
import { joinSenders, withSenders } from '../messages/messages.store.ts';

/** A chat's messages (the table also holds channels'). */
function chatMessages(h: Handle, chatId: string) {
  return h.selectFrom('messages').where('messages.container_kind', '=', 'chat').where('messages.container_id', '=', chatId);
}

export function findMessage(h: Handle, chatId: string, messageId: string) {
  return joinSenders(chatMessages(h, chatId)).where('messages.id', '=', messageId).executeTakeFirst();
}

/** The chatMessage properties $filter and $orderby reach on a chat's messages, and their columns. */
export const chatMessageColumns: ListColumns = {
  id: { type: 'string', column: 'messages.id' },
  createdDateTime: { type: 'dateTime', column: 'messages.created_date_time' },
  lastModifiedDateTime: { type: 'dateTime', column: 'messages.last_modified_date_time' },
  lastEditedDateTime: { type: 'dateTime', column: 'messages.last_edited_date_time' },
  deletedDateTime: { type: 'dateTime', column: 'messages.deleted_date_time' },
  messageType: { type: 'enum', values: ['message', 'chatEvent', 'typing', 'unknownFutureValue', 'systemEventMessage'], column: 'messages.message_type' },
  importance: { type: 'enum', values: ['normal', 'high', 'urgent', 'unknownFutureValue'], column: 'messages.importance' },
  subject: { type: 'string', column: 'messages.subject' },
  'from/user/id': { type: 'guid', column: 'messages.from_user_id' },
  // A subquery, not a join: the page is read from the messages alone (messages/messages.store.ts).
  'from/user/displayName': {
    type: 'string',
    column: expressionBuilder<Database, 'messages'>().selectFrom('users').select('users.display_name').whereRef('users.id', '=', 'messages.from_user_id'),
  },
};

/** A chat's messages under the request's filter and order, with their senders' names. */
export async function listMessages(h: Handle, chatId: string, list: ListQuery): Promise<ListPage<MessageRow>> {
  const page = await listPage(chatMessages(h, chatId).select(allOf('messages')), chatMessageColumns, list);
  return { ...page, items: await withSenders(h, page.items) };
}

export function lastMessage(h: Handle, chatId: string) {
  return joinSenders(chatMessages(h, chatId)).orderBy('messages.id', 'desc').limit(1).executeTakeFirst();
}

export function updateMessage(h: Handle, chatId: string, messageId: string, changes: Partial<Omit<MessageTable, 'container_id' | 'id'>>) {
  return h.updateTable('messages').set(changes).where('container_id', '=', chatId).where('id', '=', messageId).execute();
}
