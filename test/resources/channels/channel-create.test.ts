import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { architectureTeamId, awaitOperation, channelRows, channels, diegoId, guestId, lidiaId, member, memberRows, reset } from './channels.fixtures.ts';

for (const dialect of testDialects()) {
  describe(`channel-create on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--operation-delay-ms', '5']);
    });
    beforeEach(() => reset(server));
    after(() => server.close());

    it('201 creates a standard channel (example 1)', async () => {
      const response = await server.request('POST', channels, {
        body: {
          displayName: 'Architecture Discussion',
          description: 'This channel is where we debate all future architecture plans',
          membershipType: 'standard',
        },
      });
      assertStatus(response, 201);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#teams('${architectureTeamId}')/channels/$entity`);
      assert.match(response.body.id, /^19:[0-9a-f]{32}@thread\.tacv2$/);
      assert.equal(response.body.displayName, 'Architecture Discussion');
      assert.equal(response.body.description, 'This channel is where we debate all future architecture plans');
      assert.equal(response.body.membershipType, 'standard');
      assert.equal(response.body.email, '');
      assert.match(response.body.webUrl, /^https:\/\/teams\.microsoft\.com\/l\/channel\/19%3A/);
      const get = await server.request('GET', `${channels}/${response.body.id}`);
      assertStatus(get, 200);
      assert.equal(get.body.displayName, 'Architecture Discussion');
    });

    for (const [example, user] of [
      ['2', lidiaId],
      ['4', 'jacob@contoso.com'],
    ] as const) {
      it(`201 creates a private channel whose only member is the named owner (example ${example})`, async () => {
        const response = await server.request('POST', channels, {
          body: {
            '@odata.type': '#Microsoft.Graph.channel',
            membershipType: 'private',
            displayName: 'My First Private Channel',
            description: 'This is my first private channels',
            members: [member(user)],
          },
        });
        assertStatus(response, 201);
        assert.equal(response.body.membershipType, 'private');
        const expectedId = user === lidiaId ? lidiaId : '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
        assert.deepEqual(await memberRows(server, response.body.id), [{ user_id: expectedId, roles: '["owner"]' }]);
      });
    }

    it('201 creates a channel in migration mode with a back-dated createdDateTime and a Location (example 3)', async () => {
      const response = await server.request('POST', channels, {
        body: {
          '@microsoft.graph.channelCreationMode': 'migration',
          displayName: 'Import_150958_99z',
          description: 'Import_150958_99z',
          createdDateTime: '2020-03-14T11:22:17.067Z',
        },
      });
      assertStatus(response, 201);
      assert.equal(response.headers.get('location'), `/teams('${architectureTeamId}')/channels('${response.body.id}')`);
      assert.equal(response.body.migrationMode, 'inProgress');
      assert.equal(response.body.createdDateTime, '2020-03-14T11:22:17.067Z');
    });

    for (const [example, sharedWithTeams] of [
      ['5', undefined],
      ['7', [{ id: architectureTeamId }]],
    ] as const) {
      it(`202 creates a shared channel through an operation (example ${example})`, async () => {
        const response = await server.request('POST', channels, {
          body: {
            displayName: 'My First Shared Channel',
            description: 'This is my first shared channel',
            membershipType: 'shared',
            members: [member(diegoId)],
            ...(sharedWithTeams === undefined ? {} : { sharedWithTeams }),
          },
        });
        assertStatus(response, 202);
        assert.equal(response.text, '');
        assert.equal(response.headers.get('content-length'), '0');
        const location = response.headers.get('content-location') ?? '';
        assert.match(location, new RegExp(`^/teams/${architectureTeamId}/operations/[0-9a-f-]{36}$`));
        const operation = await awaitOperation(server, location);
        assert.equal(operation.body.status, 'succeeded');
        assert.equal(operation.body.operationType, 'createChannel');
        const channelId = operation.body.targetResourceId as string;
        assert.equal(operation.body.targetResourceLocation, `/teams('${architectureTeamId}')/channels('${channelId}')`);
        const channel = await server.request('GET', `${channels}/${channelId}`, { headers: { prefer: 'include-unknown-enum-members' } });
        assert.equal(channel.body.membershipType, 'shared');
        const masked = await server.request('GET', `${channels}/${channelId}`);
        assert.equal(masked.body.membershipType, 'unknownFutureValue');
        assert.deepEqual(await memberRows(server, channelId), [{ user_id: diegoId, roles: '["owner"]' }]);
        const shared = await server.request('GET', `${channels}/${channelId}/sharedWithTeams`);
        assertStatus(shared, 200);
        assert.deepEqual(
          shared.body.value.map((team: { id: string; isHostTeam: boolean }) => [team.id, team.isHostTeam]),
          [[architectureTeamId, true]],
        );
      });
    }

    it('202 shares a shared channel with another team, listed after the host', async () => {
      const response = await server.request('POST', channels, {
        body: { displayName: 'Joint', membershipType: 'shared', members: [member(diegoId)], sharedWithTeams: [{ id: '7640023f-fe43-4cc7-9bd3-84a9efe4acd6' }] },
      });
      const operation = await awaitOperation(server, response.headers.get('content-location') ?? '');
      const shared = await server.request('GET', `${channels}/${operation.body.targetResourceId}/sharedWithTeams`);
      assert.deepEqual(
        shared.body.value.map((team: { id: string }) => team.id),
        [architectureTeamId, '7640023f-fe43-4cc7-9bd3-84a9efe4acd6'],
      );
    });

    it('201 at 50 characters and 400 at 51', async () => {
      assertStatus(await server.request('POST', channels, { body: { displayName: 'x'.repeat(50) } }), 201);
      assertGraphError(await server.request('POST', channels, { body: { displayName: 'y'.repeat(51) } }), 400, 'BadRequest', /at most 50 characters/);
    });

    it('201 with 200 private members and 400 with 201, writing nothing', async () => {
      const ids = await addTeamMembers(server, 201);
      const members = (count: number) => ids.slice(0, count).map((id, index) => member(id, index === 0 ? ['owner'] : []));
      const before = (await channelRows(server)).length;
      assertGraphError(
        await server.request('POST', channels, { body: { displayName: 'Crowd', membershipType: 'private', members: members(201) } }),
        400,
        'BadRequest',
        /at most 200 members/,
      );
      assert.equal((await channelRows(server)).length, before);
      const created = await server.request('POST', channels, { body: { displayName: 'Crowd', membershipType: 'private', members: members(200) } });
      assertStatus(created, 201);
      assert.equal((await memberRows(server, created.body.id)).length, 200);
    });

    const rules: [string, unknown, number, string, RegExp][] = [
      ['displayName is missing', { description: 'no name' }, 400, 'BadRequest', /displayName is required/],
      ['displayName has a forbidden character', { displayName: 'a/b' }, 400, 'BadRequest', /cannot contain/],
      [
        'displayName repeats an existing channel, in any case',
        { displayName: 'design reviews' },
        409,
        'NameAlreadyExists',
        /^Channel name already existed, please use other name\.$/,
      ],
      ['a private channel has no owner', { displayName: 'P', membershipType: 'private', members: [member(lidiaId, [])] }, 400, 'BadRequest', /needs an owner/],
      ['a private channel has no members', { displayName: 'P', membershipType: 'private' }, 400, 'BadRequest', /needs an owner/],
      ['a shared channel has no owner', { displayName: 'S', membershipType: 'shared', members: [member(diegoId, [])] }, 400, 'BadRequest', /needs an owner/],
      [
        'a shared channel has two owners',
        { displayName: 'S', membershipType: 'shared', members: [member(diegoId), member(lidiaId)] },
        400,
        'BadRequest',
        /only one owner/,
      ],
      ['membershipType is unknown', { displayName: 'U', membershipType: 'secret' }, 400, 'BadRequest', /membershipType/],
      ['membershipType is the unknownFutureValue sentinel', { displayName: 'U', membershipType: 'unknownFutureValue' }, 400, 'BadRequest', /membershipType/],
      ['a standard channel names members', { displayName: 'M', members: [member(lidiaId)] }, 400, 'BadRequest', /private or shared/],
      [
        'a member does not exist',
        { displayName: 'P', membershipType: 'private', members: [member('00000000-0000-0000-0000-000000000001')] },
        404,
        'Request_ResourceNotFound',
        /does not exist/,
      ],
      [
        'a private channel member is not in the team',
        { displayName: 'P', membershipType: 'private', members: [member('82fe7758-5bb3-4f0d-a43f-e555fd399c6f')] },
        400,
        'BadRequest',
        /not a member of the team/,
      ],
      [
        'a guest is made an owner',
        { displayName: 'P', membershipType: 'private', members: [member(lidiaId), member(guestId)] },
        400,
        'BadRequest',
        /Guest user/,
      ],
      [
        'migration mode has a future createdDateTime',
        { '@microsoft.graph.channelCreationMode': 'migration', displayName: 'I', createdDateTime: '2999-01-01T00:00:00Z' },
        400,
        'BadRequest',
        /future/,
      ],
      ['displayName is blank', { displayName: '   ' }, 400, 'BadRequest', /displayName is required/],
      [
        'a private channel names sharedWithTeams',
        { displayName: 'P', membershipType: 'private', members: [member(lidiaId)], sharedWithTeams: [{ id: architectureTeamId }] },
        400,
        'BadRequest',
        /applies only to a shared channel/,
      ],
      [
        'createdDateTime is given outside migration mode',
        { displayName: 'C', createdDateTime: '2020-01-01T00:00:00Z' },
        400,
        'BadRequest',
        /only when creating a channel in migration mode/,
      ],
      [
        'channelCreationMode is not migration',
        { '@microsoft.graph.channelCreationMode': 'import', displayName: 'I', createdDateTime: '2020-01-01T00:00:00Z' },
        400,
        'BadRequest',
        /the only mode is migration/,
      ],
      [
        'a private channel is created in migration mode',
        {
          '@microsoft.graph.channelCreationMode': 'migration',
          displayName: 'I',
          membershipType: 'private',
          members: [member(lidiaId)],
          createdDateTime: '2020-01-01T00:00:00Z',
        },
        400,
        'BadRequest',
        /Only a standard channel/,
      ],
      [
        'migration mode has no createdDateTime',
        { '@microsoft.graph.channelCreationMode': 'migration', displayName: 'I' },
        400,
        'BadRequest',
        /needs a valid createdDateTime/,
      ],
      [
        'sharedWithTeams names a team that does not exist',
        { displayName: 'S', membershipType: 'shared', members: [member(diegoId)], sharedWithTeams: [{ id: '11111111-1111-1111-1111-111111111111' }] },
        404,
        'NotFound',
        /No team found/,
      ],
    ];
    for (const [when, body, status, code, message] of rules) {
      it(`${status} when ${when}, writing nothing`, async () => {
        const before = await channelRows(server);
        assertGraphError(await server.request('POST', channels, { body }), status, code, message);
        assert.deepEqual(await channelRows(server), before);
        assert.equal((await server.store.db.selectFrom('operations').selectAll().execute()).length, 0);
      });
    }

    it('201 for a guest listed with the guest role', async () => {
      const response = await server.request('POST', channels, {
        body: { displayName: 'With guest', membershipType: 'private', members: [member(lidiaId), member(guestId, ['guest'])] },
      });
      assertStatus(response, 201);
      assert.deepEqual(
        await memberRows(server, response.body.id),
        [
          { user_id: lidiaId, roles: '["owner"]' },
          { user_id: guestId, roles: '["guest"]' },
        ].sort((a, b) => a.user_id.localeCompare(b.user_id)),
      );
    });

    it('404 for a team that does not exist', async () => {
      assertGraphError(
        await server.request('POST', '/v1.0/teams/29981b6a-0e57-42dc-94c9-cd24f5306196/channels', { body: { displayName: 'x' } }),
        404,
        'NotFound',
        'No team found with Group Id 29981b6a-0e57-42dc-94c9-cd24f5306196',
      );
    });
  });
}

/** Adds `count` users to the Architecture team directly in the store, for the member-count edges. */
async function addTeamMembers(server: TestServer, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_unused, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
  for (const id of ids) {
    await server.store.db
      .insertInto('users')
      .values({
        id,
        tenant_id: 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f',
        user_principal_name: `bulk${id.slice(-4)}@contoso.com`,
        upn_key: `bulk${id.slice(-12)}@contoso.com`,
        display_name: `Bulk ${id.slice(-4)}`,
        given_name: null,
        surname: null,
        mail: null,
        job_title: null,
        office_location: null,
        preferred_language: null,
        mobile_phone: null,
        business_phones: '[]',
        user_type: 'Member',
        account_enabled: 1,
        is_admin: 0,
        password_hash: null,
        created_date_time: '2026-01-01T00:00:00Z',
      })
      .execute();
    await server.store.db.insertInto('group_members').values({ group_id: architectureTeamId, user_id: id, role: 'member' }).execute();
  }
  return ids;
}
