import Type from 'typebox';
import { signedInUserId } from '../../wire/auth.ts';
import type { QuerySupport } from '../../wire/odata/query-options.ts';
import { type GraphRequest, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import { ChatMessageBody, chatMessageJson, chatMessageProperties, senderOf } from '../messages/messages.schemas.ts';
import { type ChatMessagesService, chatMessageFields } from './chat-messages.service.ts';
import { ChatKeyParams, UserChatKeyParams } from './chats.schemas.ts';

const MessageKeyParams = Type.Object({ chatId: Type.String({ minLength: 1 }), messageId: Type.String({ minLength: 1 }) });
const UserMessageKeyParams = Type.Object({ userId: Type.String({ minLength: 1 }), chatId: Type.String({ minLength: 1 }), messageId: Type.String({ minLength: 1 }) });
const messageQuery = { entityType: 'microsoft.graph.chatMessage', properties: chatMessageProperties } as const;
// chat-list-messages.md: $top at most 50; newest modification first by default; $orderby on
// lastModifiedDateTime or createdDateTime, descending only; $filter on the message's fields.
const messageListQuery: QuerySupport = {
  ...messageQuery,
  top: { default: 20, max: 50 },
  fields: chatMessageFields,
  defaultOrder: [{ property: 'lastModifiedDateTime', descending: true }],
  orderby: { lastModifiedDateTime: 'desc', createdDateTime: 'desc' },
};
const readPermissions = {
  delegated: ['Chat.Read', 'Chat.ReadWrite'],
  application: ['ChatMessage.Read.Chat', 'Chat.Read.All', 'Chat.ReadWrite.All'],
};
// Chat messages have no webUrl and no channelIdentity (chat-post-messages.md).
const chatMessageView = (row: Parameters<typeof chatMessageJson>[0]) => chatMessageJson(row, senderOf(row), null, null);
const messagesContext = (chatId: string) => `chats('${contextKey(chatId)}')/messages`;

export function chatMessageRoutes(messages: ChatMessagesService): GraphRoute[] {
  const list = async (req: GraphRequest<unknown, unknown>, chatId: string, pathUserId?: string) => {
    const page = await messages.list(req.principal, chatId, pathUserId, req.odata.list);
    return collectionResponse(req, messagesContext(chatId), { ...page, items: page.items.map(chatMessageView) });
  };
  const get = async (req: GraphRequest<unknown, unknown>, chatId: string, messageId: string, pathUserId?: string) =>
    entityResponse(req, messagesContext(chatId), chatMessageView(await messages.get(req.principal, chatId, messageId, pathUserId)));
  const softDelete = (isDeleted: boolean) => async (req: GraphRequest<{ userId: string; chatId: string; messageId: string }, unknown>) => {
    await messages.setDeleted(req.principal, req.params.userId, req.params.chatId, req.params.messageId, isDeleted);
    return { status: 204 };
  };
  return [
    defineRoute({
      operation: 'chat-message-send',
      doc: 'api-reference/v1.0/api/chat-post-messages.md',
      method: 'POST',
      url: '/chats/{chatId}/messages',
      params: ChatKeyParams,
      body: ChatMessageBody,
      permissions: { delegated: ['ChatMessage.Send', 'Chat.ReadWrite', 'Group.ReadWrite.All'], application: ['Teamwork.Migrate.All', 'ChatMessage.ReadWriteSelected.Chat'] },
      handle: async (req) => entityResponse(req, messagesContext(req.params.chatId), chatMessageView(await messages.send(req.principal, req.params.chatId, req.body)), 201),
    }),
    defineRoute({ operation: 'chat-message-list', doc: 'api-reference/v1.0/api/chat-list-messages.md', method: 'GET', url: '/chats/{chatId}/messages', params: ChatKeyParams, permissions: readPermissions, odata: messageListQuery, handle: (req) => list(req, req.params.chatId) }),
    defineRoute({
      operation: 'me-chat-message-list',
      doc: 'api-reference/v1.0/api/chat-list-messages.md',
      method: 'GET',
      url: '/me/chats/{chatId}/messages',
      params: ChatKeyParams,
      permissions: { delegated: readPermissions.delegated, application: [] },
      odata: messageListQuery,
      handle: (req) => list(req, req.params.chatId, signedInUserId(req.principal)),
    }),
    defineRoute({
      operation: 'user-chat-message-list',
      doc: 'api-reference/v1.0/api/chat-list-messages.md',
      method: 'GET',
      url: '/users/{userId}/chats/{chatId}/messages',
      params: UserChatKeyParams,
      permissions: readPermissions,
      odata: messageListQuery,
      handle: (req) => list(req, req.params.chatId, req.params.userId),
    }),
    defineRoute({
      operation: 'chat-message-get',
      doc: 'api-reference/v1.0/api/chatmessage-get.md',
      method: 'GET',
      url: '/chats/{chatId}/messages/{messageId}',
      params: MessageKeyParams,
      permissions: readPermissions,
      odata: messageQuery,
      handle: (req) => get(req, req.params.chatId, req.params.messageId),
    }),
    defineRoute({
      operation: 'user-chat-message-get',
      doc: 'api-reference/v1.0/api/chatmessage-get.md',
      method: 'GET',
      url: '/users/{userId}/chats/{chatId}/messages/{messageId}',
      params: UserMessageKeyParams,
      permissions: readPermissions,
      odata: messageQuery,
      handle: (req) => get(req, req.params.chatId, req.params.messageId, req.params.userId),
    }),
    defineRoute({
      // The current page answers 204 No Content (chatmessage-update.md; graph-surface.md section 5).
      operation: 'chat-message-update',
      doc: 'api-reference/v1.0/api/chatmessage-update.md',
      method: 'PATCH',
      url: '/chats/{chatId}/messages/{messageId}',
      params: MessageKeyParams,
      body: Type.Record(Type.String(), Type.Unknown()),
      permissions: { delegated: ['Chat.ReadWrite'], application: ['Chat.UpdatePolicyViolation.All', 'Chat.ReadWrite.All'] },
      handle: async (req) => {
        await messages.update(req.principal, req.params.chatId, req.params.messageId, req.body);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'chat-message-soft-delete',
      doc: 'api-reference/v1.0/api/chatmessage-softdelete.md',
      method: 'POST',
      url: '/users/{userId}/chats/{chatId}/messages/{messageId}/softDelete',
      params: UserMessageKeyParams,
      permissions: { delegated: ['Chat.ReadWrite'], application: [] },
      handle: softDelete(true),
    }),
    defineRoute({
      operation: 'chat-message-undo-soft-delete',
      doc: 'api-reference/v1.0/api/chatmessage-undosoftdelete.md',
      method: 'POST',
      url: '/users/{userId}/chats/{chatId}/messages/{messageId}/undoSoftDelete',
      params: UserMessageKeyParams,
      permissions: { delegated: ['Chat.ReadWrite'], application: [] },
      handle: softDelete(false),
    }),
  ];
}
