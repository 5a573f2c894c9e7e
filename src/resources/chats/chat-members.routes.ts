import { type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import type { ChatMembersService } from './chat-members.service.ts';
import { ConversationMemberBody, memberJson, memberProperties, membershipId } from './chats.schemas.ts';

const memberQuery = { entityType: 'microsoft.graph.conversationMember', properties: memberProperties } as const;
const readPermissions = {
  delegated: ['ChatMember.Read', 'ChatMember.ReadWrite', 'Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'],
  application: [
    'ChatMember.Read.Chat',
    'Chat.Manage.Chat',
    'ChatMember.Read.All',
    'ChatMember.ReadWrite.All',
    'Chat.ReadBasic.All',
    'Chat.Read.All',
    'Chat.ReadWrite.All',
  ],
};
const membersContext = (chatId: string) => `chats('${contextKey(chatId)}')/members`;

export function chatMemberRoutes(members: ChatMembersService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'chat-member-list',
      doc: 'api-reference/v1.0/api/chat-list-members.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.conversationMember)',
      forms: ['/chats/{chatId}/members', '/me/chats/{chatId}/members', '/users/{userId}/chats/{chatId}/members'],
      permissions: readPermissions,
      odata: memberQuery,
      handle: async (req) =>
        collectionResponse(req, membersContext(req.params.chatId), {
          items: (await members.list(req.principal, req.params.chatId, req.pathUserId)).map(memberJson),
          after: null,
        }),
    }),
    defineRoute({
      operation: 'chat-member-get',
      doc: 'api-reference/v1.0/api/chat-get-members.md',
      method: 'GET',
      response: 'microsoft.graph.conversationMember',
      forms: ['/chats/{chatId}/members/{membershipId}'],
      permissions: readPermissions,
      odata: memberQuery,
      handle: async (req) =>
        entityResponse(req, membersContext(req.params.chatId), memberJson(await members.get(req.principal, req.params.chatId, req.params.membershipId))),
    }),
    defineRoute({
      // Graph answers 201 with a path-style Location (chat-post-members.md); the body is the member.
      operation: 'chat-member-add',
      doc: 'api-reference/v1.0/api/chat-post-members.md',
      method: 'POST',
      response: 'microsoft.graph.conversationMember',
      forms: ['/chats/{chatId}/members'],
      body: ConversationMemberBody,
      permissions: {
        delegated: ['ChatMember.ReadWrite', 'Chat.ReadWrite'],
        application: ['Chat.Manage.Chat', 'Chat.ReadWrite.All', 'ChatMember.ReadWrite.All'],
      },
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
      response: null,
      forms: ['/chats/{chatId}/members/{membershipId}'],
      permissions: { delegated: ['ChatMember.ReadWrite'], application: ['ChatMember.ReadWrite.All'] },
      handle: async (req) => {
        await members.remove(req.principal, req.params.chatId, req.params.membershipId);
        return { status: 204 };
      },
    }),
  ];
}
