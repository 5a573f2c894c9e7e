import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type Pair, assertCreatedOrNotFound, created, orphanMessages, raceWithPosts, startPair, storedMessageIds } from '../helpers/races.ts';
import type { ServerProcess } from '../helpers/processes.ts';
import { assertStatus } from '../helpers/server.ts';

// The demo tenant's Architecture team and its General channel, and a group chat of the default user.
const teamId = '57fb72d0-d811-46f4-8947-305e6072eaa5';
const seededChannelId = '19:0b1f4a6e8c2d4e9fa7b3c5d6e7f80912@thread.tacv2';
const seededChatId = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
const member = (userId: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
});
const groupChat = {
  chatType: 'group',
  members: ['10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f', '8b081ef6-4792-4def-b2c9-c363a1bf41d5', '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca'].map(member),
};
const rounds = 6;

interface Container {
  readonly id: string;
  readonly messages: string;
  /** Whether the seed makes it again, or the reset removes it for good. */
  readonly isSeeded: boolean;
}

for (const dialect of testDialects()) {
  describe(`reset racing posts, two processes on ${dialect}`, () => {
    let pair: Pair;
    before(async () => {
      pair = await startPair(dialect);
    });
    after(() => pair.close());

    it('201 posts are gone with the reset or readable after it, the others are 404: nothing orphaned, nothing posted before it kept', async (t) => {
      const [first, second] = pair.servers;
      const totals = { orphans: 0, kept: 0, resurrected: 0, unreadable: 0, createdWhileRacing: 0 };
      for (let round = 1; round <= rounds; round++) {
        const containers = [
          ...(await madeContainers(first, round)),
          seeded(seededChatId, `/v1.0/chats/${seededChatId}/messages`),
          seeded(seededChannelId, `/v1.0/teams/${teamId}/channels/${seededChannelId}/messages`),
        ];
        const { posted, raced } = await raceWithPosts(pair.servers, {
          posters: 8,
          startAfter: 8,
          post: async (server, poster) => {
            const container = containers[poster % containers.length] as Container;
            return {
              containerId: container.id,
              response: await server.request('POST', container.messages, { body: { body: { content: `round ${round}, poster ${poster}` } } }),
            };
          },
          race: () => second.request('POST', '/_teamgraph/reset'),
        });
        assertStatus(raced, 204);
        assertCreatedOrNotFound(posted);
        // The reset removed every message stored before it: the orphans are this round's.
        const orphans = await orphanMessages(pair.store);
        let kept = 0;
        let resurrected = 0;
        let unreadable = 0;
        let createdWhileRacing = 0;
        for (const container of containers) {
          const stored = await storedMessageIds(pair.store, container.id);
          for (const post of created(posted, container.id)) {
            if (!post.isBeforeRace) createdWhileRacing++;
            if (!stored.has(post.id)) continue;
            // A container the reset removed keeps nothing; one the seed made again never shows what was posted before the reset.
            if (!container.isSeeded) kept++;
            else if (post.isBeforeRace) resurrected++;
            else if ((await first.request('GET', `${container.messages}/${post.id}`)).status !== 200) unreadable++;
          }
        }
        t.diagnostic(
          `round ${round}: ${posted.filter(({ response }) => response.status === 201).length} posts 201 (${createdWhileRacing} answered after the reset was sent), ${posted.filter(({ response }) => response.status !== 201).length} 404; orphans ${orphans.chat} chat messages, ${orphans.channel} channel messages; kept in removed containers ${kept}; posted before the reset and shown after it ${resurrected}; stored but not readable ${unreadable}`,
        );
        totals.orphans += orphans.chat + orphans.channel;
        totals.kept += kept;
        totals.resurrected += resurrected;
        totals.unreadable += unreadable;
        totals.createdWhileRacing += createdWhileRacing;
      }
      t.diagnostic(
        `${rounds} rounds: ${totals.orphans} orphans, ${totals.kept} posts answered 201 kept in removed containers, ${totals.resurrected} shown again, ${totals.unreadable} unreadable`,
      );
      assert.ok(totals.createdWhileRacing > 0, 'no post was answered 201 while a reset was under way: nothing raced');
      assert.deepEqual(
        { orphans: totals.orphans, kept: totals.kept, resurrected: totals.resurrected, unreadable: totals.unreadable },
        { orphans: 0, kept: 0, resurrected: 0, unreadable: 0 },
      );
    });
  });
}

/** A group chat and a channel made by requests: the reset removes them for good. */
async function madeContainers(server: ServerProcess, round: number): Promise<Container[]> {
  const chat = await server.request('POST', '/v1.0/chats', { body: { ...groupChat, topic: `Reset race ${round}` } });
  assertStatus(chat, 201);
  const channel = await server.request('POST', `/v1.0/teams/${teamId}/channels`, { body: { displayName: `Reset race ${round}`, membershipType: 'standard' } });
  assertStatus(channel, 201);
  const chatId = chat.body.id as string;
  const channelId = channel.body.id as string;
  return [
    { id: chatId, messages: `/v1.0/chats/${chatId}/messages`, isSeeded: false },
    { id: channelId, messages: `/v1.0/teams/${teamId}/channels/${channelId}/messages`, isSeeded: false },
  ];
}

function seeded(id: string, messages: string): Container {
  return { id, messages, isSeeded: true };
}
