import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { channels, generalChannelId, leadership, leadershipChannelId, leeId, memberRows, resetToLeeInLeadership } from './channels.fixtures.ts';

// channel-member-delete (channel-delete-members.md) on the Leadership private channel: Adele owns it, Lee is a member.

for (const dialect of testDialects()) {
  describe(`channel-member-delete on ${dialect}`, () => {
    let server: TestServer;
    let leeMember: string;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      leeMember = await resetToLeeInLeadership(server);
    });

    it('204 removes the member: the roster no longer lists them and their membership is 404', async () => {
      assertStatus(await server.request('DELETE', leeMember), 204);
      const list = await server.request('GET', `${leadership}/members`);
      assertStatus(list, 200);
      assert.equal(
        list.body.value.some((m: { userId: string }) => m.userId === leeId),
        false,
      );
      assert.ok(list.body.value.length > 0, 'the owner stays');
      assertGraphError(await server.request('GET', leeMember), 404, 'NotFound');
      assertGraphError(await server.request('DELETE', leeMember), 404, 'NotFound');
    });

    it('403 for a member of the channel who is not an owner, 404 for a team member outside it, nothing removed', async () => {
      const before = await memberRows(server, leadershipChannelId);
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertGraphError(await server.request('DELETE', leeMember, { headers: bearer(lee) }), 403, 'Forbidden');
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(await server.request('DELETE', leeMember, { headers: bearer(megan) }), 404, 'NotFound');
      assert.deepEqual(await memberRows(server, leadershipChannelId), before);
    });

    it('400 on a standard channel, whose members are its team, and 404 for an unknown membership, nothing removed', async () => {
      const before = await memberRows(server, leadershipChannelId);
      const generalMember = `${channels}/${generalChannelId}/members/${encodeURIComponent(leeMember.split('/').pop() as string)}`;
      assertGraphError(await server.request('DELETE', generalMember), 400, 'BadRequest');
      assertGraphError(await server.request('DELETE', `${leadership}/members/bm90LWEtbWVtYmVy`), 404, 'NotFound');
      assert.deepEqual(await memberRows(server, leadershipChannelId), before);
    });
  });
}
