import { randomBytes } from 'node:crypto';
import type { GroupPostTable, GroupThreadTable, UserTable } from '../../store/schema.ts';
import { GraphError, badRequest } from '../../wire/errors.ts';
import type { GroupView } from '../groups/groups.service.ts';
import { newPostId } from './conversations.ids.ts';
import type { PostInput, Recipient } from './conversations.schemas.ts';

// How a post is made and how its thread and conversation summarise their posts. Posts are created
// only through create conversation, create thread, reply thread and reply post (post resource).

const previewLengthMax = 255;
const emailAddressPattern = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

const invalidRecipient = (address: string) =>
  new GraphError(
    'ErrorInvalidRecipients',
    `At least one recipient isn't valid., Recipient '${address}' isn't resolved. All recipients must be resolved before a message can be submitted.`,
  );

/** Refuses, before anything is written, what Exchange would not deliver. */
export function assertPostInput(input: PostInput): void {
  if (input.body.content.trim() === '') throw badRequest('The post body content cannot be empty.');
  for (const recipient of input.newParticipants ?? []) assertRecipient(recipient);
}

export function assertRecipient(recipient: Recipient): void {
  if (!emailAddressPattern.test(recipient.emailAddress.address)) throw invalidRecipient(recipient.emailAddress.address);
}

/** The sender: the signed-in user, or the group itself when an app posts on its own. */
export function authorOf(user: UserTable | null, group: GroupView): Recipient {
  if (user === null) return { emailAddress: { name: group.row.display_name, address: group.row.mail ?? '' } };
  return { emailAddress: { name: user.display_name, address: user.mail ?? user.user_principal_name } };
}

export function groupRecipient(group: GroupView): Recipient {
  return { emailAddress: { name: group.row.display_name, address: group.row.mail ?? '' } };
}

/** A post time later than every earlier post of the thread, so that order by time is order of writing. */
export function postInstant(thread: Pick<GroupThreadTable, 'last_delivered_date_time'>): string {
  const now = Date.now();
  const latest = Date.parse(thread.last_delivered_date_time);
  return new Date(Math.max(now, latest + 1)).toISOString();
}

export interface PostPlace {
  readonly groupId: string;
  readonly conversationId: string;
  readonly threadId: string;
  readonly inReplyToId: string | null;
}

export function newPostRow(place: PostPlace, input: PostInput, author: Recipient, at: string): GroupPostTable {
  const isHtml = input.body.contentType?.toLowerCase() === 'html';
  return {
    id: newPostId(place.groupId),
    thread_id: place.threadId,
    conversation_id: place.conversationId,
    group_id: place.groupId,
    in_reply_to_id: place.inReplyToId,
    body_content_type: isHtml ? 'html' : 'text',
    body_content: input.body.content,
    from_recipient: JSON.stringify(author),
    sender_recipient: JSON.stringify(author),
    new_participants: JSON.stringify((input.newParticipants ?? []).map(plainRecipient)),
    categories: '[]',
    change_key: newChangeKey(),
    created_date_time: at,
    last_modified_date_time: at,
    received_date_time: at,
  };
}

function newChangeKey(): string {
  return randomBytes(21).toString('base64');
}

function plainRecipient(recipient: Recipient): Recipient {
  const { name, address } = recipient.emailAddress;
  return { emailAddress: { name: name ?? address, address } };
}

/** The thread's recipients after a post: earlier ones first, new participants added once each. */
export function withParticipants(current: readonly Recipient[], added: readonly Recipient[] | undefined): Recipient[] {
  const merged = [...current];
  for (const recipient of (added ?? []).map(plainRecipient)) {
    const address = recipient.emailAddress.address.toLowerCase();
    if (!merged.some((known) => known.emailAddress.address.toLowerCase() === address)) merged.push(recipient);
  }
  return merged;
}

/** A short summary of a post: its text with markup removed and white space collapsed (conversation resource). */
function previewOf(post: Pick<GroupPostTable, 'body_content' | 'body_content_type'>): string {
  const text = post.body_content_type === 'html' ? htmlText(post.body_content) : post.body_content;
  return text.replace(/\s+/g, ' ').trim().slice(0, previewLengthMax);
}

function htmlText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_match, name: string) => entities[name] ?? '');
}

/** What a thread or conversation shows of its posts (oldest first): newest preview, senders in order. */
export function summaryOf(posts: readonly GroupPostTable[]) {
  const latest = posts.at(-1);
  if (latest === undefined) return null;
  const senders = [...new Set(posts.map((post) => (JSON.parse(post.from_recipient) as Recipient).emailAddress.name ?? ''))];
  return {
    has_attachments: 0 as const,
    last_delivered_date_time: latest.received_date_time,
    preview: previewOf(latest),
    unique_senders: JSON.stringify(senders),
  };
}
