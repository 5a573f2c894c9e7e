import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, mintToken, userToken } from '../../helpers/tokens.ts';
import { architectureTeamId, meganId, reset, teamState } from './teams.fixtures.ts';

const team = `/v1.0/teams/${architectureTeamId}`;
// The example of team-update.md.
const example = {
  memberSettings: { allowCreateUpdateChannels: true },
  messagingSettings: { allowUserEditMessages: true, allowUserDeleteMessages: true },
  funSettings: { allowGiphy: true, giphyContentRating: 'strict' },
};

for (const dialect of testDialects()) {
  describe(`team-update on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    beforeEach(() => reset(server));
    after(() => server.close());

    it('204 applies the example: settings merge member by member', async () => {
      const before = (await server.request('GET', team)).body;
      const response = await server.request('PATCH', team, { body: example });
      assertStatus(response, 204);
      assert.equal(response.text, '');
      const after = await server.request('GET', team);
      assert.equal(after.body.funSettings.giphyContentRating, 'strict');
      assert.deepEqual(after.body.memberSettings, before.memberSettings);
      assert.equal(after.body.funSettings.allowStickersAndMemes, before.funSettings.allowStickersAndMemes);
    });

    it('204 stores a non-default value in every settings object, read back by GET, and a second PATCH merges over it', async () => {
      // The example's values are the defaults, which a PATCH that ignored the settings would also show.
      const first = {
        memberSettings: { allowCreateUpdateChannels: false, allowAddRemoveApps: false },
        guestSettings: { allowDeleteChannels: true },
        messagingSettings: { allowUserDeleteMessages: false, allowTeamMentions: false },
        funSettings: { allowCustomMemes: false },
      };
      assertStatus(await server.request('PATCH', team, { body: first }), 204);
      assertStatus(
        await server.request('PATCH', team, { body: { memberSettings: { allowDeleteChannels: false }, guestSettings: { allowCreateUpdateChannels: true } } }),
        204,
      );
      const after = await server.request('GET', team);
      assertStatus(after, 200);
      assert.deepEqual(after.body.memberSettings, {
        allowCreateUpdateChannels: false,
        allowCreatePrivateChannels: true,
        allowDeleteChannels: false,
        allowAddRemoveApps: false,
        allowCreateUpdateRemoveTabs: true,
        allowCreateUpdateRemoveConnectors: true,
      });
      assert.deepEqual(after.body.guestSettings, { allowCreateUpdateChannels: true, allowDeleteChannels: true });
      assert.deepEqual(after.body.messagingSettings, {
        allowUserEditMessages: true,
        allowUserDeleteMessages: false,
        allowOwnerDeleteMessages: true,
        allowTeamMentions: false,
        allowChannelMentions: true,
      });
      assert.deepEqual(after.body.funSettings, { allowGiphy: true, giphyContentRating: 'moderate', allowStickersAndMemes: true, allowCustomMemes: false });
    });

    it('204 renames the team and its group, and changes description and visibility', async () => {
      assertStatus(await server.request('PATCH', team, { body: { displayName: 'Architecture Guild', description: 'Renamed', visibility: 'private' } }), 204);
      const after = await server.request('GET', team);
      assert.equal(after.body.displayName, 'Architecture Guild');
      assert.equal(after.body.description, 'Renamed');
      assert.equal(after.body.visibility, 'private');
      const group = await server.request('GET', `/v1.0/groups/${architectureTeamId}`);
      assert.equal(group.body.displayName, 'Architecture Guild');
      assert.equal(group.body.visibility, 'Private');
    });

    it('204 for an owner who is not a tenant admin, read back by GET', async () => {
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertStatus(await server.request('PATCH', team, { body: { description: 'By an owner' }, headers: bearer(lee) }), 204);
      assert.equal((await server.request('GET', team)).body.description, 'By an owner');
    });

    it('204 for an application with TeamSettings.ReadWrite.All', async () => {
      const token = await mintToken(server, { roles: ['TeamSettings.ReadWrite.All'] });
      assertStatus(await server.request('PATCH', team, { body: { description: 'By the app' }, headers: bearer(token) }), 204);
      const app = await appToken(server);
      assertStatus(await server.request('PATCH', team, { body: { description: 'By the demo app' }, headers: bearer(app) }), 204);
    });

    const invalid: [string, object][] = [
      ['an empty displayName', { displayName: ' ' }],
      ['an unknown visibility', { visibility: 'secret' }],
      ['an unknown settings flag', { memberSettings: { allowAnything: true } }],
      ['a non-boolean flag', { guestSettings: { allowDeleteChannels: 'yes' } }],
      ['an unknown giphy rating', { funSettings: { giphyContentRating: 'mild' } }],
    ];
    for (const [title, body] of invalid) {
      it(`400 for ${title}, with nothing written`, async () => {
        const before = await teamState(server);
        assertGraphError(await server.request('PATCH', team, { body }), 400, 'BadRequest');
        assert.deepEqual(await teamState(server), before);
      });
    }

    it('403 for a member who is not an owner, and without TeamSettings.ReadWrite.All', async () => {
      const before = await teamState(server);
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(await server.request('PATCH', team, { body: { description: 'x' }, headers: bearer(megan) }), 403, 'Forbidden');
      const reader = await mintToken(server, { scp: 'TeamSettings.Read.All', oid: meganId });
      assertGraphError(await server.request('PATCH', team, { body: { description: 'x' }, headers: bearer(reader) }), 403, 'Forbidden');
      assert.deepEqual(await teamState(server), before);
    });

    it('403 for an archived team, 404 for an unknown one', async () => {
      await server.store.db.updateTable('teams').set({ is_archived: 1 }).where('id', '=', architectureTeamId).execute();
      const before = await teamState(server);
      assertGraphError(await server.request('PATCH', team, { body: { description: 'x' } }), 403, 'Forbidden', /archived/);
      assert.deepEqual(await teamState(server), before);
      assertGraphError(await server.request('PATCH', '/v1.0/teams/00000000-0000-0000-0000-000000000000', { body: { description: 'x' } }), 404, 'NotFound');
    });
  });
}
