import type { QuerySupport } from '../../wire/odata/query-options.ts';
import { type GraphRequest, type GraphRoute, collectionResponse, contextKey, defineRoute, entityResponse } from '../../wire/routes.ts';
import { MessageUpdateBody, chatMessageProperties } from '../messages/messages.schemas.ts';
import type { ChannelMessagesService, MessageThread } from './channel-messages.service.ts';
import { ChannelMessageBody, channelMessageJson } from './channel-messages.schemas.ts';

type Params = { teamId: string; channelId: string; messageId?: string; replyId?: string };
type MessageRow = Parameters<typeof channelMessageJson>[0];

const messageQuery = { entityType: 'microsoft.graph.chatMessage', properties: chatMessageProperties } as const;
// Root messages and replies: 20 a page by default, at most 50, newest first; no $filter or
// $orderby (channel-list-messages.md, chatmessage-list-replies.md).
const pageQuery: QuerySupport = { ...messageQuery, top: { default: 20, max: 50 }, defaultOrder: [{ property: 'id', descending: true }] };
const send = { delegated: ['ChannelMessage.Send', 'Group.ReadWrite.All'], application: ['Teamwork.Migrate.All'] };
const read = {
  delegated: ['ChannelMessage.Read.All', 'Group.Read.All', 'Group.ReadWrite.All'],
  application: ['ChannelMessage.Read.Group', 'ChannelMessage.Read.All', 'Group.Read.All', 'Group.ReadWrite.All'],
};
const update = { delegated: ['ChannelMessage.ReadWrite', 'Group.ReadWrite.All'], application: ['ChannelMessage.UpdatePolicyViolation.All'] };
const softDelete = { delegated: ['ChannelMessage.ReadWrite'], application: [] };

function messagesContext(params: Params): string {
  const base = `teams('${contextKey(params.teamId)}')/channels('${contextKey(params.channelId)}')/messages`;
  return params.messageId === undefined ? base : `${base}('${contextKey(params.messageId)}')/replies`;
}

function messageResponse(req: GraphRequest<Params, unknown>, row: MessageRow, status = 200) {
  return entityResponse(req, messagesContext({ ...req.params, messageId: row.reply_to_id ?? undefined }), channelMessageJson(row), status);
}

/** A root message as JSON, with its replies and their context when they were expanded. */
function threadJson(req: GraphRequest<Params, unknown>, { message, replies }: MessageThread) {
  const json = channelMessageJson(message);
  if (replies === null) return json;
  const repliesContext = `${req.serviceRoot}/$metadata#${messagesContext({ ...req.params, messageId: message.id })}`;
  return { ...json, 'replies@odata.context': repliesContext, replies: replies.map(channelMessageJson) };
}

export function channelMessageRoutes(messages: ChannelMessagesService): GraphRoute[] {
  return [
    defineRoute({
      operation: 'channel-message-create',
      doc: 'api-reference/v1.0/api/channel-post-messages.md',
      method: 'POST',
      response: 'microsoft.graph.chatMessage',
      forms: ['/teams/{teamId}/channels/{channelId}/messages'],
      body: ChannelMessageBody,
      permissions: send,
      handle: async (req) => messageResponse(req, await messages.post(req.principal, req.params.teamId, req.params.channelId, req.body), 201),
    }),
    defineRoute({
      operation: 'channel-message-list',
      doc: 'api-reference/v1.0/api/channel-list-messages.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.chatMessage)',
      forms: ['/teams/{teamId}/channels/{channelId}/messages'],
      permissions: read,
      odata: { ...pageQuery, expand: ['replies'] },
      handle: async (req) => {
        const page = await messages.list(req.principal, req.params.teamId, req.params.channelId, req.odata.list, req.odata.expand);
        return collectionResponse(req, messagesContext(req.params), { ...page, items: page.items.map((thread) => threadJson(req, thread)) });
      },
    }),
    defineRoute({
      operation: 'channel-message-get',
      doc: 'api-reference/v1.0/api/chatmessage-get.md',
      method: 'GET',
      response: 'microsoft.graph.chatMessage',
      forms: ['/teams/{teamId}/channels/{channelId}/messages/{messageId}'],
      permissions: read,
      // Graph answers a root message with its replies for $expand=replies, which clients send (PnPjs' messages.getById(id).expand('replies')).
      odata: { ...messageQuery, expand: ['replies'] },
      handle: async (req) => {
        const thread = await messages.getThread(req.principal, req.params.teamId, req.params.channelId, req.params.messageId, req.odata.expand);
        return entityResponse(req, messagesContext({ ...req.params, messageId: undefined }), threadJson(req, thread));
      },
    }),
    defineRoute({
      operation: 'channel-message-update',
      doc: 'api-reference/v1.0/api/chatmessage-update.md',
      method: 'PATCH',
      response: null,
      forms: ['/teams/{teamId}/channels/{channelId}/messages/{messageId}'],
      body: MessageUpdateBody,
      permissions: update,
      handle: async (req) => {
        await messages.update(req.principal, req.params.teamId, req.params.channelId, req.params.messageId, null, req.body);
        return { status: 204 };
      },
    }),
    ...softDeleteRoutes(messages, '/teams/{teamId}/channels/{channelId}/messages/{messageId}', false),
    defineRoute({
      operation: 'channel-message-reply-create',
      doc: 'api-reference/v1.0/api/chatmessage-post-replies.md',
      method: 'POST',
      response: 'microsoft.graph.chatMessage',
      forms: ['/teams/{teamId}/channels/{channelId}/messages/{messageId}/replies'],
      body: ChannelMessageBody,
      permissions: send,
      handle: async (req) =>
        messageResponse(req, await messages.post(req.principal, req.params.teamId, req.params.channelId, req.body, req.params.messageId), 201),
    }),
    defineRoute({
      operation: 'channel-message-reply-list',
      doc: 'api-reference/v1.0/api/chatmessage-list-replies.md',
      method: 'GET',
      response: 'Collection(microsoft.graph.chatMessage)',
      forms: ['/teams/{teamId}/channels/{channelId}/messages/{messageId}/replies'],
      permissions: read,
      odata: pageQuery,
      handle: async (req) => {
        const page = await messages.listReplies(req.principal, req.params.teamId, req.params.channelId, req.params.messageId, req.odata.list);
        return collectionResponse(req, messagesContext(req.params), { ...page, items: page.items.map(channelMessageJson) });
      },
    }),
    defineRoute({
      operation: 'channel-message-reply-get',
      doc: 'api-reference/v1.0/api/chatmessage-get.md',
      method: 'GET',
      response: 'microsoft.graph.chatMessage',
      forms: ['/teams/{teamId}/channels/{channelId}/messages/{messageId}/replies/{replyId}'],
      permissions: read,
      odata: messageQuery,
      handle: async (req) =>
        messageResponse(req, await messages.get(req.principal, req.params.teamId, req.params.channelId, req.params.replyId, req.params.messageId)),
    }),
    defineRoute({
      operation: 'channel-message-reply-update',
      doc: 'api-reference/v1.0/api/chatmessage-update.md',
      method: 'PATCH',
      response: null,
      forms: ['/teams/{teamId}/channels/{channelId}/messages/{messageId}/replies/{replyId}'],
      body: MessageUpdateBody,
      permissions: update,
      handle: async (req) => {
        await messages.update(req.principal, req.params.teamId, req.params.channelId, req.params.replyId, req.params.messageId, req.body);
        return { status: 204 };
      },
    }),
    ...softDeleteRoutes(messages, '/teams/{teamId}/channels/{channelId}/messages/{messageId}/replies/{replyId}', true),
  ];
}

/** softDelete and undoSoftDelete of a message or a reply (chatmessage-softdelete.md, chatmessage-undosoftdelete.md). */
function softDeleteRoutes(messages: ChannelMessagesService, url: string, isReply: boolean): GraphRoute[] {
  return (['softDelete', 'undoSoftDelete'] as const).map((action) =>
    defineRoute({
      operation: `channel-message${isReply ? '-reply' : ''}-${action === 'softDelete' ? 'soft-delete' : 'undo-soft-delete'}`,
      doc: `api-reference/v1.0/api/chatmessage-${action.toLowerCase()}.md`,
      method: 'POST',
      response: null,
      forms: [`${url}/${action}`],
      permissions: softDelete,
      handle: async (req) => {
        const params = req.params as Params & { messageId: string };
        const [messageId, replyToId] = params.replyId === undefined ? [params.messageId, null] : [params.replyId, params.messageId];
        await messages.setDeleted(req.principal, params.teamId, params.channelId, messageId, replyToId, action === 'softDelete');
        return { status: 204 };
      },
    }),
  );
}
