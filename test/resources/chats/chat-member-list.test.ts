import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { demoTenant, seededGroupChat, users } from './chat-fixtures.ts';

const membersPath = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}/members`;

for (const dialect of testDialects()) {
  describe(`chat-member-list and chat-member-get on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 lists the roster as aadUserConversationMembers at every alias', async () => {
      const response = await server.request('GET', membersPath);
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#chats('${encodeURIComponent(seededGroupChat)}')/members`);
      const adele = response.body.value.find((m: { userId: string }) => m.userId === users.adele);
      assert.deepEqual(adele, {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        id: Buffer.from(`0##${demoTenant}##${seededGroupChat}##${users.adele}`).toString('base64'),
        roles: ['owner'],
        displayName: 'Adele Vance',
        visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
        userId: users.adele,
        email: adele.email,
        tenantId: demoTenant,
      });
      assert.deepEqual((await server.request('GET', `/v1.0/me/chats/${encodeURIComponent(seededGroupChat)}/members`)).body.value, response.body.value);
      assert.deepEqual(
        (await server.request('GET', `/v1.0/users/${users.adele}/chats/${encodeURIComponent(seededGroupChat)}/members`)).body.value,
        response.body.value,
      );
    });

    it('200 gets one member by its membership id; 404 for an id of another chat', async () => {
      const id = Buffer.from(`0##${demoTenant}##${seededGroupChat}##${users.megan}`).toString('base64');
      const response = await server.request('GET', `${membersPath}/${encodeURIComponent(id)}`);
      assertStatus(response, 200);
      assert.equal(response.body.displayName, 'Megan Bowen');
      const foreign = Buffer.from(`0##${demoTenant}##19:other@thread.v2##${users.megan}`).toString('base64');
      assertGraphError(await server.request('GET', `${membersPath}/${encodeURIComponent(foreign)}`), 404, 'NotFound');
    });

    it('403 for a delegated caller outside the chat', async () => {
      const johanna = bearer(await userToken(server, 'JohannaL@contoso.com'));
      assertGraphError(await server.request('GET', membersPath, { headers: johanna }), 403, 'Forbidden');
    });
  });
}
