import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, mintToken, userToken } from '../../helpers/tokens.ts';
import { adeleId, architectureTeamId, guestId, leeId, mark8TeamId, meganId, membershipIdOf } from './teams.fixtures.ts';

const members = `/v1.0/teams/${architectureTeamId}/members`;

for (const dialect of testDialects()) {
  describe(`team-member-list and team-member-get on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 lists the group owners and members: owners ["owner"], guests ["guest"], others []', async () => {
      const response = await server.request('GET', members);
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#teams('${architectureTeamId}')/members`);
      assert.equal(response.body.value.length, 8);
      const byUser = Object.fromEntries(response.body.value.map((m: { userId: string; roles: string[] }) => [m.userId, m.roles]));
      assert.deepEqual(byUser[adeleId], ['owner']);
      assert.deepEqual(byUser[leeId], ['owner']);
      assert.deepEqual(byUser[meganId], []);
      assert.deepEqual(byUser[guestId], ['guest']);
      for (const item of response.body.value) {
        assert.equal(item['@odata.type'], '#microsoft.graph.aadUserConversationMember');
        assert.equal(item.id, membershipIdOf(architectureTeamId, item.userId));
      }
    });

    it('200 gets one member by membership id, with $select', async () => {
      const response = await server.request('GET', `${members}/${encodeURIComponent(membershipIdOf(architectureTeamId, meganId))}`);
      assertStatus(response, 200);
      assert.equal(response.body.displayName, 'Megan Bowen');
      const selected = await server.request('GET', `${members}?$select=displayName,roles`);
      assertStatus(selected, 200);
      assert.deepEqual(Object.keys(selected.body.value[0]).sort(), ['@odata.type', 'displayName', 'id', 'roles']);
    });

    it('200 for a member with TeamMember.Read.All and for an application', async () => {
      const reader = await mintToken(server, { scp: 'TeamMember.Read.All', oid: meganId });
      assertStatus(await server.request('GET', members, { headers: bearer(reader) }), 200);
      assertStatus(await server.request('GET', members, { headers: bearer(await appToken(server)) }), 200);
    });

    it('404 for a membership id of another team or a user not in the team', async () => {
      assertGraphError(await server.request('GET', `${members}/${encodeURIComponent(membershipIdOf(mark8TeamId, meganId))}`), 404, 'NotFound');
      assertGraphError(
        await server.request('GET', `${members}/${encodeURIComponent(membershipIdOf(architectureTeamId, '6d1e1501-7a3d-45b7-b71b-68d372e5ce14'))}`),
        404,
        'NotFound',
      );
    });

    it('403 for a private team the caller is not in, 404 for an unknown team', async () => {
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertGraphError(await server.request('GET', `/v1.0/teams/${mark8TeamId}/members`, { headers: bearer(lee) }), 403, 'Forbidden');
      assertGraphError(await server.request('GET', '/v1.0/teams/00000000-0000-0000-0000-000000000000/members'), 404, 'NotFound');
    });
  });
}
