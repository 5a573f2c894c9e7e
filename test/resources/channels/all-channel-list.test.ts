import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer } from '../../helpers/tokens.ts';
import { architectureTeamId, awaitOperation, channels, diegoId, mark8TeamId, member } from './channels.fixtures.ts';

const prefer = { prefer: 'include-unknown-enum-members' };

for (const dialect of testDialects()) {
  describe(`all-channel-list and incoming-channel-list on ${dialect}`, () => {
    let server: TestServer;
    let sharedId: string;
    before(async () => {
      server = await startTestServer(dialect, ['--operation-delay-ms', '20']);
      const response = await server.request('POST', channels, {
        body: { displayName: 'Joint', membershipType: 'shared', members: [member(diegoId)], sharedWithTeams: [{ id: mark8TeamId }] },
      });
      assertStatus(response, 202);
      sharedId = (await awaitOperation(server, response.headers.get('content-location') ?? '')).body.targetResourceId as string;
    });
    after(() => server.close());

    it('200 incomingChannels lists the channels other teams share with the team', async () => {
      const response = await server.request('GET', `/v1.0/teams/${mark8TeamId}/incomingChannels`, { headers: prefer });
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#teams('${mark8TeamId}')/incomingChannels`);
      assert.deepEqual(
        response.body.value.map((c: { id: string; membershipType: string }) => [c.id, c.membershipType]),
        [[sharedId, 'shared']],
      );
      const host = await server.request('GET', `/v1.0/teams/${architectureTeamId}/incomingChannels`);
      assert.deepEqual(host.body.value, []);
    });

    it('200 allChannels lists the team channels and then the incoming ones, with $filter on membershipType', async () => {
      const own = await server.request('GET', `/v1.0/teams/${mark8TeamId}/channels`, { headers: bearer(await appToken(server)) });
      const response = await server.request('GET', `/v1.0/teams/${mark8TeamId}/allChannels`, { headers: { ...prefer, ...bearer(await appToken(server)) } });
      assertStatus(response, 200);
      const ids = response.body.value.map((c: { id: string }) => c.id);
      assert.deepEqual(ids, [...own.body.value.map((c: { id: string }) => c.id), sharedId]);
      const shared = await server.request('GET', `/v1.0/teams/${mark8TeamId}/allChannels?$filter=membershipType eq 'shared'`, { headers: prefer });
      assertStatus(shared, 200);
      assert.ok(shared.body.value.every((c: { membershipType: string }) => c.membershipType === 'shared'));
      assert.ok(shared.body.value.some((c: { id: string }) => c.id === sharedId));
    });

    it('404 for an unknown team', async () => {
      assertGraphError(await server.request('GET', '/v1.0/teams/00000000-0000-0000-0000-000000000000/allChannels'), 404, 'NotFound');
      assertGraphError(await server.request('GET', '/v1.0/teams/00000000-0000-0000-0000-000000000000/incomingChannels'), 404, 'NotFound');
    });
  });
}
