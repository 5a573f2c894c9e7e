import Type, { type Static } from 'typebox';
import type { MessageTable } from '../../store/schema.ts';
import { annotationProperties } from '../../wire/validation.ts';

// The chatMessage shape shared by chat and channel messages (api-reference/v1.0/resources/chatmessage.md).

export const chatMessageProperties = [
  'id',
  'replyToId',
  'etag',
  'messageType',
  'createdDateTime',
  'lastModifiedDateTime',
  'lastEditedDateTime',
  'deletedDateTime',
  'subject',
  'summary',
  'chatId',
  'importance',
  'locale',
  'webUrl',
  'channelIdentity',
  'policyViolation',
  'eventDetail',
  'from',
  'body',
  'attachments',
  'mentions',
  'reactions',
  'messageHistory',
] as const;

export type ChatMessage = Record<(typeof chatMessageProperties)[number], unknown>;

/** Who a message is from, as Graph names them; null fields stay null (chatMessageFromIdentitySet). */
export interface MessageSender {
  readonly userId: string;
  readonly displayName: string | null;
  readonly tenantId: string;
}

const itemBodyProperties = {
  contentType: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('html')])),
  content: Type.String(),
};
export const ItemBody = Type.Object(itemBodyProperties);
export const Importance = Type.Union([Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]);

/**
 * What a sender may change of a chat or channel message (chatmessage-update.md); any other property
 * is refused. Mentions, attachments and reactions are accepted and left as they are.
 */
export const MessageUpdateBody = Type.Object(
  {
    body: Type.Optional(Type.Object(itemBodyProperties, { graphErrors: { '*': 'body.content must be a string.' } })),
    subject: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    importance: Type.Optional(Importance),
    mentions: Type.Optional(Type.Unknown()),
    attachments: Type.Optional(Type.Unknown()),
    reactions: Type.Optional(Type.Unknown()),
  },
  {
    additionalProperties: false,
    patternProperties: annotationProperties,
    graphErrors: { additionalProperties: "The property '{property}' cannot be updated on a chatMessage." },
  },
);
export type MessageUpdateBody = Static<typeof MessageUpdateBody>;

/** A message row as Graph JSON; a channel message also carries its webUrl and channelIdentity. */
export function chatMessageJson(
  row: MessageTable,
  sender: MessageSender | null,
  webUrl: string | null,
  channelIdentity: { teamId: string; channelId: string } | null,
): ChatMessage {
  const isDeleted = row.deleted_date_time !== null;
  return {
    id: row.id,
    replyToId: row.reply_to_id,
    etag: String(Date.parse(row.last_modified_date_time)),
    messageType: row.message_type,
    createdDateTime: row.created_date_time,
    lastModifiedDateTime: row.last_modified_date_time,
    lastEditedDateTime: row.last_edited_date_time,
    deletedDateTime: row.deleted_date_time,
    subject: row.subject,
    summary: null,
    chatId: row.container_kind === 'chat' ? row.container_id : null,
    importance: row.importance,
    locale: 'en-us',
    webUrl,
    channelIdentity,
    policyViolation: null,
    eventDetail: null,
    from:
      sender === null
        ? null
        : {
            application: null,
            device: null,
            user: {
              '@odata.type': '#microsoft.graph.teamworkUserIdentity',
              id: sender.userId,
              displayName: sender.displayName,
              userIdentityType: 'aadUser',
              tenantId: sender.tenantId,
            },
          },
    // A soft-deleted message keeps its place in the list with an empty body (chatmessage-softdelete.md).
    body: { contentType: row.body_content_type, content: isDeleted ? '' : row.body_content },
    attachments: isDeleted ? [] : (JSON.parse(row.attachments) as unknown[]),
    mentions: isDeleted ? [] : (JSON.parse(row.mentions) as unknown[]),
    reactions: JSON.parse(row.reactions) as unknown[],
    messageHistory: [],
  };
}

export const ChatMessageBody = Type.Object({
  body: ItemBody,
  subject: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  importance: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')])),
});
export type ChatMessageBody = Static<typeof ChatMessageBody>;

/** Where a new message goes, who sends it and when: what its row takes besides the request's body. */
export interface MessageOrigin {
  readonly containerKind: 'chat' | 'channel';
  readonly containerId: string;
  readonly teamId: string | null;
  readonly replyToId: string | null;
  /** The sending user; null for an application, whose `appId` the row then names. */
  readonly fromUserId: string | null;
  readonly appId: string;
  /** The sender's name and tenant as the message keeps them (docs/decisions.md 87). */
  readonly sender: { readonly displayName: string | null; readonly tenantId: string } | null;
  readonly createdAt: Date;
}

/**
 * A chat or channel message as sent, under the candidate id of its creation time in epoch milliseconds
 * (store/message-ids.ts moves it past ids taken); a chat message takes no attachments or mentions here.
 */
export function messageRow(
  origin: MessageOrigin,
  body: ChatMessageBody & { readonly attachments?: readonly object[]; readonly mentions?: readonly object[] },
): MessageTable {
  const createdDateTime = origin.createdAt.toISOString();
  return {
    container_id: origin.containerId,
    id: String(origin.createdAt.getTime()),
    container_kind: origin.containerKind,
    team_id: origin.teamId,
    reply_to_id: origin.replyToId,
    message_type: 'message',
    from_user_id: origin.fromUserId,
    from_display_name: origin.sender?.displayName ?? null,
    from_tenant_id: origin.sender?.tenantId ?? null,
    from_app_id: origin.fromUserId === null ? origin.appId : null,
    subject: body.subject ?? null,
    body_content_type: body.body.contentType ?? 'text',
    body_content: body.body.content,
    importance: body.importance ?? 'normal',
    attachments: JSON.stringify(body.attachments ?? []),
    mentions: JSON.stringify(body.mentions ?? []),
    reactions: '[]',
    created_date_time: createdDateTime,
    last_modified_date_time: createdDateTime,
    last_edited_date_time: null,
    deleted_date_time: null,
  };
}

export function senderOf(row: MessageTable): MessageSender | null {
  return row.from_user_id === null ? null : { userId: row.from_user_id, displayName: row.from_display_name, tenantId: row.from_tenant_id ?? '' };
}

/** lastMessagePreview of a chat: a chatMessageInfo (learn:resources/chatmessageinfo). */
export function chatMessageInfoJson(row: MessageTable) {
  const message = chatMessageJson(row, senderOf(row), null, null);
  return {
    id: row.id,
    createdDateTime: row.created_date_time,
    isDeleted: row.deleted_date_time !== null,
    messageType: row.message_type,
    eventDetail: null,
    body: message.body,
    from: message.from,
  };
}
