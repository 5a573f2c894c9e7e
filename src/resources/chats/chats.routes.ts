import type { QuerySupport } from '../../wire/odata/query-options.ts';
import { type GraphRequest, type GraphResponse, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import { chatMessageInfoJson } from '../messages/messages.schemas.ts';
import type { ChatMessagesService } from './chat-messages.service.ts';
import { ChatCreateBody, ChatUpdateBody, chatJson, chatProperties, installedAppJson, installedAppProperties, memberJson, type MemberRow } from './chats.schemas.ts';
import { type ChatsService, chatFields } from './chats.service.ts';

type ChatRow = Parameters<typeof chatJson>[0];

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
  application: ['Chat.ReadBasic.WhereInstalled', 'Chat.Manage.Chat', 'Chat.Read.All', 'Chat.ReadBasic.All', 'Chat.ReadWrite.All', 'ChatSettings.Read.Chat', 'ChatSettings.ReadWrite.Chat'],
};
const installedAppPermissions = {
  delegated: ['TeamsAppInstallation.ReadForChat', 'TeamsAppInstallation.ReadWriteSelfForChat', 'TeamsAppInstallation.ManageSelectedForChat', 'TeamsAppInstallation.ReadWriteAndConsentForChat', 'TeamsAppInstallation.ReadWriteAndConsentSelfForChat', 'TeamsAppInstallation.ReadWriteForChat'],
  application: ['TeamsAppInstallation.ReadForChat.All', 'TeamsAppInstallation.ReadWriteSelfForChat.All', 'Chat.Manage.Chat', 'TeamsAppInstallation.ManageSelectedForChat.All', 'TeamsAppInstallation.Read.Chat', 'TeamsAppInstallation.ReadWriteAndConsentForChat.All', 'TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All', 'TeamsAppInstallation.ReadWriteForChat.All'],
};

export function chatRoutes(chats: ChatsService, messages: ChatMessagesService): GraphRoute[] {
  // A single chat expands members only (chat-get.md); with them, the chat and its members are one read.
  const get = async (req: GraphRequest<unknown, unknown>, chatId: string, pathUserId?: string) => {
    const isBeta = req.version === 'beta';
    if (req.odata.expand !== 'members') return entityResponse(req, 'chats', chatJson(await chats.get(req.principal, chatId, pathUserId), isBeta));
    const { chat, members } = await chats.getWithMembers(req.principal, chatId, pathUserId);
    return entityResponse(req, 'chats', withMembers(req, chatJson(chat, isBeta), chat.id, members));
  };
  return [
    defineRoute({
      operation: 'chat-create',
      doc: 'api-reference/beta/api/chat-post.md',
      method: 'POST',
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
      forms: ['/chats', '/me/chats', '/users/{userId}/chats'],
      permissions: listPermissions,
      odata: chatListQuery,
      handle: (req) => listChats(req, chats, messages),
    }),
    defineRoute({
      operation: 'chat-get',
      doc: 'api-reference/v1.0/api/chat-get.md',
      method: 'GET',
      forms: ['/chats/{chatId}', '/me/chats/{chatId}', '/users/{userId}/chats/{chatId}'],
      permissions: getPermissions,
      odata: chatQuery,
      handle: (req) => get(req, req.params.chatId, req.pathUserId),
    }),
    defineRoute({
      operation: 'chat-update',
      doc: 'api-reference/v1.0/api/chat-patch.md',
      method: 'PATCH',
      forms: ['/chats/{chatId}'],
      body: ChatUpdateBody,
      permissions: { delegated: ['Chat.ReadWrite'], application: ['ChatSettings.ReadWrite.Chat', 'Chat.ReadWrite.All'] },
      handle: async (req) => entityResponse(req, 'chats', chatJson(await chats.update(req.principal, req.params.chatId, req.body), req.version === 'beta')),
    }),
    defineRoute({
      operation: 'chat-delete',
      doc: 'api-reference/v1.0/api/chat-delete.md',
      method: 'DELETE',
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

async function listChats(req: GraphRequest<unknown, unknown>, chats: ChatsService, messages: ChatMessagesService): Promise<GraphResponse> {
  const page = await chats.list(req.principal, req.pathUserId, req.odata.list);
  return collectionResponse(req, 'chats', { ...page, items: await chatViews(req, chats, messages, page.items) });
}

/** Chats as Graph shows them, with the navigation properties the request expands. */
async function chatViews(req: GraphRequest<unknown, unknown>, chats: ChatsService, messages: ChatMessagesService, rows: readonly ChatRow[]): Promise<object[]> {
  const expand = req.odata.expand;
  const members = expand === 'members' ? await chats.membersOf(rows.map((row) => row.id)) : null;
  const previews = expand === 'lastMessagePreview' ? await messages.lastMessages(rows) : null;
  return rows.map((row) => {
    const chat: Record<string, unknown> = chatJson(row, req.version === 'beta');
    if (members !== null) return withMembers(req, chat, row.id, members.get(row.id) ?? []);
    if (previews !== null) {
      const preview = previews.get(row.id);
      chat['lastMessagePreview@odata.context'] = `${req.serviceRoot}/$metadata#chats('${contextKey(row.id)}')/lastMessagePreview/$entity`;
      chat.lastMessagePreview = preview === undefined ? null : chatMessageInfoJson(preview);
    }
    return chat;
  });
}

/** Adds the expanded members to the chat's JSON, in place: a copy would cost more than the rest of it. */
function withMembers(req: GraphRequest<unknown, unknown>, chat: Record<string, unknown>, chatId: string, members: readonly MemberRow[]): object {
  chat['members@odata.context'] = `${req.serviceRoot}/$metadata#chats('${contextKey(chatId)}')/members`;
  chat.members = members.map(memberJson);
  return chat;
}
