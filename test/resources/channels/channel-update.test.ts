import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { architectureTeamId, channelRows, channels, generalChannelId, leadershipChannelId, reset } from './channels.fixtures.ts';

const designReviews = `${channels}/19:6a2c9e4b1d8f4c7ab0e5d3f2a1b4c6d8@thread.tacv2`;

for (const dialect of testDialects()) {
  describe(`channel-list, channel-get, channel-update and channel-delete on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    beforeEach(() => reset(server));
    after(() => server.close());

    it('200 lists channels, filters by membershipType and selects properties', async () => {
      const all = await server.request('GET', channels);
      assertStatus(all, 200);
      assert.deepEqual(all.body.value.map((c: { displayName: string }) => c.displayName).sort(), ['Design Reviews', 'General', 'Leadership']);
      const privateOnly = await server.request('GET', `${channels}?$filter=membershipType eq 'private'&$select=displayName`);
      assertStatus(privateOnly, 200);
      assert.deepEqual(privateOnly.body.value, [{ id: leadershipChannelId, displayName: 'Leadership' }]);
      const general = await server.request('GET', `${channels}?$filter=displayName eq 'general'&$select=displayName`);
      assert.deepEqual(
        general.body.value.map((c: { displayName: string }) => c.displayName),
        ['General'],
      );
      assertGraphError(
        await server.request('GET', `${channels}?$filter=email eq 'x'`),
        400,
        'BadRequest',
        "Unsupported or invalid query filter clause specified for property 'email' of resource 'Channel'.",
      );
    });

    it('200 hides a private channel from a team member outside it', async () => {
      const megan = await userToken(server, 'MeganB@contoso.com');
      const list = await server.request('GET', channels, { headers: bearer(megan) });
      assert.ok(!list.body.value.some((c: { id: string }) => c.id === leadershipChannelId));
      assertGraphError(await server.request('GET', `${channels}/${leadershipChannelId}`, { headers: bearer(megan) }), 404, 'NotFound');
    });

    it('200 returns the General channel as primaryChannel, and summary only when selected', async () => {
      const primary = await server.request('GET', `/v1.0/teams/${architectureTeamId}/primaryChannel`);
      assertStatus(primary, 200);
      assert.equal(primary.body.id, generalChannelId);
      assert.equal('summary' in primary.body, false);
      const summary = await server.request('GET', `${channels}/${leadershipChannelId}?$select=summary`);
      assert.equal(summary.body['@odata.context'], `${server.url}/v1.0/$metadata#teams('${architectureTeamId}')/channels(summary)/$entity`);
      assert.deepEqual(summary.body.summary, { ownersCount: 1, membersCount: 2, guestsCount: 0, hasMembersFromOtherTenants: false });
    });

    it('204 updates name and description', async () => {
      assertStatus(await server.request('PATCH', designReviews, { body: { displayName: 'Design Review Board', description: 'Fortnightly' } }), 204);
      const read = await server.request('GET', designReviews);
      assert.equal(read.body.displayName, 'Design Review Board');
      assert.equal(read.body.description, 'Fortnightly');
    });

    it('204 for a PATCH that changes nothing, leaving the channel as it was', async () => {
      const before = await server.request('GET', designReviews);
      assertStatus(await server.request('PATCH', designReviews, { body: {} }), 204);
      assert.deepEqual((await server.request('GET', designReviews)).body, before.body);
    });

    it('400 when membershipType would change, and 409 for a taken name, changing nothing', async () => {
      const before = await channelRows(server);
      assertGraphError(await server.request('PATCH', designReviews, { body: { membershipType: 'private' } }), 400, 'BadRequest', /membershipType/);
      assertGraphError(await server.request('PATCH', designReviews, { body: { displayName: 'LEADERSHIP' } }), 409, 'NameAlreadyExists');
      assertGraphError(await server.request('PATCH', designReviews, { body: { displayName: 'x'.repeat(51) } }), 400, 'BadRequest');
      assert.deepEqual(await channelRows(server), before);
    });

    it('204 deletes a channel with its messages; 400 for General; 404 afterwards', async () => {
      assertStatus(await server.request('DELETE', designReviews), 204);
      assertGraphError(await server.request('GET', designReviews), 404, 'NotFound');
      const left = await server.store.db
        .selectFrom('messages')
        .select('id')
        .where('container_id', '=', '19:6a2c9e4b1d8f4c7ab0e5d3f2a1b4c6d8@thread.tacv2')
        .execute();
      assert.equal(left.length, 0);
      assertGraphError(await server.request('DELETE', `${channels}/${generalChannelId}`), 400, 'BadRequest');
    });

    it('403 for a PATCH or DELETE by a user outside the team, with the channels read back unchanged', async () => {
      const patti = await userToken(server, 'PattiF@contoso.com');
      const before = await channelRows(server);
      assertGraphError(await server.request('PATCH', designReviews, { body: { description: 'Taken over' }, headers: bearer(patti) }), 403, 'Forbidden');
      assertGraphError(await server.request('DELETE', designReviews, { headers: bearer(patti) }), 403, 'Forbidden');
      assert.deepEqual(await channelRows(server), before);
      assertStatus(await server.request('GET', designReviews), 200);
    });

    it('403 for a PATCH or DELETE of a private channel by its member who is not its owner; 404 for a team member outside it', async () => {
      const leadership = `${channels}/${leadershipChannelId}`;
      const before = await channelRows(server);
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertGraphError(await server.request('PATCH', leadership, { body: { description: 'By Lee' }, headers: bearer(lee) }), 403, 'Forbidden');
      assertGraphError(await server.request('DELETE', leadership, { headers: bearer(lee) }), 403, 'Forbidden');
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(await server.request('PATCH', leadership, { body: { description: 'By Megan' }, headers: bearer(megan) }), 404, 'NotFound');
      assertGraphError(await server.request('DELETE', leadership, { headers: bearer(megan) }), 404, 'NotFound');
      assert.deepEqual(await channelRows(server), before);
      assertStatus(await server.request('PATCH', leadership, { body: { description: 'By its owner' } }), 204);
      assert.equal((await server.request('GET', leadership)).body.description, 'By its owner');
    });

    it('403 when a user outside the team creates a channel in it, writing nothing', async () => {
      const isaiah = await userToken(server, 'IsaiahL@contoso.com');
      const before = await channelRows(server);
      assertGraphError(await server.request('POST', channels, { body: { displayName: 'Intruder' }, headers: bearer(isaiah) }), 403, 'Forbidden');
      assert.deepEqual(await channelRows(server), before);
    });
  });
}
