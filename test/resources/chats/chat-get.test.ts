import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { assertGraphType } from '../../helpers/graph-schema.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';
import { seededGroupChat, users } from './chat-fixtures.ts';

const chatPath = encodeURIComponent(seededGroupChat);

for (const dialect of testDialects()) {
  describe(`chat-get on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 returns a chat of the caller, with members expanded', async () => {
      const response = await server.request('GET', `/v1.0/chats/${chatPath}?$expand=members`);
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#chats/$entity`);
      assert.equal(response.body.topic, 'Q4 planning');
      assert.equal(response.body['members@odata.context'], `${server.url}/v1.0/$metadata#chats('${encodeURIComponent(seededGroupChat)}')/members`);
      assert.deepEqual(response.body.members.map((m: { displayName: string }) => m.displayName).sort(), ['Adele Vance', 'Lee Gu', 'Megan Bowen']);
      for (const member of response.body.members) assertGraphType('microsoft.graph.aadUserConversationMember', member);
    });

    it('200 at /me/chats/{id} and /users/{id}/chats/{id}, and for the app', async () => {
      assertStatus(await server.request('GET', `/v1.0/me/chats/${chatPath}`), 200);
      assertStatus(await server.request('GET', `/v1.0/users/${users.adele}/chats/${chatPath}`), 200);
      const app = bearer(await appToken(server));
      assertStatus(await server.request('GET', `/v1.0/chats/${chatPath}`, { headers: app }), 200);
      assertStatus(await server.request('GET', `/v1.0/users/${users.megan}/chats/${chatPath}`, { headers: app }), 200);
    });

    it('200 $select keeps the selected properties', async () => {
      const response = await server.request('GET', `/v1.0/chats/${chatPath}?$select=topic`);
      assert.deepEqual(Object.keys(response.body).sort(), ['@odata.context', 'id', 'topic']);
    });

    it('403 for a delegated caller who is not a member, and for another user path', async () => {
      const johanna = bearer(await userToken(server, 'JohannaL@contoso.com'));
      assertGraphError(await server.request('GET', `/v1.0/chats/${chatPath}`, { headers: johanna }), 403, 'Forbidden');
      assertGraphError(await server.request('GET', `/v1.0/users/${users.megan}/chats/${chatPath}`), 403, 'Forbidden');
    });

    it('with $expand=members (one read of chat and members) the same callers get the same answers', async () => {
      const expanded = `/v1.0/chats/${chatPath}?$expand=members`;
      const johanna = bearer(await userToken(server, 'JohannaL@contoso.com'));
      assertGraphError(await server.request('GET', expanded, { headers: johanna }), 403, 'Forbidden');
      assertGraphError(await server.request('GET', `/v1.0/users/${users.megan}/chats/${chatPath}?$expand=members`), 403, 'Forbidden');
      assertGraphError(await server.request('GET', `/v1.0/chats/${encodeURIComponent('19:nope@thread.v2')}?$expand=members`), 404, 'NotFound');
      const app = bearer(await appToken(server));
      const asApp = await server.request('GET', expanded, { headers: app });
      assertStatus(asApp, 200);
      assert.equal(asApp.body.members.length, 3);
      const viaMe = await server.request('GET', `/v1.0/me/chats/${chatPath}?$select=topic&$expand=members`);
      assertStatus(viaMe, 200);
      assert.deepEqual(Object.keys(viaMe.body).sort(), ['@odata.context', 'id', 'members', 'members@odata.context', 'topic']);
    });

    it('$expand=members brings the first 25 members of a larger chat, in the order they joined', async () => {
      const chatId = '19:many-members@thread.v2';
      const now = new Date().toISOString();
      const seeded = await server.store.db.selectFrom('chats').selectAll().where('id', '=', seededGroupChat).executeTakeFirstOrThrow();
      await server.store.db
        .insertInto('chats')
        .values({ ...seeded, id: chatId })
        .execute();
      const people = await server.store.db.selectFrom('users').select(['id', 'tenant_id']).limit(13).execute();
      // The demo tenant has 13 people; the rest of the roster are ids the directory does not know.
      const roster = Array.from({ length: 30 }, (_, i) => ({
        chat_id: chatId,
        user_id: i < people.length ? (people[i] as { id: string }).id : `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
        tenant_id: seeded.tenant_id,
        roles: '["owner"]',
        visible_history_start_date_time: '0001-01-01T00:00:00Z',
        created_date_time: new Date(Date.parse(now) + i).toISOString(),
      }));
      await server.store.db.insertInto('chat_members').values(roster).execute();
      const response = await server.request('GET', `/v1.0/chats/${encodeURIComponent(chatId)}?$expand=members`);
      assertStatus(response, 200);
      assert.deepEqual(
        response.body.members.map((member: { userId: string }) => member.userId),
        roster.slice(0, 25).map((row) => row.user_id),
      );
    });

    it('404 for an unknown chat, and 400 for an unsupported $expand', async () => {
      assertGraphError(await server.request('GET', `/v1.0/chats/${encodeURIComponent('19:nope@thread.v2')}`), 404, 'NotFound');
      assertGraphError(await server.request('GET', `/v1.0/chats/${chatPath}?$expand=tabs`), 400, 'BadRequest', /Could not find a property named 'tabs'/);
    });
  });
}
