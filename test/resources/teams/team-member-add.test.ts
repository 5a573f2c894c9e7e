import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';
import { architectureTeamId, guestId, meganId, member, membershipIdOf, pattiId, reset, teamState } from './teams.fixtures.ts';

const members = `/v1.0/teams/${architectureTeamId}/members`;

for (const dialect of testDialects()) {
  describe(`team-member-add and team-member-delete on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    beforeEach(() => reset(server));
    after(() => server.close());

    const roleOf = async (userId: string) =>
      (
        await server.store.db
          .selectFrom('group_members')
          .select('role')
          .where('group_id', '=', architectureTeamId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
      )?.role;

    it('201 adds an owner by id (example 1) and the member body comes back', async () => {
      const response = await server.request('POST', members, { body: member(pattiId, ['owner']) });
      assertStatus(response, 201);
      assert.equal(
        response.body['@odata.context'],
        `${server.url}/v1.0/$metadata#teams('${architectureTeamId}')/members/microsoft.graph.aadUserConversationMember/$entity`,
      );
      assert.equal(response.body.id, membershipIdOf(architectureTeamId, pattiId));
      assert.deepEqual(response.body.roles, ['owner']);
      assert.equal(response.body.userId, pattiId);
      assert.equal(await roleOf(pattiId), 'owner');
    });

    it('201 adds a member by userPrincipalName (example 2) as an application', async () => {
      const body = { ...member('x', []), 'user@odata.bind': "https://graph.microsoft.com/v1.0/users('PattiF@contoso.com')" };
      const response = await server.request('POST', members, { body, headers: bearer(await appToken(server)) });
      assertStatus(response, 201);
      assert.deepEqual(response.body.roles, []);
      assert.equal(await roleOf(pattiId), 'member');
      const joined = await server.request('GET', `/v1.0/users/${pattiId}/joinedTeams`, { headers: bearer(await appToken(server)) });
      assert.ok(joined.body.value.some((team: { id: string }) => team.id === architectureTeamId));
    });

    it('201 while the team is archived: Graph keeps membership changes open (team-archive.md)', async () => {
      await server.store.db.updateTable('teams').set({ is_archived: 1 }).where('id', '=', architectureTeamId).execute();
      assertStatus(await server.request('POST', members, { body: member(pattiId, []) }), 201);
    });

    const invalid: [string, object, number, string][] = [
      ['a user already in the team', member(meganId, []), 409, 'Conflict'],
      ['a role other than owner', member(pattiId, ['admin']), 400, 'BadRequest'],
      ['a guest as owner', member(guestId, ['owner']), 400, 'BadRequest'],
      ['no user@odata.bind', { roles: [] }, 400, 'BadRequest'],
      ['a user who does not exist', member('00000000-0000-0000-0000-000000000001', []), 404, 'Request_ResourceNotFound'],
    ];
    for (const [title, body, status, code] of invalid) {
      it(`${status} for ${title}, with nothing written`, async () => {
        const before = await teamState(server);
        assertGraphError(await server.request('POST', members, { body }), status, code);
        assert.deepEqual(await teamState(server), before);
      });
    }

    it('403 when a member who is not an owner adds someone', async () => {
      const before = await teamState(server);
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(await server.request('POST', members, { body: member(pattiId, []), headers: bearer(megan) }), 403, 'Forbidden');
      assert.deepEqual(await teamState(server), before);
    });

    it('204 removes a member; 404 once gone; 400 for the last owner', async () => {
      const meganMember = `${members}/${encodeURIComponent(membershipIdOf(architectureTeamId, meganId))}`;
      assertStatus(await server.request('DELETE', meganMember), 204);
      assert.equal(await roleOf(meganId), undefined);
      assertGraphError(await server.request('DELETE', meganMember), 404, 'NotFound');
      const lee = `${members}/${encodeURIComponent(membershipIdOf(architectureTeamId, '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca'))}`;
      assertStatus(await server.request('DELETE', lee), 204);
      const before = await teamState(server);
      const adele = `${members}/${encodeURIComponent(membershipIdOf(architectureTeamId, '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f'))}`;
      assertGraphError(await server.request('DELETE', adele), 400, 'BadRequest', /last owner/);
      assert.deepEqual(await teamState(server), before);
    });
  });
}
