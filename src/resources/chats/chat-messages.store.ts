import type { ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import type { MessageTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf } from '../../store/columns.ts';

function messagesQuery(h: Handle) {
  return h
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.from_user_id')
    .select(allOf('messages'))
    .select(['users.display_name as from_display_name', 'users.tenant_id as from_tenant_id'])
    .where('messages.container_kind', '=', 'chat');
}

export function findMessage(h: Handle, chatId: string, messageId: string) {
  return messagesQuery(h).where('messages.container_id', '=', chatId).where('messages.id', '=', messageId).executeTakeFirst();
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
  'from/user/displayName': { type: 'string', column: 'users.display_name' },
};

export function listMessages(h: Handle, chatId: string, list: ListQuery) {
  return listPage(messagesQuery(h).where('messages.container_id', '=', chatId), chatMessageColumns, list);
}

export function lastMessage(h: Handle, chatId: string) {
  return messagesQuery(h).where('messages.container_id', '=', chatId).orderBy('messages.id', 'desc').limit(1).executeTakeFirst();
}

export function updateMessage(h: Handle, chatId: string, messageId: string, changes: Partial<Omit<MessageTable, 'container_id' | 'id'>>) {
  return h.updateTable('messages').set(changes).where('container_id', '=', chatId).where('id', '=', messageId).execute();
}
