import { type GraphRequest, type GraphRoute, collectionResponse, defineRoute, entityResponse } from '../../wire/routes.ts';
import { conversationReadPermissions, groupWrite, outlookPaging } from './conversations.routes.ts';
import { ForwardBody, ReplyBody, postJson, postProperties } from './conversations.schemas.ts';
import { type ConversationsService, postFields } from './conversations.service.ts';
import { threadContext } from './threads.routes.ts';

// conversationthread-list-posts.md: `$select`, and `$expand` of one relationship per request.
type PostRow = Parameters<typeof postJson>[0];

const postQuery = { entityType: 'microsoft.graph.post', properties: postProperties, expand: ['inReplyTo', 'attachments', 'extensions'] } as const;
const readPermissions = { delegated: conversationReadPermissions, application: conversationReadPermissions };

export function postRoutes(conversations: ConversationsService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'post-list',
      doc: 'api-reference/v1.0/api/conversationthread-list-posts.md',
      method: 'GET',
      forms: ['/groups/{groupId}/threads/{threadId}/posts', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/posts'],
      permissions: readPermissions,
      // Oldest first, as a mailbox shows a conversation.
      odata: { ...postQuery, ...outlookPaging, fields: postFields, defaultOrder: [{ property: 'createdDateTime', descending: false }], orderby: { createdDateTime: 'both' } },
      handle: async (req) => {
        const page = await conversations.listPosts(req.principal, req.params, req.odata.list);
        return collectionResponse(req, `${threadContext(req.params)}/posts`, { ...page, items: await expanded(req, conversations, page.items) });
      },
    }),
    defineRoute({
      operation: 'post-get',
      doc: 'api-reference/v1.0/api/post-get.md',
      method: 'GET',
      forms: ['/groups/{groupId}/threads/{threadId}/posts/{postId}', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/posts/{postId}'],
      permissions: readPermissions,
      odata: postQuery,
      handle: async (req) => {
        const post = await conversations.getPost(req.principal, req.params);
        const [json] = await expanded(req, conversations, [post]);
        return entityResponse(req, `${threadContext(req.params)}/posts`, json ?? postJson(post));
      },
    }),
    // The current page answers 202 (learn:post-reply 2026-06-19); an older one showed 200.
    defineRoute({
      operation: 'post-reply',
      doc: 'api-reference/v1.0/api/post-reply.md',
      method: 'POST',
      forms: ['/groups/{groupId}/threads/{threadId}/posts/{postId}/reply', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/posts/{postId}/reply'],
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
      forms: ['/groups/{groupId}/threads/{threadId}/posts/{postId}/forward', '/groups/{groupId}/conversations/{conversationId}/threads/{threadId}/posts/{postId}/forward'],
      body: ForwardBody,
      permissions: groupWrite,
      handle: async (req) => {
        await conversations.forwardPost(req.principal, req.params, req.body);
        return { status: 200 };
      },
    }),
  ];
}

/** Posts as Graph JSON with the one relationship `$expand` named; attachments and extensions are none here. */
async function expanded(req: GraphRequest<unknown, unknown>, conversations: ConversationsService, posts: readonly PostRow[]) {
  const expand = req.odata.expand;
  if (expand === null) return posts.map(postJson);
  if (expand !== 'inReplyTo') return posts.map((post) => ({ ...postJson(post), [expand]: [] }));
  const parents = await conversations.inReplyTo(posts);
  return posts.map((post) => {
    const parent = post.in_reply_to_id === null ? undefined : parents.get(post.in_reply_to_id);
    return { ...postJson(post), inReplyTo: parent === undefined ? null : postJson(parent) };
  });
}
