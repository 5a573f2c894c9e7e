import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`team-get and joined-team-list on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 returns both teams of the channel seed page as Graph teams', async () => {
      for (const teamId of ['57fb72d0-d811-46f4-8947-305e6072eaa5', '7640023f-fe43-4cc7-9bd3-84a9efe4acd6']) {
        const response = await server.request('GET', `/v1.0/teams/${teamId}`);
        assertStatus(response, 200);
        assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#teams/$entity`);
        assert.match(response.body.internalId, /^19:[0-9a-f]{32}@thread\.tacv2$/);
      }
    });

    it('404 NotFound in Graph words for a group that is not a team', async () => {
      assertGraphError(
        await server.request('GET', '/v1.0/teams/29981b6a-0e57-42dc-94c9-cd24f5306196'),
        404,
        'NotFound',
        'No team found with Group Id 29981b6a-0e57-42dc-94c9-cd24f5306196',
      );
    });

    it('200 lists the teams the signed-in user joined, at /me and at /users/{id}', async () => {
      const me = await server.request('GET', '/v1.0/me/joinedTeams');
      assertStatus(me, 200);
      assert.deepEqual(me.body.value.map((team: { displayName: string }) => team.displayName).sort(), ['Architecture', 'Mark 8 Project Team']);
      const byId = await server.request('GET', '/v1.0/users/10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f/joinedTeams');
      assert.deepEqual(byId.body.value, me.body.value);
    });

    it('403 when a delegated caller lists another user joined teams', async () => {
      assertGraphError(await server.request('GET', '/v1.0/users/MeganB@contoso.com/joinedTeams'), 403, 'Forbidden');
    });
  });
}
