import type { ListPage, ListQuery } from '../../query/list-query.ts';
import { allOf } from '../../store/columns.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import type { MessageTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';

/** A chat's messages (the table also holds channels'). */
function chatMessages(h: Handle, chatId: string) {
  return h.selectFrom('messages').select(allOf('messages')).where('messages.container_kind', '=', 'chat').where('messages.container_id', '=', chatId);
}

export function findMessage(h: Handle, chatId: string, messageId: string) {
  return chatMessages(h, chatId).where('messages.id', '=', messageId).executeTakeFirst();
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
  'from/user/displayName': { type: 'string', column: 'messages.from_display_name' },
};

/** A chat's messages under the request's filter and order. */
export function listMessages(h: Handle, chatId: string, list: ListQuery): Promise<ListPage<MessageTable>> {
  return listPage(chatMessages(h, chatId), chatMessageColumns, list);
}

export function lastMessage(h: Handle, chatId: string) {
  return chatMessages(h, chatId).orderBy('messages.id', 'desc').limit(1).executeTakeFirst();
}

export function updateMessage(h: Handle, chatId: string, messageId: string, changes: Partial<Omit<MessageTable, 'container_id' | 'id'>>) {
  return h.updateTable('messages').set(changes).where('container_id', '=', chatId).where('id', '=', messageId).execute();
}
