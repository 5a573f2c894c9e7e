import { sql } from 'kysely';
import type { Handle } from '../../store/transaction.ts';
import type { GroupConversationTable, GroupPostTable, GroupThreadTable } from '../../store/schema.ts';
import type { LatestKey } from './conversations.schemas.ts';


/** Rows past a page's last key, `(time, id)` compared as a row value (SQLite and PostgreSQL both do). */
function keyset(timeColumn: string, direction: '<' | '>', [time, id]: LatestKey) {
  return sql<boolean>`(${sql.ref(timeColumn)}, id) ${sql.raw(direction)} (${time}, ${id})`;
}

export function insertConversation(h: Handle, row: GroupConversationTable) {
  return h.insertInto('group_conversations').values(row).execute();
}

export function insertThread(h: Handle, row: GroupThreadTable) {
  return h.insertInto('group_threads').values(row).execute();
}

export function insertPost(h: Handle, row: GroupPostTable) {
  return h.insertInto('group_posts').values(row).execute();
}

export function findConversation(h: Handle, groupId: string, conversationId: string) {
  return h.selectFrom('group_conversations').selectAll().where('group_id', '=', groupId).where('id', '=', conversationId).executeTakeFirst();
}

export function findThread(h: Handle, groupId: string, threadId: string) {
  return h.selectFrom('group_threads').selectAll().where('group_id', '=', groupId).where('id', '=', threadId).executeTakeFirst();
}

export function findPost(h: Handle, threadId: string, postId: string) {
  return h.selectFrom('group_posts').selectAll().where('thread_id', '=', threadId).where('id', '=', postId).executeTakeFirst();
}

export function findPostsByIds(h: Handle, postIds: readonly string[]) {
  if (postIds.length === 0) return Promise.resolve([]);
  return h.selectFrom('group_posts').selectAll().where('id', 'in', postIds).execute();
}

/** A group's conversations, most recently delivered first. */
export function listConversations(h: Handle, groupId: string, after: LatestKey | null, limit: number) {
  let query = h.selectFrom('group_conversations').selectAll().where('group_id', '=', groupId);
  if (after !== null) query = query.where(keyset('last_delivered_date_time', '<', after));
  return query.orderBy('last_delivered_date_time', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A group's threads (or one conversation's), most recently delivered first. */
export function listThreads(h: Handle, groupId: string, conversationId: string | null, after: LatestKey | null, limit: number) {
  let query = h.selectFrom('group_threads').selectAll().where('group_id', '=', groupId);
  if (conversationId !== null) query = query.where('conversation_id', '=', conversationId);
  if (after !== null) query = query.where(keyset('last_delivered_date_time', '<', after));
  return query.orderBy('last_delivered_date_time', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A thread's posts, oldest first, as a mailbox shows a conversation. */
export function listPosts(h: Handle, threadId: string, after: LatestKey | null, limit: number) {
  let query = h.selectFrom('group_posts').selectAll().where('thread_id', '=', threadId);
  if (after !== null) query = query.where(keyset('created_date_time', '>', after));
  return query.orderBy('created_date_time').orderBy('id').limit(limit).execute();
}

export function findLatestPost(h: Handle, threadId: string) {
  return h.selectFrom('group_posts').selectAll().where('thread_id', '=', threadId).orderBy('created_date_time', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export function threadsOfConversation(h: Handle, conversationId: string) {
  return h.selectFrom('group_threads').selectAll().where('conversation_id', '=', conversationId).execute();
}

export function postsOfConversation(h: Handle, conversationId: string) {
  return h.selectFrom('group_posts').selectAll().where('conversation_id', '=', conversationId).orderBy('created_date_time').orderBy('id').execute();
}

type Summary = Pick<GroupConversationTable, 'has_attachments' | 'last_delivered_date_time' | 'preview' | 'unique_senders'>;

export function updateConversationSummary(h: Handle, conversationId: string, summary: Summary) {
  return h.updateTable('group_conversations').set(summary).where('id', '=', conversationId).execute();
}

export function updateThread(h: Handle, threadId: string, changes: Partial<Omit<GroupThreadTable, 'id' | 'conversation_id' | 'group_id'>>) {
  return h.updateTable('group_threads').set(changes).where('id', '=', threadId).execute();
}

export async function deleteThread(h: Handle, threadId: string): Promise<void> {
  await h.deleteFrom('group_posts').where('thread_id', '=', threadId).execute();
  await h.deleteFrom('group_threads').where('id', '=', threadId).execute();
}

export async function deleteConversation(h: Handle, conversationId: string): Promise<void> {
  await h.deleteFrom('group_posts').where('conversation_id', '=', conversationId).execute();
  await h.deleteFrom('group_threads').where('conversation_id', '=', conversationId).execute();
  await h.deleteFrom('group_conversations').where('id', '=', conversationId).execute();
}
