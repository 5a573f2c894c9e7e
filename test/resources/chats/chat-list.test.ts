import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { assertGraphType } from '../../helpers/graph-schema.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer } from '../../helpers/tokens.ts';
import { seededGroupChat, seededOneOnOne, users } from './chat-fixtures.ts';

for (const dialect of testDialects()) {
  describe(`chat-list on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 lists the caller chats, latest message first, with lastMessagePreview expanded', async () => {
      const response = await server.request('GET', '/v1.0/chats?$expand=lastMessagePreview&$orderby=lastMessagePreview/createdDateTime desc');
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#chats`);
      assert.deepEqual(
        response.body.value.map((chat: { id: string }) => chat.id),
        [seededOneOnOne, seededGroupChat, '19:2da4c29f6d7041eca70b638b43d45437@thread.v2'],
      );
      assert.equal(response.body.value[0].lastMessagePreview.body.content, 'Sure, 12:30.');
      assert.equal(response.body.value[0].lastMessagePreview.from.user.displayName, 'Megan Bowen');
      for (const chat of response.body.value) {
        assertGraphType('microsoft.graph.chatMessageInfo', chat.lastMessagePreview);
      }
    });

    it('200 pages with $top and a nextLink that keeps the options', async () => {
      const first = await server.request('GET', '/v1.0/me/chats?$top=2&$expand=members');
      assertStatus(first, 200);
      assert.equal(first.body.value.length, 2);
      assert.equal(first.body.value[0].members.length, 2);
      const next = await server.request('GET', first.body['@odata.nextLink'].slice(server.url.length));
      assertStatus(next, 200);
      assert.equal(next.body.value.length, 1);
      assert.equal(next.body['@odata.nextLink'], undefined);
      assert.equal(next.body.value[0].members.length, 3);
    });

    it('200 for the app at /users/{id}/chats; 400 for the app at /chats', async () => {
      const app = bearer(await appToken(server));
      const response = await server.request('GET', `/v1.0/users/${users.lee}/chats`, { headers: app });
      assertStatus(response, 200);
      assert.equal(response.body.value.length, 2);
      assertGraphError(await server.request('GET', '/v1.0/chats', { headers: app }), 400, 'BadRequest');
    });

    it('400 for $top over 50 and for an ascending $orderby; 403 for another user delegated', async () => {
      assertGraphError(await server.request('GET', '/v1.0/chats?$top=51'), 400, 'BadRequest');
      assertGraphError(await server.request('GET', '/v1.0/chats?$orderby=lastMessagePreview/createdDateTime asc'), 400, 'BadRequest');
      assertGraphError(await server.request('GET', `/v1.0/users/${users.lee}/chats`), 403, 'Forbidden');
    });
  });
}
