import { type GraphRoute, collectionResponse, defineRoute, entityResponse } from '../../wire/routes.ts';
import { conversationReadPermissions, groupWrite, outlookPaging } from './conversations.routes.ts';
import { ForwardBody, ReplyBody, postJson, postProperties } from './conversations.schemas.ts';
import { type ConversationsService, type PostView, postFields } from './conversations.service.ts';
import { threadContext } from './threads.routes.ts';

// conversationthread-list-posts.md: `$select`, and `$expand` of one relationship per request.

const postQuery = { entityType: 'microsoft.graph.post', properties: postProperties, expand: ['inReplyTo', 'attachments', 'extensions'] } as const;
const readPermissions = { delegated: conversationReadPermissions, application: conversationReadPermissions };

export function postRoutes(conversations: ConversationsService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'post-list',
      doc: 'api-reference/v1.0/api/conversationthread-list-posts.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.post)',
      forms: ['/groups/{groupId}/threads/{threadId}/posts', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/posts'],
      permissions: readPermissions,
      // Oldest first, as a mailbox shows a conversation.
      odata: {
        ...postQuery,
        ...outlookPaging,
        fields: postFields,
        defaultOrder: [{ property: 'createdDateTime', descending: false }],
        orderby: { createdDateTime: 'both' },
      },
      handle: async (req) => {
        const page = await conversations.listPosts(req.principal, req.params, req.odata.list, req.odata.expand);
        return collectionResponse(req, `${threadContext(req.params)}/posts`, { ...page, items: page.items.map(postViewJson) });
      },
    }),
    defineRoute({
      operation: 'post-get',
      doc: 'api-reference/v1.0/api/post-get.md',
      method: 'GET',
      response: 'microsoft.graph.post',
      forms: ['/groups/{groupId}/threads/{threadId}/posts/{postId}', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/posts/{postId}'],
      permissions: readPermissions,
      odata: postQuery,
      handle: async (req) => {
        return entityResponse(
          req,
          `${threadContext(req.params)}/posts`,
          postViewJson(await conversations.getPost(req.principal, req.params, req.odata.expand)),
        );
      },
    }),
    // The current page answers 202 (learn:post-reply 2026-06-19); an older one showed 200.
    defineRoute({
      operation: 'post-reply',
      doc: 'api-reference/v1.0/api/post-reply.md',
      method: 'POST',
      response: null,
      forms: [
        '/groups/{groupId}/threads/{threadId}/posts/{postId}/reply',
        '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/posts/{postId}/reply',
      ],
      body: ReplyBody,
      permissions: groupWrite,
      handle: async (req) => {
        await conversations.replyToPost(req.principal, req.params, req.body.post);
        return { status: 202 };
      },
    }),
    defineRoute({
      operation: 'post-forward',
      doc: 'api-reference/v1.0/api/post-forward.md',
      method: 'POST',
      response: null,
      forms: [
        '/groups/{groupId}/threads/{threadId}/posts/{postId}/forward',
        '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/posts/{postId}/forward',
      ],
      body: ForwardBody,
      permissions: groupWrite,
      handle: async (req) => {
        await conversations.forwardPost(req.principal, req.params, req.body);
        return { status: 200 };
      },
    }),
  ];
}

/** A post as Graph JSON, with the relationship the service expanded. */
function postViewJson(view: PostView) {
  if (view.expanded === null) return postJson(view.post);
  if ('inReplyTo' in view.expanded) return { ...postJson(view.post), inReplyTo: view.expanded.inReplyTo === null ? null : postJson(view.expanded.inReplyTo) };
  return { ...postJson(view.post), ...view.expanded };
}
