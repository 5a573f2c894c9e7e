import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { channels, generalChannelId, leadership, leadershipChannelId, leeId, memberRows, resetToLeeInLeadership } from './channels.fixtures.ts';

// channel-member-update (conversationmember-update.md) on the Leadership private channel: Adele owns it, Lee is a member.
const roles = (value: string[]) => ({ '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: value });

for (const dialect of testDialects()) {
  describe(`channel-member-update on ${dialect}`, () => {
    let server: TestServer;
    let leeMember: string;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      leeMember = await resetToLeeInLeadership(server);
    });

    it('200 makes a member an owner and back, each change read back by GET', async () => {
      const promoted = await server.request('PATCH', leeMember, { body: roles(['owner']) });
      assertStatus(promoted, 200);
      assert.deepEqual(promoted.body.roles, ['owner']);
      const read = await server.request('GET', leeMember);
      assertStatus(read, 200);
      assert.deepEqual(read.body.roles, ['owner']);
      assert.equal(read.body.userId, leeId);
      assertStatus(await server.request('PATCH', leeMember, { body: roles([]) }), 200);
      assert.deepEqual((await server.request('GET', leeMember)).body.roles, []);
    });

    it('200 for a member the owner promoted, who may then change the roster', async () => {
      assertStatus(await server.request('PATCH', leeMember, { body: roles(['owner']) }), 200);
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertStatus(await server.request('PATCH', leeMember, { body: roles([]), headers: bearer(lee) }), 200);
      assert.deepEqual((await server.request('GET', leeMember)).body.roles, []);
    });

    it('403 for a member of the channel who is not an owner, 404 for a team member outside it, nothing written', async () => {
      const before = await memberRows(server, leadershipChannelId);
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertGraphError(await server.request('PATCH', leeMember, { body: roles(['owner']), headers: bearer(lee) }), 403, 'Forbidden');
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(await server.request('PATCH', leeMember, { body: roles(['owner']), headers: bearer(megan) }), 404, 'NotFound');
      assert.deepEqual(await memberRows(server, leadershipChannelId), before);
    });

    it('400 for a role that does not exist or a standard channel, 404 for an unknown membership', async () => {
      const before = await memberRows(server, leadershipChannelId);
      assertGraphError(await server.request('PATCH', leeMember, { body: roles(['admin']) }), 400, 'BadRequest');
      const generalMember = `${channels}/${generalChannelId}/members/${encodeURIComponent(leeMember.split('/').pop() as string)}`;
      assertGraphError(await server.request('PATCH', generalMember, { body: roles(['owner']) }), 400, 'BadRequest');
      assertGraphError(await server.request('PATCH', `${leadership}/members/bm90LWEtbWVtYmVy`, { body: roles(['owner']) }), 404, 'NotFound');
      assert.deepEqual(await memberRows(server, leadershipChannelId), before);
    });
  });
}
