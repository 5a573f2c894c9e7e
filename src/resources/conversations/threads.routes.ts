import { type GraphRequest, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import { conversationReadPermissions, delegatedWrite, groupWrite, newestDeliveryFirst, outlookPaging } from './conversations.routes.ts';
import {
  ConversationThreadCreateBody,
  GroupThreadCreateBody,
  ReplyBody,
  type ThreadAddress,
  ThreadUpdateBody,
  threadJson,
  threadProperties,
} from './conversations.schemas.ts';
import { type ConversationsService, threadFields } from './conversations.service.ts';

const threadQuery = { entityType: 'microsoft.graph.conversationThread', properties: threadProperties } as const;
const readPermissions = { delegated: conversationReadPermissions, application: conversationReadPermissions };

/** The @odata.context path of a thread as addressed: `groups('g')/threads('t')` or under its conversation. */
export function threadContext(address: ThreadAddress): string {
  const conversation = address.conversationId === undefined ? '' : `/conversations('${contextKey(address.conversationId)}')`;
  return `groups('${contextKey(address.groupId)}')${conversation}/threads('${contextKey(address.threadId)}')`;
}

function threadsContext(groupId: string, conversationId: string | undefined): string {
  const conversation = conversationId === undefined ? '' : `/conversations('${contextKey(conversationId)}')`;
  return `groups('${contextKey(groupId)}')${conversation}/threads`;
}

export function threadRoutes(conversations: ConversationsService): GraphRoute[] {
  const listThreads = async (req: GraphRequest<{ groupId: string; conversationId?: string }, unknown>) => {
    const { groupId, conversationId } = req.params;
    const page = await conversations.listThreads(req.principal, groupId, conversationId ?? null, req.odata.list);
    return collectionResponse(req, threadsContext(groupId, conversationId), { ...page, items: page.items.map((row) => threadJson(row, req.odata.select)) });
  };
  return [
    defineRoute({
      operation: 'thread-list',
      doc: 'api-reference/v1.0/api/group-list-threads.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.conversationThread)',
      forms: ['/groups/{groupId}/threads'],
      permissions: readPermissions,
      odata: { ...threadQuery, ...outlookPaging, ...newestDeliveryFirst, fields: threadFields },
      handle: listThreads,
    }),
    defineRoute({
      operation: 'thread-create',
      doc: 'api-reference/v1.0/api/group-post-threads.md',
      method: 'POST',
      response: 'microsoft.graph.conversationThread',
      forms: ['/groups/{groupId}/threads'],
      body: GroupThreadCreateBody,
      permissions: delegatedWrite,
      handle: async (req) => {
        const thread = await conversations.createThread(req.principal, req.params.groupId, { topic: req.body.topic, post: req.body.posts[0] });
        return entityResponse(req, threadsContext(req.params.groupId, undefined), threadJson(thread, null), 201);
      },
    }),
    defineRoute({
      operation: 'conversation-thread-list',
      doc: 'api-reference/v1.0/api/conversation-list-threads.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.conversationThread)',
      forms: ['/groups/{groupId}/conversations/{conversationId}/threads'],
      permissions: readPermissions,
      odata: { ...threadQuery, ...outlookPaging, ...newestDeliveryFirst, fields: threadFields },
      handle: listThreads,
    }),
    defineRoute({
      operation: 'conversation-thread-create',
      doc: 'api-reference/v1.0/api/conversation-post-threads.md',
      method: 'POST',
      response: 'microsoft.graph.conversationThread',
      forms: ['/groups/{groupId}/conversations/{conversationId}/threads'],
      body: ConversationThreadCreateBody,
      permissions: delegatedWrite,
      handle: async (req) => {
        const { groupId, conversationId } = req.params;
        const thread = await conversations.addThread(req.principal, groupId, conversationId, req.body.topic, req.body.posts[0]);
        return entityResponse(req, threadsContext(groupId, conversationId), threadJson(thread, null), 201);
      },
    }),
    ...addressedThreadRoutes(conversations),
  ];
}

/** Graph addresses a thread under its group and, equally, under its conversation. */
function addressedThreadRoutes(conversations: ConversationsService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'thread-get',
      doc: 'api-reference/v1.0/api/conversationthread-get.md',
      method: 'GET',
      response: 'microsoft.graph.conversationThread',
      forms: ['/groups/{groupId}/threads/{threadId}', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}'],
      permissions: readPermissions,
      odata: threadQuery,
      handle: async (req) => {
        const thread = await conversations.getThread(req.principal, req.params);
        return entityResponse(req, threadsContext(req.params.groupId, req.params.conversationId), threadJson(thread, req.odata.select));
      },
    }),
    // The current page answers 204 (learn:group-update-thread); an older one showed 200 with {}.
    defineRoute({
      operation: 'thread-update',
      doc: 'api-reference/v1.0/api/conversationthread-update.md',
      method: 'PATCH',
      response: null,
      forms: ['/groups/{groupId}/threads/{threadId}', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}'],
      body: ThreadUpdateBody,
      permissions: {
        delegated: ['Group-Conversation.ReadWrite.All', 'Group.ReadWrite.All'],
        application: ['Group-Conversation.ReadWrite.All', 'Group.ReadWrite.All'],
      },
      handle: async (req) => {
        await conversations.updateThread(req.principal, req.params, req.body);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'thread-delete',
      doc: 'api-reference/v1.0/api/conversationthread-delete.md',
      method: 'DELETE',
      response: null,
      forms: ['/groups/{groupId}/threads/{threadId}', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}'],
      permissions: groupWrite,
      handle: async (req) => {
        await conversations.deleteThread(req.principal, req.params);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: 'thread-reply',
      doc: 'api-reference/v1.0/api/conversationthread-reply.md',
      method: 'POST',
      response: null,
      forms: ['/groups/{groupId}/threads/{threadId}/reply', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/reply'],
      body: ReplyBody,
      permissions: delegatedWrite,
      handle: async (req) => {
        await conversations.replyToThread(req.principal, req.params, req.body.post);
        return { status: 202 };
      },
    }),
  ];
}
