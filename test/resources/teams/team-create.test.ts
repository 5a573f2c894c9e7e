import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, mintToken } from '../../helpers/tokens.ts';
import {
  adeleId,
  allCompanyGroupId,
  architectureTeamId,
  awaitOperation,
  createdTeamId,
  guestId,
  meganId,
  member,
  reset,
  standardTemplate,
  teamState,
} from './teams.fixtures.ts';

// The examples of team-post.md, verbatim apart from user ids, which are the demo tenant's.
const example1 = { 'template@odata.bind': standardTemplate, displayName: 'My Sample Team', description: 'My Sample Team’s Description' };
const example3 = {
  'template@odata.bind': standardTemplate,
  visibility: 'Private',
  displayName: 'Sample Engineering Team',
  description: 'This is a sample engineering team, used to showcase the range of properties supported by this API',
  channels: [
    { displayName: 'Announcements 📢', isFavoriteByDefault: true, description: 'Important announcements.' },
    {
      displayName: 'Training 🏋️',
      isFavoriteByDefault: true,
      description: 'Pinned tabs.',
      tabs: [
        {
          'teamsApp@odata.bind': "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps('com.microsoft.teamspace.tab.web')",
          displayName: 'A Pinned Website',
          configuration: { contentUrl: 'https://docs.microsoft.com/microsoftteams/microsoft-teams' },
        },
      ],
    },
    { displayName: 'Planning 📅 ', description: 'Not favorited.', isFavoriteByDefault: false },
    { displayName: 'Issues and Feedback 🐞', description: 'Not favorited.' },
  ],
  memberSettings: {
    allowCreateUpdateChannels: true,
    allowDeleteChannels: true,
    allowAddRemoveApps: true,
    allowCreateUpdateRemoveTabs: true,
    allowCreateUpdateRemoveConnectors: true,
  },
  guestSettings: { allowCreateUpdateChannels: false, allowDeleteChannels: false },
  funSettings: { allowGiphy: true, giphyContentRating: 'Moderate', allowStickersAndMemes: true, allowCustomMemes: true },
  messagingSettings: {
    allowUserEditMessages: true,
    allowUserDeleteMessages: true,
    allowOwnerDeleteMessages: true,
    allowTeamMentions: true,
    allowChannelMentions: true,
  },
  discoverySettings: { showInTeamsSearchAndSuggestions: true },
  installedApps: [{ 'teamsApp@odata.bind': "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps('com.microsoft.teamspace.tab.vsts')" }],
};

for (const dialect of testDialects()) {
  describe(`team-create on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--operation-delay-ms', '20']);
    });
    beforeEach(() => reset(server));
    after(() => server.close());

    async function createAndAwait(body: object, headers: Record<string, string> = {}) {
      const response = await server.request('POST', '/v1.0/teams', { body, headers });
      assertStatus(response, 202);
      assert.equal(response.text, '');
      assert.equal(response.headers.get('content-length'), '0');
      const teamId = createdTeamId(response);
      const location = response.headers.get('location') ?? '';
      assert.match(location, new RegExp(`^/teams\\('${teamId}'\\)/operations\\('[0-9a-f-]{36}'\\)$`));
      const operation = await awaitOperation(server, location);
      assert.equal(operation.body.status, 'succeeded', operation.text);
      assert.equal(operation.body.operationType, 'createTeam');
      assert.equal(operation.body.targetResourceId, teamId);
      assert.equal(operation.body.targetResourceLocation, `/teams('${teamId}')`);
      const team = await server.request('GET', `/v1.0/teams/${teamId}`, { headers });
      assertStatus(team, 200);
      return team.body;
    }

    const rolesOf = async (teamId: string) =>
      Object.fromEntries(
        (await server.store.db.selectFrom('group_members').select(['user_id', 'role']).where('group_id', '=', teamId).execute()).map((row) => [
          row.user_id,
          row.role,
        ]),
      );

    it('202 example 1: the team, its Unified group and its General channel appear when the operation succeeds; the caller owns it', async () => {
      const team = await createAndAwait(example1);
      assert.equal(team.displayName, 'My Sample Team');
      assert.equal(team.description, 'My Sample Team’s Description');
      assert.equal(team.isArchived, false);
      assert.match(team.internalId, /^19:[0-9a-f]{32}@thread\.tacv2$/);
      const general = await server.request('GET', `/v1.0/teams/${team.id}/primaryChannel`);
      assertStatus(general, 200);
      assert.equal(general.body.id, team.internalId);
      assert.equal(general.body.displayName, 'General');
      const group = await server.request('GET', `/v1.0/groups/${team.id}`);
      assertStatus(group, 200);
      assert.deepEqual(group.body.groupTypes, ['Unified']);
      assert.deepEqual(group.body.resourceProvisioningOptions, ['Team']);
      assert.deepEqual(await rolesOf(team.id), { [adeleId]: 'owner' });
    });

    it('202 example 2 with application permissions: the members given, with the owner named', async () => {
      const token = await appToken(server);
      const team = await createAndAwait({ ...example1, members: [member(meganId, ['owner'])] }, bearer(token));
      assert.deepEqual(await rolesOf(team.id), { [meganId]: 'owner' });
    });

    it('202 with every settings object flipped from its default: each flag given is stored, the rest keep theirs', async () => {
      // The examples give the defaults, which a create that ignored the settings would also show.
      const team = await createAndAwait({
        ...example1,
        memberSettings: { allowCreateUpdateChannels: false, allowDeleteChannels: false },
        guestSettings: { allowCreateUpdateChannels: true, allowDeleteChannels: true },
        messagingSettings: { allowUserEditMessages: false, allowChannelMentions: false },
        funSettings: { allowGiphy: false, giphyContentRating: 'Strict' },
      });
      assert.deepEqual(team.memberSettings, {
        allowCreateUpdateChannels: false,
        allowCreatePrivateChannels: true,
        allowDeleteChannels: false,
        allowAddRemoveApps: true,
        allowCreateUpdateRemoveTabs: true,
        allowCreateUpdateRemoveConnectors: true,
      });
      assert.deepEqual(team.guestSettings, { allowCreateUpdateChannels: true, allowDeleteChannels: true });
      assert.deepEqual(team.messagingSettings, {
        allowUserEditMessages: false,
        allowUserDeleteMessages: true,
        allowOwnerDeleteMessages: true,
        allowTeamMentions: true,
        allowChannelMentions: false,
      });
      assert.deepEqual(team.funSettings, { allowGiphy: false, giphyContentRating: 'strict', allowStickersAndMemes: true, allowCustomMemes: true });
    });

    it('202 example 3: visibility, channels and settings from the full payload', async () => {
      const team = await createAndAwait(example3);
      assert.equal(team.visibility, 'private');
      assert.equal(team.funSettings.giphyContentRating, 'moderate');
      assert.equal(team.memberSettings.allowCreateUpdateRemoveConnectors, true);
      const channels = await server.request('GET', `/v1.0/teams/${team.id}/channels`);
      assertStatus(channels, 200);
      assert.deepEqual(
        channels.body.value.map((c: { displayName: string }) => c.displayName).sort(),
        ['Announcements 📢', 'General', 'Issues and Feedback 🐞', 'Planning 📅 ', 'Training 🏋️'].sort(),
      );
      const announcements = channels.body.value.find((c: { displayName: string }) => c.displayName === 'Announcements 📢');
      assert.equal(announcements.isFavoriteByDefault, true);
    });

    it('202 example 4: a team from a group keeps the group id, name and members', async () => {
      const before = await rolesOf(allCompanyGroupId);
      const team = await createAndAwait({
        'template@odata.bind': standardTemplate,
        'group@odata.bind': `https://graph.microsoft.com/v1.0/groups('${allCompanyGroupId}')`,
      });
      assert.equal(team.id, allCompanyGroupId);
      assert.equal(team.displayName, 'All Company');
      assert.equal(team.visibility, 'public');
      assert.deepEqual(await rolesOf(allCompanyGroupId), before);
      const me = await server.request('GET', '/v1.0/me/joinedTeams');
      assert.ok(me.body.value.some((t: { id: string }) => t.id === allCompanyGroupId));
    });

    it('200 the operation is readable under the new team while it is still running', async () => {
      const response = await server.request('POST', '/v1.0/teams', { body: example1 });
      assertStatus(response, 202);
      const operation = await server.request('GET', `/v1.0${response.headers.get('location') ?? ''}`);
      assertStatus(operation, 200);
      assert.ok(['notStarted', 'inProgress', 'succeeded'].includes(operation.body.status));
      await awaitOperation(server, response.headers.get('location') ?? '');
    });

    const invalid: [string, object, number, string][] = [
      ['no template', { displayName: 'x' }, 400, 'BadRequest'],
      ['another template', { ...example1, 'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('educationClass')" }, 400, 'BadRequest'],
      ['no displayName', { 'template@odata.bind': standardTemplate }, 400, 'BadRequest'],
      ['a displayName of 257 characters', { ...example1, displayName: 'x'.repeat(257) }, 400, 'BadRequest'],
      ['an unknown visibility', { ...example1, visibility: 'hiddenMembership' }, 400, 'BadRequest'],
      ['a channel name with a forbidden character', { ...example1, channels: [{ displayName: 'a/b' }] }, 400, 'BadRequest'],
      ['a second General channel', { ...example1, channels: [{ displayName: 'general' }] }, 409, 'NameAlreadyExists'],
      ['an unknown settings flag', { ...example1, memberSettings: { allowEverything: true } }, 400, 'BadRequest'],
      ['an unknown giphy rating', { ...example1, funSettings: { giphyContentRating: 'lenient' } }, 400, 'BadRequest'],
      ['a guest as owner', { ...example1, members: [member(guestId, ['owner'])] }, 400, 'BadRequest'],
      ['a member who does not exist', { ...example1, members: [member('00000000-0000-0000-0000-000000000001', [])] }, 404, 'Request_ResourceNotFound'],
      [
        'displayName beside group@odata.bind',
        { 'template@odata.bind': standardTemplate, displayName: 'x', 'group@odata.bind': `https://graph.microsoft.com/v1.0/groups('${allCompanyGroupId}')` },
        400,
        'BadRequest',
      ],
      [
        'a group@odata.bind with a malformed percent-escape',
        { 'template@odata.bind': standardTemplate, 'group@odata.bind': "https://graph.microsoft.com/v1.0/groups('%E0%A4%A')" },
        400,
        'BadRequest',
      ],
      [
        'a group that already has a team',
        { 'template@odata.bind': standardTemplate, 'group@odata.bind': `https://graph.microsoft.com/v1.0/groups('${architectureTeamId}')` },
        409,
        'Conflict',
      ],
    ];
    for (const [title, body, status, code] of invalid) {
      it(`${status} for ${title}, with nothing written`, async () => {
        const before = await teamState(server);
        assertGraphError(await server.request('POST', '/v1.0/teams', { body }), status, code);
        assert.deepEqual(await teamState(server), before);
      });
    }

    it('400 with application permissions and no owner among the members, with nothing written', async () => {
      const before = await teamState(server);
      const token = await appToken(server);
      assertGraphError(await server.request('POST', '/v1.0/teams', { body: example1, headers: bearer(token) }), 400, 'BadRequest');
      assertGraphError(
        await server.request('POST', '/v1.0/teams', { body: { ...example1, members: [member(meganId, [])] }, headers: bearer(token) }),
        400,
        'BadRequest',
      );
      assert.deepEqual(await teamState(server), before);
    });

    it('403 without Team.Create or a broader permission', async () => {
      const token = await mintToken(server, { scp: 'Team.ReadBasic.All', oid: meganId });
      assertGraphError(await server.request('POST', '/v1.0/teams', { body: example1, headers: bearer(token) }), 403, 'Forbidden');
    });

    it('403 when a member who does not own the group teamifies it', async () => {
      const token = await mintToken(server, { scp: 'Team.Create', oid: meganId });
      const before = await teamState(server);
      const body = { 'template@odata.bind': standardTemplate, 'group@odata.bind': `https://graph.microsoft.com/v1.0/groups('${allCompanyGroupId}')` };
      assertGraphError(await server.request('POST', '/v1.0/teams', { body, headers: bearer(token) }), 403, 'Forbidden');
      assert.deepEqual(await teamState(server), before);
    });
  });
}
