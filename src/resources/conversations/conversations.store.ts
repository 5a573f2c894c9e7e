import type { ListQuery } from '../../query/list-query.ts';
import { type ListColumns, type ScalarColumn, listPage } from '../../store/list-query.ts';
import type { GroupConversationTable, GroupPostTable, GroupThreadTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf } from '../../store/columns.ts';

const conversationSummaryColumns: Readonly<Record<string, ScalarColumn>> = {
  id: { type: 'string', column: 'id' },
  topic: { type: 'string', column: 'topic' },
  hasAttachments: { type: 'boolean', column: 'has_attachments' },
  lastDeliveredDateTime: { type: 'dateTime', column: 'last_delivered_date_time' },
  preview: { type: 'string', column: 'preview' },
};

/** The conversation properties $filter and $orderby reach (group-list-conversations.md). */
export const conversationColumns: ListColumns = conversationSummaryColumns;
/** The conversationThread properties $filter and $orderby reach (group-list-threads.md). */
export const threadColumns: ListColumns = { ...conversationSummaryColumns, isLocked: { type: 'boolean', column: 'is_locked' } };
/** The post properties $filter and $orderby reach (conversationthread-list-posts.md). */
export const postColumns: ListColumns = {
  id: { type: 'string', column: 'id' },
  createdDateTime: { type: 'dateTime', column: 'created_date_time' },
  lastModifiedDateTime: { type: 'dateTime', column: 'last_modified_date_time' },
  receivedDateTime: { type: 'dateTime', column: 'received_date_time' },
};

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
  return h
    .selectFrom('group_conversations')
    .select(allOf('group_conversations'))
    .where('group_id', '=', groupId)
    .where('id', '=', conversationId)
    .executeTakeFirst();
}

export function findThread(h: Handle, groupId: string, threadId: string) {
  return h.selectFrom('group_threads').select(allOf('group_threads')).where('group_id', '=', groupId).where('id', '=', threadId).executeTakeFirst();
}

export function findPost(h: Handle, threadId: string, postId: string) {
  return h.selectFrom('group_posts').select(allOf('group_posts')).where('thread_id', '=', threadId).where('id', '=', postId).executeTakeFirst();
}

export function findPostsByIds(h: Handle, postIds: readonly string[]) {
  if (postIds.length === 0) return Promise.resolve([]);
  return h.selectFrom('group_posts').select(allOf('group_posts')).where('id', 'in', postIds).execute();
}

export function listConversations(h: Handle, groupId: string, list: ListQuery) {
  return listPage(h.selectFrom('group_conversations').select(allOf('group_conversations')).where('group_id', '=', groupId), conversationColumns, list);
}

/** A group's threads, or one conversation's. */
export function listThreads(h: Handle, groupId: string, conversationId: string | null, list: ListQuery) {
  let query = h.selectFrom('group_threads').select(allOf('group_threads')).where('group_id', '=', groupId);
  if (conversationId !== null) query = query.where('conversation_id', '=', conversationId);
  return listPage(query, threadColumns, list);
}

export function listPosts(h: Handle, threadId: string, list: ListQuery) {
  return listPage(h.selectFrom('group_posts').select(allOf('group_posts')).where('thread_id', '=', threadId), postColumns, list);
}

export function findLatestPost(h: Handle, threadId: string) {
  return h
    .selectFrom('group_posts')
    .select(allOf('group_posts'))
    .where('thread_id', '=', threadId)
    .orderBy('created_date_time', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function threadsOfConversation(h: Handle, conversationId: string) {
  return h.selectFrom('group_threads').select(allOf('group_threads')).where('conversation_id', '=', conversationId).execute();
}

export function postsOfConversation(h: Handle, conversationId: string) {
  return h
    .selectFrom('group_posts')
    .select(allOf('group_posts'))
    .where('conversation_id', '=', conversationId)
    .orderBy('created_date_time')
    .orderBy('id')
    .execute();
}

type Summary = Pick<GroupConversationTable, 'has_attachments' | 'last_delivered_date_time' | 'preview' | 'unique_senders'>;

export function updateConversationSummary(h: Handle, conversationId: string, summary: Summary) {
  return h.updateTable('group_conversations').set(summary).where('id', '=', conversationId).execute();
}

export function updateThread(h: Handle, threadId: string, changes: Partial<Omit<GroupThreadTable, 'id' | 'conversation_id' | 'group_id'>>) {
  return h.updateTable('group_threads').set(changes).where('id', '=', threadId).execute();
}

/** Removes the thread; its foreign key removes its posts with it. */
export async function deleteThread(h: Handle, threadId: string): Promise<void> {
  await h.deleteFrom('group_threads').where('id', '=', threadId).execute();
}

/** Removes the conversation; foreign keys remove its threads, and their posts, with it. */
export async function deleteConversation(h: Handle, conversationId: string): Promise<void> {
  await h.deleteFrom('group_conversations').where('id', '=', conversationId).execute();
}
