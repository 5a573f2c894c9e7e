import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type ServerProcess, spawnSecondInstance } from '../../helpers/processes.ts';
import { type TestServer, assertGraphError, assertStatus, startSharedTestServer, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';
import { rowCount } from '../../helpers/stores.ts';
import { demoTenant, example1, example2, example5, example6, example7, member, partnerTenant, users } from './chat-fixtures.ts';

async function rowCounts(server: TestServer) {
  const count = (table: 'chats' | 'chat_members' | 'operations') => rowCount(server.store.db, table);
  return { chats: await count('chats'), members: await count('chat_members'), operations: await count('operations') };
}

for (const dialect of testDialects()) {
  describe(`chat-create on ${dialect}`, () => {
    let server: TestServer;
    let megan: Record<string, string>;
    let lee: Record<string, string>;
    let app: Record<string, string>;
    before(async () => {
      server = await startTestServer(dialect);
      megan = bearer(await userToken(server, 'MeganB@contoso.com'));
      lee = bearer(await userToken(server, 'LeeG@contoso.com'));
      app = bearer(await appToken(server));
    });
    after(() => server.close());

    it('201 Example 1: a one-on-one chat by ids, with the federated user bound without tenantId', async () => {
      const response = await server.request('POST', '/beta/chats', { body: example1, headers: megan });
      assertStatus(response, 201);
      const chatId = `19:${users.miriam}_${users.megan}@unq.gbl.spaces`;
      assert.equal(response.body['@odata.context'], `${server.url}/beta/$metadata#chats/$entity`);
      assert.equal(response.body.id, chatId);
      assert.equal(response.body.topic, null);
      assert.equal(response.body.chatType, 'oneOnOne');
      assert.equal(response.body.tenantId, demoTenant);
      assert.equal(response.body.webUrl, `https://teams.microsoft.com/l/chat/19%3A${users.miriam}_${users.megan}@unq.gbl.spaces/0?tenantId=${demoTenant}`);
      assert.equal(response.body.isHiddenForAllMembers, false);
      assert.equal(response.body.viewpoint, null);
      assert.equal(response.body.onlineMeetingInfo, null);
      assert.equal(response.body.createdDateTime, response.body.lastUpdatedDateTime);
      assert.deepEqual(response.body.createdBy, {
        application: null,
        device: null,
        user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: users.megan, displayName: null, userIdentityType: 'aadUser', tenantId: demoTenant },
      });
      const rows = await server.store.db.selectFrom('chat_members').selectAll().where('chat_id', '=', chatId).orderBy('user_id').execute();
      assert.deepEqual(
        rows.map((row) => [row.user_id, row.tenant_id, row.roles]),
        [
          [users.miriam, partnerTenant, '["owner"]'],
          [users.megan, demoTenant, '["owner"]'],
        ],
      );
    });

    it('201 Example 7: the same pair with tenantId returns the existing chat, not a second one', async () => {
      const before = await rowCounts(server);
      const first = await server.request('POST', '/beta/chats', { body: example1, headers: megan });
      const again = await server.request('POST', '/beta/chats', { body: example7, headers: megan });
      assertStatus(again, 201);
      assert.equal(again.body.id, `19:${users.miriam}_${users.megan}@unq.gbl.spaces`);
      assert.equal(again.body.createdDateTime, first.body.createdDateTime);
      assert.deepEqual(await rowCounts(server), before);
    });

    it('201 Example 2: a group chat with a topic, as one of its members', async () => {
      const response = await server.request('POST', '/beta/chats', { body: example2, headers: lee });
      assertStatus(response, 201);
      assert.match(response.body.id, /^19:[0-9a-f]{32}@thread\.v2$/);
      assert.equal(response.body.topic, 'Group chat title');
      assert.equal(response.body.chatType, 'group');
      assert.equal(response.body.createdBy.user.id, users.lee);
      const members = await server.request('GET', `/v1.0/chats/${encodeURIComponent(response.body.id)}/members`, { headers: lee });
      assert.deepEqual(members.body.value.map((m: { userId: string }) => m.userId).sort(), [users.johanna, users.isaiah, users.lee].sort());
    });

    it('201 Example 5: members bound by userPrincipalName, created by the app', async () => {
      const response = await server.request('POST', '/beta/chats', { body: example5, headers: app });
      assertStatus(response, 201);
      assert.equal(response.body.id, '19:5e3ce6c0-2b1f-4285-8d4b-75ee78787346_87d349ed-44d7-43e1-9a83-5f2406dee5bd@unq.gbl.spaces');
      assert.equal(response.body.createdBy.user, null);
      assert.equal(response.body.createdBy.application.id, '6e2b3c8a-1f4d-4b7e-9a21-7c5d0e3f9b14');
    });

    it('201 Example 6: an in-tenant guest in the guest role', async () => {
      const response = await server.request('POST', '/beta/chats', { body: example6, headers: lee });
      assertStatus(response, 201);
      const guest = await server.store.db
        .selectFrom('chat_members')
        .selectAll()
        .where('chat_id', '=', response.body.id)
        .where('user_id', '=', users.guest)
        .executeTakeFirstOrThrow();
      assert.equal(guest.roles, '["guest"]');
    });

    it('201 on v1.0 with the v1.0 context and without the beta-only createdBy', async () => {
      const response = await server.request('POST', '/v1.0/chats', { body: example2, headers: lee });
      assertStatus(response, 201);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#chats/$entity`);
      assert.equal('createdBy' in response.body, false);
    });

    const rejected: [string, unknown, number, string, RegExp][] = [
      [
        'a oneOnOne chat with three members',
        { chatType: 'oneOnOne', members: [member(users.lee), member(users.isaiah), member(users.johanna)] },
        400,
        'BadRequest',
        /exactly two members/,
      ],
      ['a topic on a oneOnOne chat', { ...example1, topic: 'Lunch' }, 400, 'BadRequest', /only on a group chat/],
      ['a group chat with one member', { chatType: 'group', members: [member(users.lee)] }, 400, 'BadRequest', /at least two members/],
      [
        'a member that does not exist',
        { chatType: 'group', members: [member(users.lee), member('00000000-0000-0000-0000-00000000dead')] },
        404,
        'NotFound',
        /'00000000-0000-0000-0000-00000000dead'/,
      ],
      [
        'an in-tenant guest in the owner role',
        { ...example6, members: [member(users.lee), member(users.isaiah), member(users.guest)] },
        400,
        'BadRequest',
        /in-tenant guest .* guest role/,
      ],
      [
        'an out-of-tenant user in the guest role',
        { ...example7, members: [member(users.lee), member(users.miriam, ['guest'], { tenantId: partnerTenant })] },
        400,
        'BadRequest',
        /out-of-tenant user .* owner role/,
      ],
      [
        'a federated user named in a tenant that is not theirs',
        { ...example7, members: [member(users.lee), member(users.miriam, ['owner'], { tenantId: demoTenant })] },
        404,
        'NotFound',
        /named in members/,
      ],
      [
        'more than one installed app',
        {
          ...example2,
          installedApps: [
            { 'teamsApp@odata.bind': 'https://graph.microsoft.com/beta/appCatalogs/teamsApps/a' },
            { 'teamsApp@odata.bind': 'https://graph.microsoft.com/beta/appCatalogs/teamsApps/b' },
          ],
        },
        400,
        'BadRequest',
        /Only one app/,
      ],
      [
        'a malformed teamsApp@odata.bind',
        { ...example2, installedApps: [{ 'teamsApp@odata.bind': 'https://graph.microsoft.com/beta/teamsApps' }] },
        400,
        'BadRequest',
        /teamsApp@odata.bind/,
      ],
      [
        'a delegated caller who is not among the members',
        { ...example2, members: [member(users.isaiah), member(users.johanna)] },
        403,
        'Forbidden',
        /not a member/,
      ],
      ['a missing chatType', { members: example2.members }, 400, 'BadRequest', /chatType must be/],
      ['an unknown chatType', { ...example2, chatType: 'meeting' }, 400, 'BadRequest', /chatType must be/],
      ['members null', { chatType: 'group', members: null }, 400, 'BadRequest', /^Chat members cannot be null\. \(Parameter 'Members'\)$/],
      [
        'a malformed user@odata.bind',
        { chatType: 'group', members: [member(users.lee), { ...member(users.isaiah), 'user@odata.bind': 'users:82fe7758' }] },
        400,
        'BadRequest',
        /Invalid user@odata.bind/,
      ],
      [
        'a user@odata.bind with a malformed percent-escape',
        {
          chatType: 'group',
          members: [member(users.lee), { ...member(users.isaiah), 'user@odata.bind': "https://graph.microsoft.com/v1.0/users('%E0%A4%A')" }],
        },
        400,
        'BadRequest',
        /Invalid user@odata.bind/,
      ],
      [
        'a member without the aadUserConversationMember type',
        { chatType: 'group', members: [member(users.lee), { ...member(users.isaiah), '@odata.type': '#microsoft.graph.conversationMember' }] },
        400,
        'BadRequest',
        /@odata.type/,
      ],
      [
        'a member listed twice',
        { chatType: 'group', members: [member(users.lee), member(users.isaiah), member('IsaiahL@contoso.com')] },
        400,
        'BadRequest',
        /more than once/,
      ],
      [
        'a member role that is neither owner nor guest',
        { chatType: 'group', members: [member(users.lee), member(users.isaiah, ['admin'])] },
        400,
        'BadRequest',
        /owner or guest/,
      ],
      [
        'an unknown chat property',
        { ...example2, colour: 'blue' },
        400,
        'BadRequest',
        /^The property 'colour' does not exist on type 'microsoft\.graph\.chat'\./,
      ],
      [
        'an unknown member property',
        { chatType: 'group', members: [member(users.lee), member(users.isaiah, ['owner'], { nickname: 'Ike' })] },
        400,
        'BadRequest',
        /'nickname' does not exist on type 'microsoft\.graph\.aadUserConversationMember'/,
      ],
      ['a topic with a colon', { ...example2, topic: 'Plan: Q4' }, 400, 'BadRequest', /cannot contain ':'/],
    ];
    for (const [what, body, status, code, message] of rejected) {
      it(`${status} when ${what}, leaving nothing written`, async () => {
        const before = await rowCounts(server);
        assertGraphError(await server.request('POST', '/beta/chats', { body, headers: lee }), status, code, message);
        assert.deepEqual(await rowCounts(server), before);
      });
    }

    it('400 when the body is not a JSON object', async () => {
      assertGraphError(await server.request('POST', '/v1.0/chats', { body: [example2], headers: lee }), 400, 'BadRequest');
    });
  });

  describe(`chat-create races on ${dialect}`, () => {
    let server: TestServer;
    let second: ServerProcess;
    before(async () => {
      server = await startSharedTestServer(dialect);
      second = await spawnSecondInstance(server);
    });
    after(async () => {
      await second.stop();
      await server.close();
    });

    it('201 with one chat when the same one-on-one is created at once on two instances sharing the database', async () => {
      const app = bearer(await appToken(server));
      const body = { chatType: 'oneOnOne', members: [member(users.grady), member(users.isaiah)] };
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? server : second).request('POST', '/v1.0/chats', { body, headers: app })),
      );
      for (const response of responses) assertStatus(response, 201);
      const chatId = `19:${users.isaiah}_${users.grady}@unq.gbl.spaces`;
      assert.deepEqual(new Set(responses.map((response) => response.body.id)), new Set([chatId]));
      const chats = await server.store.db.selectFrom('chats').select('id').where('id', '=', chatId).execute();
      const members = await server.store.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).execute();
      assert.equal(chats.length, 1);
      assert.equal(members.length, 2);
      // Each process reads the one chat the other may have made.
      for (const instance of [server, second]) {
        const read = await instance.request('GET', `/v1.0/chats/${encodeURIComponent(chatId)}/members`, { headers: app });
        assertStatus(read, 200);
        assert.deepEqual(read.body.value.map((m: { userId: string }) => m.userId).sort(), [users.grady, users.isaiah].sort());
      }
    });
  });
}
