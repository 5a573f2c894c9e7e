import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type Pair, assertCreatedOrNotFound, created, newOrphans, orphanMessages, raceWithPosts, startPair, storedMessageIds } from '../helpers/races.ts';
import { assertStatus } from '../helpers/server.ts';

const adele = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
const lee = '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca';
// A oneOnOne chat's id is fixed by its two members: every round deletes, and makes again, the same chat.
const chatId = `19:${adele}_${lee}@unq.gbl.spaces`;
const member = (userId: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
});
const oneOnOne = { chatType: 'oneOnOne', members: [member(adele), member(lee)] };
const rounds = 8;

for (const dialect of testDialects()) {
  describe(`chat delete racing posts, two processes on ${dialect}`, () => {
    let pair: Pair;
    before(async () => {
      pair = await startPair(dialect);
    });
    after(() => pair.close());

    it('201 posts go with the deleted chat and the others are 404: nothing orphaned, nothing shown in the chat made again', async (t) => {
      const [first, second] = pair.servers;
      const totals = { orphans: 0, kept: 0, resurrected: 0, createdWhileRacing: 0 };
      for (let round = 1; round <= rounds; round++) {
        const orphansBefore = await orphanMessages(pair.store);
        assertStatus(await first.request('POST', '/v1.0/chats', { body: oneOnOne }), 201);
        const { posted, raced } = await raceWithPosts(pair.servers, {
          posters: 8,
          startAfter: 8,
          post: async (server, poster) => ({
            containerId: chatId,
            response: await server.request('POST', `/v1.0/chats/${chatId}/messages`, { body: { body: { content: `round ${round}, poster ${poster}` } } }),
          }),
          race: () => second.request('DELETE', `/v1.0/chats/${chatId}`),
        });
        assertStatus(raced, 204);
        assertCreatedOrNotFound(posted);
        const orphans = newOrphans(orphansBefore, await orphanMessages(pair.store));
        const stored = await storedMessageIds(pair.store, chatId);
        const posts = created(posted, chatId);
        const kept = posts.filter(({ id }) => stored.has(id)).length;
        // The same two members make the same chat again: what was deleted must not show.
        assertStatus(await first.request('POST', '/v1.0/chats', { body: oneOnOne }), 201);
        const listed = await first.request('GET', `/v1.0/chats/${chatId}/messages?$top=50`);
        assertStatus(listed, 200);
        const resurrected = (listed.body.value as unknown[]).length;
        const createdWhileRacing = posts.filter(({ isBeforeRace }) => !isBeforeRace).length;
        t.diagnostic(
          `round ${round}: ${posts.length} posts 201 (${createdWhileRacing} answered after the delete was sent), ${posted.length - posts.length} 404; orphans ${orphans.chat}; 201 posts still stored ${kept}; shown again ${resurrected}`,
        );
        totals.orphans += orphans.chat + orphans.channel;
        totals.kept += kept;
        totals.resurrected += resurrected;
        totals.createdWhileRacing += createdWhileRacing;
      }
      t.diagnostic(`${rounds} rounds: ${totals.orphans} orphans, ${totals.kept} posts answered 201 kept after the delete, ${totals.resurrected} shown again`);
      assert.ok(totals.createdWhileRacing > 0, 'no post was answered 201 while a delete was under way: nothing raced');
      assert.deepEqual({ orphans: totals.orphans, kept: totals.kept, resurrected: totals.resurrected }, { orphans: 0, kept: 0, resurrected: 0 });
      assert.deepEqual(await orphanMessages(pair.store), { chat: 0, channel: 0, reply: 0 });
    });
  });
}
