import Type, { type Static } from 'typebox';
import type { GroupConversationTable, GroupPostTable, GroupThreadTable } from '../../store/schema.ts';

/** Both address forms Graph has: `/groups/{g}/threads/{t}` and `/groups/{g}/conversations/{c}/threads/{t}`. */
/** A thread as its path names it: under its group, or under its conversation too. */
export interface ThreadAddress {
  readonly groupId: string;
  readonly conversationId?: string;
  readonly threadId: string;
}
export interface PostAddress extends ThreadAddress {
  readonly postId: string;
}

// Request bodies are open like Graph's (post is an open type): properties Graph computes are ignored.
export const Recipient = Type.Object({ emailAddress: Type.Object({ name: Type.Optional(Type.String()), address: Type.String() }) });
export type Recipient = Static<typeof Recipient>;
const ItemBody = Type.Object({ contentType: Type.Optional(Type.String()), content: Type.String() });
export const PostInput = Type.Object({ body: ItemBody, newParticipants: Type.Optional(Type.Array(Recipient)) });
export type PostInput = Static<typeof PostInput>;
// One thread holding one post is what the create pages describe; more is refused rather than dropped.
const OnePost = Type.Tuple([PostInput]);

export const ConversationCreateBody = Type.Object({
  topic: Type.String({ minLength: 1 }),
  threads: Type.Tuple([Type.Object({ posts: OnePost })]),
});
export const GroupThreadCreateBody = Type.Object({ topic: Type.String({ minLength: 1 }), posts: OnePost });
export const ConversationThreadCreateBody = Type.Object({ topic: Type.Optional(Type.String({ minLength: 1 })), posts: OnePost });
export const ThreadUpdateBody = Type.Object({ isLocked: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const ReplyBody = Type.Object({ post: PostInput });
export const ForwardBody = Type.Object({ comment: Type.Optional(Type.String()), toRecipients: Type.Array(Recipient, { minItems: 1 }) });
export type ForwardBody = Static<typeof ForwardBody>;

// The body of the seed 001 draft page ("Add conversations"): a conversation's own properties.
export const ConversationRefBody = Type.Object({
  topic: Type.String({ minLength: 1 }),
  hasAttachments: Type.Optional(Type.Boolean()),
  lastDeliveredDateTime: Type.Optional(Type.String({ format: 'date-time' })),
  uniqueSenders: Type.Optional(Type.Array(Type.String())),
  preview: Type.Optional(Type.String()),
});
export type ConversationRefBody = Static<typeof ConversationRefBody>;

export const conversationProperties = ['id', 'topic', 'hasAttachments', 'lastDeliveredDateTime', 'uniqueSenders', 'preview'] as const;
// toRecipients and ccRecipients are returned only on $select (conversationthread resource).
export const threadProperties = [...conversationProperties, 'isLocked', 'toRecipients', 'ccRecipients'] as const;
export const postProperties = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'hasAttachments',
  'body',
  'from',
  'sender',
  'conversationId',
  'conversationThreadId',
  'newParticipants',
] as const;

type Summarised = Pick<GroupConversationTable, 'id' | 'topic' | 'has_attachments' | 'last_delivered_date_time' | 'unique_senders' | 'preview'>;

export function conversationJson(row: Summarised) {
  return {
    id: row.id,
    topic: row.topic,
    hasAttachments: row.has_attachments === 1,
    lastDeliveredDateTime: row.last_delivered_date_time,
    uniqueSenders: JSON.parse(row.unique_senders) as string[],
    preview: row.preview,
  };
}

export function threadJson(row: GroupThreadTable, select: readonly string[] | null) {
  const recipients = {
    toRecipients: JSON.parse(row.to_recipients) as Recipient[],
    ccRecipients: JSON.parse(row.cc_recipients) as Recipient[],
  };
  return { ...conversationJson(row), isLocked: row.is_locked === 1, ...(select === null ? {} : recipients) };
}

/** A post as Graph writes it, with its Exchange change key as a weak etag (conversationthread-list-posts.md). */
export function postJson(row: GroupPostTable): Record<string, unknown> {
  return {
    '@odata.etag': `W/"${row.change_key}"`,
    id: row.id,
    createdDateTime: row.created_date_time,
    lastModifiedDateTime: row.last_modified_date_time,
    changeKey: row.change_key,
    categories: JSON.parse(row.categories) as string[],
    receivedDateTime: row.received_date_time,
    hasAttachments: false,
    body: { contentType: row.body_content_type, content: row.body_content },
    from: JSON.parse(row.from_recipient) as Recipient,
    sender: JSON.parse(row.sender_recipient) as Recipient,
    conversationId: row.conversation_id,
    conversationThreadId: row.thread_id,
    newParticipants: JSON.parse(row.new_participants) as Recipient[],
  };
}
