import type { QuerySupport } from '../../wire/odata/query-options.ts';
import { type GraphRequest, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import { chatMessageInfoJson } from '../messages/messages.schemas.ts';
import { ChatCreateBody, ChatUpdateBody, chatJson, chatProperties, installedAppJson, installedAppProperties, memberJson } from './chats.schemas.ts';
import { type ChatView, type ChatsService, chatFields } from './chats.service.ts';

const chatQuery = { entityType: 'microsoft.graph.chat', properties: chatProperties, expand: ['members'] } as const;
// chat-list.md: $top at most 50; $expand members or lastMessagePreview; $orderby only
// lastMessagePreview/createdDateTime desc, which is also the default; $filter on the chat's fields
// and members/any(…).
const chatListQuery: QuerySupport = {
  ...chatQuery,
  top: { default: 50, max: 50 },
  expand: ['members', 'lastMessagePreview'],
  fields: chatFields,
  defaultOrder: [{ property: 'lastMessagePreview/createdDateTime', descending: true }],
  orderby: { 'lastMessagePreview/createdDateTime': 'desc' },
};
const installedAppQuery = { entityType: 'microsoft.graph.teamsAppInstallation', properties: installedAppProperties } as const;

const listPermissions = {
  delegated: ['Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'],
  application: ['Chat.ReadBasic.All', 'Chat.Read.All', 'Chat.ReadWrite.All'],
};
const getPermissions = {
  delegated: ['Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'],
  application: [
    'Chat.ReadBasic.WhereInstalled',
    'Chat.Manage.Chat',
    'Chat.Read.All',
    'Chat.ReadBasic.All',
    'Chat.ReadWrite.All',
    'ChatSettings.Read.Chat',
    'ChatSettings.ReadWrite.Chat',
  ],
};
const installedAppPermissions = {
  delegated: [
    'TeamsAppInstallation.ReadForChat',
    'TeamsAppInstallation.ReadWriteSelfForChat',
    'TeamsAppInstallation.ManageSelectedForChat',
    'TeamsAppInstallation.ReadWriteAndConsentForChat',
    'TeamsAppInstallation.ReadWriteAndConsentSelfForChat',
    'TeamsAppInstallation.ReadWriteForChat',
  ],
  application: [
    'TeamsAppInstallation.ReadForChat.All',
    'TeamsAppInstallation.ReadWriteSelfForChat.All',
    'Chat.Manage.Chat',
    'TeamsAppInstallation.ManageSelectedForChat.All',
    'TeamsAppInstallation.Read.Chat',
    'TeamsAppInstallation.ReadWriteAndConsentForChat.All',
    'TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All',
    'TeamsAppInstallation.ReadWriteForChat.All',
  ],
};

export function chatRoutes(chats: ChatsService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'chat-create',
      doc: 'api-reference/beta/api/chat-post.md',
      method: 'POST',
      response: 'microsoft.graph.chat',
      forms: ['/chats'],
      body: ChatCreateBody,
      permissions: { delegated: ['Chat.Create', 'Chat.ReadWrite'], application: ['Chat.Create'] },
      handle: async (req) => {
        const result = await chats.create(req.principal, req.body);
        if (result.kind === 'created') return entityResponse(req, 'chats', chatJson(result.chat, req.version === 'beta'), 201);
        return { status: 202, headers: { location: `/chats('${result.chatId}')/operations('${result.operationId}')` } };
      },
    }),
    defineRoute({
      operation: 'chat-list',
      doc: 'api-reference/v1.0/api/chat-list.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.chat)',
      forms: ['/chats', '/me/chats', '/users/{userId}/chats'],
      permissions: listPermissions,
      odata: chatListQuery,
      handle: async (req) => {
        const page = await chats.list(req.principal, req.pathUserId, req.odata.list, req.odata.expand);
        return collectionResponse(req, 'chats', { ...page, items: page.items.map((view) => chatViewJson(req, view)) });
      },
    }),
    defineRoute({
      operation: 'chat-get',
      doc: 'api-reference/v1.0/api/chat-get.md',
      method: 'GET',
      response: 'microsoft.graph.chat',
      forms: ['/chats/{chatId}', '/me/chats/{chatId}', '/users/{userId}/chats/{chatId}'],
      permissions: getPermissions,
      odata: chatQuery,
      // A single chat expands members only (chat-get.md).
      handle: async (req) =>
        entityResponse(req, 'chats', chatViewJson(req, await chats.get(req.principal, req.params.chatId, req.pathUserId, req.odata.expand))),
    }),
    defineRoute({
      operation: 'chat-update',
      doc: 'api-reference/v1.0/api/chat-patch.md',
      method: 'PATCH',
      response: 'microsoft.graph.chat',
      forms: ['/chats/{chatId}'],
      body: ChatUpdateBody,
      permissions: { delegated: ['Chat.ReadWrite'], application: ['ChatSettings.ReadWrite.Chat', 'Chat.ReadWrite.All'] },
      handle: async (req) => entityResponse(req, 'chats', chatJson(await chats.update(req.principal, req.params.chatId, req.body), req.version === 'beta')),
    }),
    defineRoute({
      operation: 'chat-delete',
      doc: 'api-reference/v1.0/api/chat-delete.md',
      method: 'DELETE',
      response: null,
      forms: ['/chats/{chatId}'],
      permissions: { delegated: ['Chat.ManageDeletion.All'], application: ['Chat.ManageDeletion.All'] },
      handle: async (req) => {
        await chats.delete(req.principal, req.params.chatId);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'chat-installed-app-list',
      doc: 'api-reference/v1.0/api/chat-list-installedapps.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.teamsAppInstallation)',
      forms: ['/chats/{chatId}/installedApps'],
      permissions: installedAppPermissions,
      odata: installedAppQuery,
      handle: async (req) => {
        const rows = await chats.installedApps(req.principal, req.params.chatId);
        return collectionResponse(req, `chats('${contextKey(req.params.chatId)}')/installedApps`, { items: rows.map(installedAppJson), after: null });
      },
    }),
    defineRoute({
      operation: 'chat-installed-app-get',
      doc: 'api-reference/v1.0/api/chat-get-installedapps.md',
      method: 'GET',
      response: 'microsoft.graph.teamsAppInstallation',
      forms: ['/chats/{chatId}/installedApps/{installationId}'],
      permissions: installedAppPermissions,
      odata: installedAppQuery,
      handle: async (req) => {
        const row = await chats.installedApp(req.principal, req.params.chatId, req.params.installationId);
        return entityResponse(req, `chats('${contextKey(req.params.chatId)}')/installedApps`, installedAppJson(row));
      },
    }),
  ];
}

/** A chat as Graph shows it, with the navigation property the service expanded. */
function chatViewJson(req: GraphRequest<unknown, unknown>, view: ChatView): object {
  const chat: Record<string, unknown> = chatJson(view.chat, req.version === 'beta');
  const chatContext = `${req.serviceRoot}/$metadata#chats('${contextKey(view.chat.id)}')`;
  if (view.members !== undefined) {
    chat['members@odata.context'] = `${chatContext}/members`;
    chat.members = view.members.map(memberJson);
  }
  if (view.lastMessage !== undefined) {
    chat['lastMessagePreview@odata.context'] = `${chatContext}/lastMessagePreview/$entity`;
    chat.lastMessagePreview = view.lastMessage === null ? null : chatMessageInfoJson(view.lastMessage);
  }
  return chat;
}
