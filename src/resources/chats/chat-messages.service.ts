import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import type { MessageIdAllocator } from '../../store/message-ids.ts';
import type { MessageTable } from '../../store/schema.ts';
import { StoreParentMissing } from '../../store/errors.ts';
import { withSingleWrite, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { badRequest, forbidden, notFound } from '../../wire/errors.ts';
import { type ChatMessageBody, type MessageUpdateBody, messageRow } from '../messages/messages.schemas.ts';
import type { UsersService } from '../users/users.service.ts';
import { type ChatAccess, chatNotFound } from './chats.access.ts';
import * as messagesStore from './chat-messages.store.ts';
import * as chatsStore from './chats.store.ts';

export { chatMessageColumns as chatMessageFields } from './chat-messages.store.ts';

const messageNotFound = (messageId: string) => notFound(`Message '${messageId}' was not found in the chat.`);
// What a delegated caller may change on a message (chatmessage-update.md); policyViolation is the app's.
export class ChatMessagesService {
  constructor(
    private readonly store: Store,
    private readonly access: ChatAccess,
    private readonly users: UsersService,
    private readonly messageIds: MessageIdAllocator,
  ) {}

  /**
   * Ids are the creation time in epoch milliseconds, unique within the chat: a message sent in the
   * same millisecond as another takes the next one (chatmessage resource). A chat deleted since it was
   * read takes no message: its foreign key refuses the insert, and the answer is the chat's 404.
   */
  async send(principal: Principal, chatId: string, body: ChatMessageBody): Promise<MessageTable> {
    const [chat, sender] = await Promise.all([
      this.access.visibleChat(principal, chatId),
      principal.userId === null ? null : this.users.sender(principal.tenantId, principal.userId),
    ]);
    const now = new Date();
    const row = messageRow(
      {
        containerKind: 'chat',
        containerId: chat.id,
        teamId: null,
        replyToId: null,
        fromUserId: principal.userId,
        appId: principal.appId,
        sender,
        createdAt: now,
      },
      body,
    );
    try {
      row.id = await withTransaction(this.store, async (tx) => {
        const id = await this.messageIds.insert(tx, row);
        await chatsStore.updateChat(tx, chat.id, { last_updated_date_time: now.toISOString() });
        return id;
      });
    } catch (err) {
      if (err instanceof StoreParentMissing) throw chatNotFound(chatId);
      throw err;
    }
    return row;
  }

  async list(principal: Principal, chatId: string, pathUserId: string | undefined, list: ListQuery): Promise<ListPage<MessageTable>> {
    const chat = await this.access.visibleChat(principal, chatId, pathUserId);
    return messagesStore.listMessages(this.store.db, chat.id, list);
  }

  async get(principal: Principal, chatId: string, messageId: string, pathUserId?: string): Promise<MessageTable> {
    const chat = await this.access.visibleChat(principal, chatId, pathUserId);
    const message = await messagesStore.findMessage(this.store.db, chat.id, messageId);
    if (message === undefined) throw messageNotFound(messageId);
    return message;
  }

  /** The sender edits their own message (chatmessage-update.md); an app may change only policyViolation. */
  async update(principal: Principal, chatId: string, messageId: string, body: MessageUpdateBody): Promise<void> {
    const message = await this.get(principal, chatId, messageId);
    if (principal.userId === null) throw badRequest('teamgraph does not record policyViolation; applications cannot update chat messages here.');
    if (message.from_user_id !== principal.userId) throw forbidden('Only the sender can update a chat message.');
    const now = new Date().toISOString();
    await withSingleWrite(this.store, (h) =>
      messagesStore.updateMessage(h, message.container_id, message.id, {
        ...(body.body === undefined ? {} : { body_content: body.body.content, body_content_type: body.body.contentType ?? 'text' }),
        ...(body.subject === undefined ? {} : { subject: body.subject }),
        ...(body.importance === undefined ? {} : { importance: body.importance }),
        last_edited_date_time: now,
        last_modified_date_time: now,
      }),
    );
  }

  /** softDelete and undoSoftDelete act for the signed-in user on their own messages (chatmessage-softdelete.md). */
  async setDeleted(principal: Principal, userId: string, chatId: string, messageId: string, isDeleted: boolean): Promise<void> {
    const message = await this.get(principal, chatId, messageId, userId);
    if (message.from_user_id !== principal.userId) throw forbidden('Only the sender can delete or restore a chat message.');
    const now = new Date().toISOString();
    await withSingleWrite(this.store, (h) =>
      messagesStore.updateMessage(h, message.container_id, message.id, { deleted_date_time: isDeleted ? now : null, last_modified_date_time: now }),
    );
  }
}
