import type { QuerySupport } from '../../wire/odata/query-options.ts';
import { type GraphRequest, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import { ChatMessageBody, MessageUpdateBody, chatMessageJson, chatMessageProperties, senderOf } from '../messages/messages.schemas.ts';
import { type ChatMessagesService, chatMessageFields } from './chat-messages.service.ts';

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
  const softDelete = (isDeleted: boolean) => async (req: GraphRequest<{ chatId: string; messageId: string }, unknown, string>) => {
    await messages.setDeleted(req.principal, req.pathUserId, req.params.chatId, req.params.messageId, isDeleted);
    return { status: 204 };
  };
  return [
    defineRoute({
      operation: 'chat-message-send',
      doc: 'api-reference/v1.0/api/chat-post-messages.md',
      method: 'POST',
      response: 'microsoft.graph.chatMessage',
      forms: ['/chats/{chatId}/messages'],
      body: ChatMessageBody,
      permissions: {
        delegated: ['ChatMessage.Send', 'Chat.ReadWrite', 'Group.ReadWrite.All'],
        application: ['Teamwork.Migrate.All', 'ChatMessage.ReadWriteSelected.Chat'],
      },
      handle: async (req) =>
        entityResponse(req, messagesContext(req.params.chatId), chatMessageView(await messages.send(req.principal, req.params.chatId, req.body)), 201),
    }),
    defineRoute({
      operation: 'chat-message-list',
      doc: 'api-reference/v1.0/api/chat-list-messages.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.chatMessage)',
      forms: ['/chats/{chatId}/messages', '/me/chats/{chatId}/messages', '/users/{userId}/chats/{chatId}/messages'],
      permissions: readPermissions,
      odata: messageListQuery,
      handle: async (req) => {
        const page = await messages.list(req.principal, req.params.chatId, req.pathUserId, req.odata.list);
        return collectionResponse(req, messagesContext(req.params.chatId), { ...page, items: page.items.map(chatMessageView) });
      },
    }),
    defineRoute({
      operation: 'chat-message-get',
      doc: 'api-reference/v1.0/api/chatmessage-get.md',
      method: 'GET',
      response: 'microsoft.graph.chatMessage',
      forms: ['/chats/{chatId}/messages/{messageId}', '/users/{userId}/chats/{chatId}/messages/{messageId}'],
      permissions: readPermissions,
      odata: messageQuery,
      handle: async (req) =>
        entityResponse(
          req,
          messagesContext(req.params.chatId),
          chatMessageView(await messages.get(req.principal, req.params.chatId, req.params.messageId, req.pathUserId)),
        ),
    }),
    defineRoute({
      // The current page answers 204 No Content (chatmessage-update.md; graph-surface.md section 5).
      operation: 'chat-message-update',
      doc: 'api-reference/v1.0/api/chatmessage-update.md',
      method: 'PATCH',
      response: null,
      forms: ['/chats/{chatId}/messages/{messageId}'],
      body: MessageUpdateBody,
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
      response: null,
      forms: ['/users/{userId}/chats/{chatId}/messages/{messageId}/softDelete'],
      permissions: { delegated: ['Chat.ReadWrite'], application: [] },
      handle: softDelete(true),
    }),
    defineRoute({
      operation: 'chat-message-undo-soft-delete',
      doc: 'api-reference/v1.0/api/chatmessage-undosoftdelete.md',
      method: 'POST',
      response: null,
      forms: ['/users/{userId}/chats/{chatId}/messages/{messageId}/undoSoftDelete'],
      permissions: { delegated: ['Chat.ReadWrite'], application: [] },
      handle: softDelete(false),
    }),
  ];
}
