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
      assertGraphType('microsoft.graph.chat', response.body);
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

    it('404 for an unknown chat, and 400 for an unsupported $expand', async () => {
      assertGraphError(await server.request('GET', `/v1.0/chats/${encodeURIComponent('19:nope@thread.v2')}`), 404, 'NotFound');
      assertGraphError(await server.request('GET', `/v1.0/chats/${chatPath}?$expand=tabs`), 400, 'BadRequest', /Could not find a property named 'tabs'/);
    });
  });
}
