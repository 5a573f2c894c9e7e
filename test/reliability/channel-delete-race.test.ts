import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type Pair, assertCreatedOrNotFound, created, newOrphans, orphanMessages, raceWithPosts, startPair, storedMessageIds } from '../helpers/races.ts';
import { assertStatus } from '../helpers/server.ts';

// The demo tenant's Architecture team, which the default user owns.
const teamId = '57fb72d0-d811-46f4-8947-305e6072eaa5';
const rounds = 8;

for (const dialect of testDialects()) {
  describe(`channel delete racing posts and replies, two processes on ${dialect}`, () => {
    let pair: Pair;
    before(async () => {
      pair = await startPair(dialect);
    });
    after(() => pair.close());

    it('201 posts and replies go with the deleted channel and the others are 404: nothing orphaned', async (t) => {
      const [first, second] = pair.servers;
      const totals = { orphans: 0, kept: 0, createdWhileRacing: 0 };
      for (let round = 1; round <= rounds; round++) {
        const orphansBefore = await orphanMessages(pair.store);
        const channel = await first.request('POST', `/v1.0/teams/${teamId}/channels`, { body: { displayName: `Race ${round}`, membershipType: 'standard' } });
        assertStatus(channel, 201);
        const channelId = channel.body.id as string;
        const messages = `/v1.0/teams/${teamId}/channels/${channelId}/messages`;
        const root = await first.request('POST', messages, { body: { body: { content: 'the root' } } });
        assertStatus(root, 201);
        const { posted, raced } = await raceWithPosts(pair.servers, {
          posters: 8,
          startAfter: 8,
          // Half the posters post messages, half reply to the root.
          post: async (server, poster) => ({
            containerId: channelId,
            response: await server.request('POST', poster % 2 === 0 ? messages : `${messages}/${root.body.id as string}/replies`, {
              body: { body: { content: `round ${round}, poster ${poster}` } },
            }),
          }),
          race: () => second.request('DELETE', `/v1.0/teams/${teamId}/channels/${channelId}`),
        });
        assertStatus(raced, 204);
        assertCreatedOrNotFound(posted);
        const orphans = newOrphans(orphansBefore, await orphanMessages(pair.store));
        const stored = await storedMessageIds(pair.store, channelId);
        const posts = created(posted, channelId);
        const kept = posts.filter(({ id }) => stored.has(id)).length;
        const createdWhileRacing = posts.filter(({ isBeforeRace }) => !isBeforeRace).length;
        t.diagnostic(
          `round ${round}: ${posts.length} posts 201 (${createdWhileRacing} answered after the delete was sent), ${posted.length - posts.length} 404; orphans ${orphans.channel} (of them replies, now without their root too, ${orphans.reply}); 201 posts still stored ${kept}`,
        );
        totals.orphans += orphans.chat + orphans.channel;
        totals.kept += kept;
        totals.createdWhileRacing += createdWhileRacing;
      }
      const orphans = await orphanMessages(pair.store);
      t.diagnostic(
        `${rounds} rounds: ${totals.orphans} orphans (in the database now: ${orphans.channel} channel messages without their channel, ${orphans.reply} replies without their root), ${totals.kept} posts answered 201 kept after the delete`,
      );
      assert.ok(totals.createdWhileRacing > 0, 'no post was answered 201 while a delete was under way: nothing raced');
      assert.deepEqual({ ...orphans, kept: totals.kept }, { chat: 0, channel: 0, reply: 0, kept: 0 });
    });
  });
}
