import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';
import { architectureTeamId, awaitOperation, reset, teamState } from './teams.fixtures.ts';

const team = `/v1.0/teams/${architectureTeamId}`;

for (const dialect of testDialects()) {
  describe(`team-archive and team-unarchive on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--operation-delay-ms', '20']);
    });
    beforeEach(() => reset(server));
    after(() => server.close());

    async function accepted(path: string, operationType: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
      const response = await server.request('POST', path, options);
      assertStatus(response, 202);
      assert.equal(response.text, '');
      assert.equal(response.headers.get('content-length'), '0');
      const location = response.headers.get('location') ?? '';
      assert.match(location, new RegExp(`^/teams\\('${architectureTeamId}'\\)/operations\\('[0-9a-f-]{36}'\\)$`));
      const operation = await awaitOperation(server, location);
      assert.equal(operation.body.status, 'succeeded');
      assert.equal(operation.body.operationType, operationType);
      assert.equal(operation.body.targetResourceId, architectureTeamId);
    }

    const isArchived = async () => (await server.request('GET', team)).body.isArchived as boolean;

    it('202 archives when the operation succeeds; the team then refuses writes; 202 unarchive opens it again', async () => {
      await accepted(`${team}/archive`, 'archiveTeam');
      assert.equal(await isArchived(), true);
      assertStatus(await server.request('GET', team), 200);
      const before = await teamState(server);
      assertGraphError(await server.request('PATCH', team, { body: { description: 'x' } }), 403, 'Forbidden', /archived/);
      assertGraphError(await server.request('POST', `${team}/channels`, { body: { displayName: 'Later' } }), 403, 'Forbidden', /archived/);
      assert.deepEqual(await teamState(server), before);
      await accepted(`${team}/unarchive`, 'unarchiveTeam');
      assert.equal(await isArchived(), false);
      assertStatus(await server.request('POST', `${team}/channels`, { body: { displayName: 'Later' } }), 201);
    });

    it('202 with the optional shouldSetSpoSiteReadOnlyForMembers body, and for an application', async () => {
      await accepted(`${team}/archive`, 'archiveTeam', { body: { shouldSetSpoSiteReadOnlyForMembers: true } });
      await accepted(`${team}/unarchive`, 'unarchiveTeam', { headers: bearer(await appToken(server)) });
      assert.equal(await isArchived(), false);
    });

    it('403 for a member who is not an owner, with no operation recorded', async () => {
      const before = await teamState(server);
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(await server.request('POST', `${team}/archive`, { headers: bearer(megan) }), 403, 'Forbidden');
      assert.deepEqual(await teamState(server), before);
    });

    it('400 for a team without an owner, 404 for an unknown team, with nothing written', async () => {
      await server.store.db.updateTable('group_members').set({ role: 'member' }).where('group_id', '=', architectureTeamId).execute();
      const before = await teamState(server);
      assertGraphError(await server.request('POST', `${team}/archive`), 400, 'BadRequest', /no owner/);
      assertGraphError(await server.request('POST', '/v1.0/teams/00000000-0000-0000-0000-000000000000/archive'), 404, 'NotFound');
      assert.deepEqual(await teamState(server), before);
    });
  });
}
