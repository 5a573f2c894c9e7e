import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, createConversation, itAdminsId, salesId } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';

for (const dialect of testDialects()) {
  describe(`conversation-list on ${dialect}`, () => {
    let server: TestServer;
    let adele: Record<string, string>;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
      adele = bearer(await userToken(server, 'AdeleV@contoso.com'));
      for (const topic of ['First', 'Second', 'Third']) await createConversation(server, allCompanyId, topic, `${topic} post`, adele);
    });
    after(() => server.close());

    it('200 lists the group conversations newest first, as Graph conversations', async () => {
      const response = await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations`, { headers: adele });
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#groups('${allCompanyId}')/conversations`);
      assert.deepEqual(
        response.body.value.map((c: { topic: string }) => c.topic),
        ['Third', 'Second', 'First'],
      );
    });

    it('200 lists the conversation the demo tenant seeds in Mark 8, summarised from its posts', async () => {
      const response = await server.request('GET', '/v1.0/groups/7640023f-fe43-4cc7-9bd3-84a9efe4acd6/conversations', { headers: adele });
      assertStatus(response, 200);
      assert.deepEqual(response.body.value, [
        {
          id: response.body.value[0].id,
          topic: 'Mark 8 launch readiness',
          hasAttachments: false,
          lastDeliveredDateTime: '2026-11-03T08:47:00.000Z',
          uniqueSenders: ['Diego Siciliani', 'Adele Vance', 'Grady Archie'],
          preview: 'Firmware 1.2 passed certification.',
        },
      ]);
    });

    it('200 pages with $top and an absolute nextLink that keeps $select', async () => {
      const first = await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations?$top=2&$select=topic`, { headers: adele });
      assertStatus(first, 200);
      assert.deepEqual(
        first.body.value.map((c: { topic: string }) => c.topic),
        ['Third', 'Second'],
      );
      assert.deepEqual(Object.keys(first.body.value[0]).sort(), ['id', 'topic']);
      const nextLink: string = first.body['@odata.nextLink'];
      assert.ok(nextLink.startsWith(`${server.url}/v1.0/groups/${allCompanyId}/conversations?`), nextLink);
      assert.match(nextLink, /\$select=topic/);
      const second = await server.request('GET', nextLink.slice(server.url.length), { headers: adele });
      assertStatus(second, 200);
      assert.deepEqual(
        second.body.value.map((c: { topic: string }) => c.topic),
        ['First'],
      );
      assert.equal(second.body['@odata.nextLink'], undefined);
    });

    it('200 for an app with Group-Conversation.Read.All, in a public group and in a private one it is in no roster of', async () => {
      const app = bearer(await appToken(server));
      const response = await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations`, { headers: app });
      assertStatus(response, 200);
      assert.equal(response.body.value.length, 3);
      const { conversationId } = await createConversation(server, salesId, 'Private pipeline', 'numbers', adele);
      const privateGroup = await server.request('GET', `/v1.0/groups/${salesId}/conversations`, { headers: app });
      assertStatus(privateGroup, 200);
      assert.deepEqual(
        privateGroup.body.value.map((conversation: { id: string }) => conversation.id),
        [conversationId],
      );
      assertStatus(await server.request('DELETE', `/v1.0/groups/${salesId}/conversations/${conversationId}`, { headers: adele }), 204);
    });

    it('200 for a user of the tenant outside a public group: its conversations are open to the tenant', async () => {
      const pattiId = '6d1e1501-7a3d-45b7-b71b-68d372e5ce14';
      await server.store.db.deleteFrom('group_members').where('group_id', '=', allCompanyId).where('user_id', '=', pattiId).execute();
      try {
        const response = await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations`, {
          headers: bearer(await userToken(server, 'PattiF@contoso.com')),
        });
        assertStatus(response, 200);
        assert.equal(response.body.value.length, 3);
      } finally {
        await server.store.db.insertInto('group_members').values({ group_id: allCompanyId, user_id: pattiId, role: 'member' }).execute();
      }
    });

    it('200 empty for a private group the caller belongs to; 403 ErrorAccessDenied for one they do not', async () => {
      const member = await server.request('GET', `/v1.0/groups/${salesId}/conversations`, { headers: bearer(await userToken(server, 'IsaiahL@contoso.com')) });
      assertStatus(member, 200);
      assert.deepEqual(member.body.value, []);
      const outsider = await server.request('GET', `/v1.0/groups/${salesId}/conversations`, { headers: bearer(await userToken(server, 'LeeG@contoso.com')) });
      assertGraphError(outsider, 403, 'ErrorAccessDenied');
    });

    it('200 for a tenant admin outside a private group', async () => {
      const adeleId = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
      await server.store.db.deleteFrom('group_members').where('group_id', '=', salesId).where('user_id', '=', adeleId).execute();
      try {
        assertStatus(await server.request('GET', `/v1.0/groups/${salesId}/conversations`, { headers: adele }), 200);
      } finally {
        await server.store.db.insertInto('group_members').values({ group_id: salesId, user_id: adeleId, role: 'member' }).execute();
      }
    });

    it('400 for an unknown $select property or a $top out of range; 404 for a security group', async () => {
      assertGraphError(await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations?$select=nope`, { headers: adele }), 400, 'BadRequest');
      assertGraphError(await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations?$top=0`, { headers: adele }), 400, 'BadRequest');
      assertGraphError(await server.request('GET', `/v1.0/groups/${itAdminsId}/conversations`, { headers: adele }), 404, 'ResourceNotFound');
    });
  });
}
