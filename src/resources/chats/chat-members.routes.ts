import { signedInUserId } from '../../wire/auth.ts';
import { type GraphRequest, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import type { ChatMembersService } from './chat-members.service.ts';
import { ChatKeyParams, ConversationMemberBody, UserChatKeyParams, memberJson, memberProperties, membershipId } from './chats.schemas.ts';
import Type from 'typebox';

const MemberKeyParams = Type.Object({ chatId: Type.String({ minLength: 1 }), membershipId: Type.String({ minLength: 1 }) });
const memberQuery = { entityType: 'microsoft.graph.conversationMember', properties: memberProperties } as const;
const readPermissions = {
  delegated: ['ChatMember.Read', 'ChatMember.ReadWrite', 'Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'],
  application: ['ChatMember.Read.Chat', 'Chat.Manage.Chat', 'ChatMember.Read.All', 'ChatMember.ReadWrite.All', 'Chat.ReadBasic.All', 'Chat.Read.All', 'Chat.ReadWrite.All'],
};
const membersContext = (chatId: string) => `chats('${contextKey(chatId)}')/members`;

export function chatMemberRoutes(members: ChatMembersService): GraphRoute[] {
  const list = async (req: GraphRequest<unknown, unknown>, chatId: string, pathUserId?: string) =>
    collectionResponse(req, membersContext(chatId), { items: (await members.list(req.principal, chatId, pathUserId)).map(memberJson), after: null });
  return [
    defineRoute({
      operation: 'chat-member-list',
      doc: 'api-reference/v1.0/api/chat-list-members.md',
      method: 'GET',
      url: '/chats/{chatId}/members',
      params: ChatKeyParams,
      permissions: readPermissions,
      odata: memberQuery,
      handle: (req) => list(req, req.params.chatId),
    }),
    defineRoute({
      operation: 'me-chat-member-list',
      doc: 'api-reference/v1.0/api/chat-list-members.md',
      method: 'GET',
      url: '/me/chats/{chatId}/members',
      params: ChatKeyParams,
      permissions: { delegated: readPermissions.delegated, application: [] },
      odata: memberQuery,
      handle: (req) => list(req, req.params.chatId, signedInUserId(req.principal)),
    }),
    defineRoute({
      operation: 'user-chat-member-list',
      doc: 'api-reference/v1.0/api/chat-list-members.md',
      method: 'GET',
      url: '/users/{userId}/chats/{chatId}/members',
      params: UserChatKeyParams,
      permissions: readPermissions,
      odata: memberQuery,
      handle: (req) => list(req, req.params.chatId, req.params.userId),
    }),
    defineRoute({
      operation: 'chat-member-get',
      doc: 'api-reference/v1.0/api/chat-get-members.md',
      method: 'GET',
      url: '/chats/{chatId}/members/{membershipId}',
      params: MemberKeyParams,
      permissions: readPermissions,
      odata: memberQuery,
      handle: async (req) => entityResponse(req, membersContext(req.params.chatId), memberJson(await members.get(req.principal, req.params.chatId, req.params.membershipId))),
    }),
    defineRoute({
      // Graph answers 201 with a path-style Location (chat-post-members.md); the body is the member.
      operation: 'chat-member-add',
      doc: 'api-reference/v1.0/api/chat-post-members.md',
      method: 'POST',
      url: '/chats/{chatId}/members',
      params: ChatKeyParams,
      body: ConversationMemberBody,
      permissions: { delegated: ['ChatMember.ReadWrite', 'Chat.ReadWrite'], application: ['Chat.Manage.Chat', 'Chat.ReadWrite.All', 'ChatMember.ReadWrite.All'] },
      handle: async (req) => {
        const member = await members.add(req.principal, req.params.chatId, req.body);
        const response = entityResponse(req, membersContext(member.chat_id), memberJson(member), 201);
        return { ...response, headers: { location: `/chats/${member.chat_id}/members/${membershipId(member)}` } };
      },
    }),
    defineRoute({
      operation: 'chat-member-remove',
      doc: 'api-reference/v1.0/api/chat-delete-members.md',
      method: 'DELETE',
      url: '/chats/{chatId}/members/{membershipId}',
      params: MemberKeyParams,
      permissions: { delegated: ['ChatMember.ReadWrite'], application: ['ChatMember.ReadWrite.All'] },
      handle: async (req) => {
        await members.remove(req.principal, req.params.chatId, req.params.membershipId);
        return { status: 204 };
      },
    }),
  ];
}
