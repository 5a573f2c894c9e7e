import assert from 'node:assert/strict';
import type { TestServer } from './server.ts';
import { rowCount } from './stores.ts';

// Ids of the demo tenant the conversation tests use.
export const allCompanyId = '29981b6a-0e57-42dc-94c9-cd24f5306196'; // public Microsoft 365 group, Adele owns it
export const salesId = '4d81ce71-486c-41e9-afc5-e41bf2d0722a'; // private Microsoft 365 group, Adele a member
export const itAdminsId = '0b7f5c1a-2e3d-4f60-9a1b-6c7d8e9f0a1b'; // security group: no mailbox
export const architectureId = '57fb72d0-d811-46f4-8947-305e6072eaa5'; // a team Adele joined

/** The request body of the group-post-conversations example (seed 004), verbatim. */
export const seed004Body = {
  topic: 'Take your wellness days and rest',
  threads: [
    {
      posts: [
        {
          body: { contentType: 'html', content: 'Contoso cares about you: Rest and Recharge' },
          newParticipants: [{ emailAddress: { name: 'Adele Vance', address: 'AdeleV@contoso.com' } }],
        },
      ],
    },
  ],
};

export function conversationBody(topic: string, content: string, contentType = 'text') {
  return { topic, threads: [{ posts: [{ body: { contentType, content } }] }] };
}

/** Creates a conversation through the API and returns its id and its first thread's id. */
export async function createConversation(
  server: TestServer,
  groupId: string,
  topic = 'Quarterly results',
  content = 'Numbers are in.',
  headers: Record<string, string> = {},
) {
  const response = await server.request('POST', `/v1.0/groups/${groupId}/conversations`, { body: conversationBody(topic, content), headers });
  assert.equal(response.status, 201, response.text);
  return { conversationId: response.body.id as string, threadId: response.body.threads[0].id as string };
}

/** Rows of the family's tables: a failed request must leave these unchanged. */
export async function conversationRowCounts(server: TestServer) {
  const count = (table: 'group_conversations' | 'group_threads' | 'group_posts') => rowCount(server.store.db, table);
  return { conversations: await count('group_conversations'), threads: await count('group_threads'), posts: await count('group_posts') };
}

export function threadPath(groupId: string, threadId: string, conversationId?: string): string {
  return conversationId === undefined
    ? `/v1.0/groups/${groupId}/threads/${threadId}`
    : `/v1.0/groups/${groupId}/conversations/${conversationId}/threads/${threadId}`;
}
