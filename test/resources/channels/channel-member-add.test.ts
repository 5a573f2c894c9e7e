import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { architectureTeamId, channels, generalChannelId, leadershipChannelId, meganId, member, memberRows } from './channels.fixtures.ts';

const leadership = `${channels}/${leadershipChannelId}`;

for (const dialect of testDialects()) {
  describe(`channel-member-list and channel-member-add on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 lists the private channel roster', async () => {
      const response = await server.request('GET', `${leadership}/members`);
      assertStatus(response, 200);
      assert.deepEqual(response.body.value.map((m: { displayName: string; roles: string[] }) => [m.displayName, m.roles]).sort(), [
        ['Adele Vance', ['owner']],
        ['Lee Gu', []],
      ]);
    });

    it('201 adds a member with roles [] and returns it', async () => {
      const response = await server.request('POST', `${leadership}/members`, { body: member(meganId, []) });
      assertStatus(response, 201);
      assert.equal(
        response.body['@odata.context'],
        `${server.url}/v1.0/$metadata#teams('${architectureTeamId}')/channels('${encodeURIComponent(leadershipChannelId)}')/members/microsoft.graph.aadUserConversationMember/$entity`,
      );
      assert.equal(response.body.userId, meganId);
      assert.deepEqual(response.body.roles, []);
      const one = await server.request('GET', `${leadership}/members/${encodeURIComponent(response.body.id)}`);
      assertStatus(one, 200);
      assert.ok((await memberRows(server, leadershipChannelId)).some((row) => row.user_id === meganId));
    });

    it('409 for a user already in the channel, 400 for a bad role or a standard channel', async () => {
      const before = await memberRows(server, leadershipChannelId);
      assertGraphError(await server.request('POST', `${leadership}/members`, { body: member('8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca', []) }), 409, 'Conflict');
      assertGraphError(
        await server.request('POST', `${leadership}/members`, { body: member('62855810-484b-4823-9e01-60667f8b12ae', ['admin']) }),
        400,
        'BadRequest',
      );
      assertGraphError(
        await server.request('POST', `${channels}/${generalChannelId}/members`, { body: member('62855810-484b-4823-9e01-60667f8b12ae', []) }),
        400,
        'BadRequest',
      );
      assertGraphError(await server.request('POST', `${leadership}/members`, { body: member('%E0%A4%A', []) }), 400, 'BadRequest');
      assert.deepEqual(await memberRows(server, leadershipChannelId), before);
    });

    it('403 when a plain member of the channel adds someone', async () => {
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertGraphError(
        await server.request('POST', `${leadership}/members`, { body: member('62855810-484b-4823-9e01-60667f8b12ae', []), headers: bearer(lee) }),
        403,
        'Forbidden',
      );
    });
  });
}
