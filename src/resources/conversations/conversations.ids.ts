import { randomBytes } from 'node:crypto';

// Group conversation ids are Exchange ids, opaque base64 to clients (graph-surface 1.11, decoded from
// conversation-get.md and the group-post-conversations example):
//   conversation: 00 04 24 00 | mailbox GUID as 36 ASCII chars | 00 10 00 | 16-byte conversation key
//   thread:       00 04 24 00 | mailbox GUID | 03 24 00 10 00 | conversation key | 10 00 | thread key
// The first thread of a conversation reuses the conversation key, as the example does. The group id
// stands in for the mailbox GUID, so an id names its group and a thread id names its conversation.
// Exchange writes `/` as `_` and `+` as `-` so that ids sit in URL paths.

const prefix = Buffer.from([0x00, 0x04, 0x24, 0x00]);
const conversationMarker = Buffer.from([0x00, 0x10, 0x00]);
const threadMarker = Buffer.from([0x03, 0x24, 0x00, 0x10, 0x00]);
const threadKeyMarker = Buffer.from([0x10, 0x00]);
const postPrefix = Buffer.from([0x01, 0x03, 0x24, 0x00]);
const postMarker = Buffer.from([0x00, 0x46, 0x00, 0x00]);
const keyBytes = 16;
const guidChars = 36;

function encode(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\//g, '_').replace(/\+/g, '-');
}

function decode(id: string): Buffer | null {
  if (!/^[A-Za-z0-9_+/-]+={0,2}$/.test(id)) return null;
  return Buffer.from(id.replace(/_/g, '/').replace(/-/g, '+'), 'base64');
}

export function newKey(): Buffer {
  return randomBytes(keyBytes);
}

export function conversationIdOf(groupId: string, conversationKey: Buffer): string {
  return encode(Buffer.concat([prefix, Buffer.from(groupId, 'ascii'), conversationMarker, conversationKey]));
}

export function threadIdOf(groupId: string, conversationKey: Buffer, threadKey: Buffer): string {
  return encode(Buffer.concat([prefix, Buffer.from(groupId, 'ascii'), threadMarker, conversationKey, threadKeyMarker, threadKey]));
}

export function newPostId(groupId: string): string {
  return encode(Buffer.concat([postPrefix, Buffer.from(groupId, 'ascii'), postMarker, newKey()]));
}

/** The conversation key inside a conversation id, or null when the id is not one. */
export function parseConversationId(id: string): { groupId: string; conversationKey: Buffer } | null {
  const bytes = decode(id);
  const head = prefix.length + guidChars;
  if (bytes?.length !== head + conversationMarker.length + keyBytes || !bytes.subarray(0, prefix.length).equals(prefix)) return null;
  if (!bytes.subarray(head, head + conversationMarker.length).equals(conversationMarker)) return null;
  return { groupId: bytes.subarray(prefix.length, head).toString('ascii'), conversationKey: bytes.subarray(head + conversationMarker.length) };
}

/** The group and conversation a thread id belongs to, or null when the id is not a thread id. */
export function parseThreadId(id: string): { groupId: string; conversationId: string } | null {
  const bytes = decode(id);
  const head = prefix.length + guidChars;
  const keyAt = head + threadMarker.length;
  if (bytes?.length !== keyAt + keyBytes + threadKeyMarker.length + keyBytes || !bytes.subarray(0, prefix.length).equals(prefix)) return null;
  if (!bytes.subarray(head, keyAt).equals(threadMarker)) return null;
  const groupId = bytes.subarray(prefix.length, head).toString('ascii');
  return { groupId, conversationId: conversationIdOf(groupId, bytes.subarray(keyAt, keyAt + keyBytes)) };
}

/** Posts ids are only looked up, never taken apart; this tells a malformed one from an unknown one. */
export function isPostIdShaped(id: string): boolean {
  const bytes = decode(id);
  return (
    bytes !== null && bytes.length === postPrefix.length + guidChars + postMarker.length + keyBytes && bytes.subarray(0, postPrefix.length).equals(postPrefix)
  );
}
