import { type GraphRequest, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import { ConversationCreateBody, ConversationRefBody, conversationJson, conversationProperties } from './conversations.schemas.ts';
import { type ConversationsService, conversationFields } from './conversations.service.ts';

// Reads accept the newer Group-Conversation permissions first (learn:group-list-conversations).
export const conversationReadPermissions = ['Group-Conversation.Read.All', 'Group-Conversation.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All'];
// Creating conversations, threads and thread replies is delegated only (group-post-conversations.md).
export const delegatedWrite = { delegated: ['Group.ReadWrite.All'], application: [] };
export const groupWrite = { delegated: ['Group.ReadWrite.All'], application: ['Group.ReadWrite.All'] };
/**
 * Paging of the Outlook-backed lists: Graph documents no page size, Outlook's is 10; Outlook also
 * takes $skip. Conversations and threads come newest delivery first, like the group's mailbox.
 */
export const outlookPaging = { top: { default: 10, max: 1000 }, skip: true } as const;
export const newestDeliveryFirst = {
  defaultOrder: [{ property: 'lastDeliveredDateTime', descending: true }],
  orderby: { lastDeliveredDateTime: 'both', topic: 'both' },
} as const;

const conversationQuery = { entityType: 'microsoft.graph.conversation', properties: conversationProperties } as const;
const groupContext = (groupId: string) => `groups('${contextKey(groupId)}')/conversations`;

export function conversationRoutes(conversations: ConversationsService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'conversation-list',
      doc: 'api-reference/v1.0/api/group-list-conversations.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.conversation)',
      forms: ['/groups/{groupId}/conversations'],
      permissions: { delegated: conversationReadPermissions, application: conversationReadPermissions },
      odata: { ...conversationQuery, ...outlookPaging, ...newestDeliveryFirst, fields: conversationFields },
      handle: async (req) => {
        const page = await conversations.list(req.principal, req.params.groupId, req.odata.list);
        return collectionResponse(req, groupContext(req.params.groupId), { ...page, items: page.items.map(conversationJson) });
      },
    }),
    // Graph's text says 201 while its example shows 200; teamgraph answers 201 (docs/decisions.md).
    defineRoute({
      operation: 'conversation-create',
      doc: 'api-reference/v1.0/api/group-post-conversations.md',
      method: 'POST',
      response: 'microsoft.graph.conversation',
      forms: ['/groups/{groupId}/conversations'],
      body: ConversationCreateBody,
      permissions: delegatedWrite,
      handle: async (req) => {
        const [thread] = req.body.threads;
        const topic = req.body.topic;
        const created = await conversations.create(req.principal, req.params.groupId, { topic, post: thread.posts[0] });
        const body = { ...conversationJson(created.conversation), threads: [{ id: created.thread.id }] };
        return entityResponse(req, groupContext(req.params.groupId), body, 201);
      },
    }),
    defineRoute({
      operation: 'conversation-reference-add',
      doc: 'seed 001 (draft): Add conversations',
      method: 'POST',
      response: 'microsoft.graph.conversation',
      forms: ['/groups/{groupId}/conversations/$ref'],
      body: ConversationRefBody,
      permissions: delegatedWrite,
      handle: async (req) => referenceResponse(req, req.params.groupId, await conversations.addReference(req.principal, req.params.groupId, req.body)),
    }),
    defineRoute({
      operation: 'joined-team-conversation-reference-add',
      doc: 'seed 001 (draft): Add conversations',
      method: 'POST',
      response: 'microsoft.graph.conversation',
      forms: ['/me/joinedTeams/{teamId}/conversations/$ref'],
      body: ConversationRefBody,
      permissions: delegatedWrite,
      handle: async (req) => {
        const row = await conversations.addReferenceToJoinedTeam(req.principal, req.pathUserId, req.params.teamId, req.body);
        return referenceResponse(req, req.params.teamId, row);
      },
    }),
    defineRoute({
      operation: 'conversation-get',
      doc: 'api-reference/v1.0/api/conversation-get.md',
      method: 'GET',
      response: 'microsoft.graph.conversation',
      forms: ['/groups/{groupId}/conversations/{conversationId}'],
      permissions: { delegated: conversationReadPermissions, application: conversationReadPermissions },
      odata: conversationQuery,
      handle: async (req) => {
        const row = await conversations.get(req.principal, req.params.groupId, req.params.conversationId);
        return entityResponse(req, groupContext(req.params.groupId), conversationJson(row));
      },
    }),
    defineRoute({
      operation: 'conversation-delete',
      doc: 'api-reference/v1.0/api/conversation-delete.md',
      method: 'DELETE',
      response: null,
      forms: ['/groups/{groupId}/conversations/{conversationId}'],
      permissions: groupWrite,
      handle: async (req) => {
        await conversations.delete(req.principal, req.params.groupId, req.params.conversationId);
        return { status: 204 };
      },
    }),
  ];
}

/** The draft page's response carries the entity's @odata.type and every property it was given. */
function referenceResponse(req: GraphRequest<unknown, unknown>, groupId: string, row: Parameters<typeof conversationJson>[0]) {
  return entityResponse(req, groupContext(groupId), { '@odata.type': '#microsoft.graph.conversation', ...conversationJson(row) }, 201);
}
