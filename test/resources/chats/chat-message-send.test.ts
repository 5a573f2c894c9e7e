import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { seededGroupChat, users } from './chat-fixtures.ts';

const chatPath = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}`;

for (const dialect of testDialects()) {
  describe(`chat-message-send on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('201 sends a text message; the chat shows it as lastMessagePreview and bumps lastUpdatedDateTime', async () => {
      const response = await server.request('POST', `${chatPath}/messages`, { body: { body: { content: 'Hello world' } } });
      assertStatus(response, 201);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#chats('${encodeURIComponent(seededGroupChat)}')/messages/$entity`);
      assert.match(response.body.id, /^\d{13}$/);
      assert.equal(response.body.etag, response.body.id);
      assert.equal(response.body.chatId, seededGroupChat);
      assert.equal(response.body.channelIdentity, null);
      assert.equal(response.body.messageType, 'message');
      assert.deepEqual(response.body.body, { contentType: 'text', content: 'Hello world' });
      assert.equal(response.body.from.user.id, users.adele);
      assert.equal(response.body.from.user.displayName, 'Adele Vance');
      const chats = await server.request('GET', '/v1.0/chats?$expand=lastMessagePreview');
      assert.equal(chats.body.value[0].id, seededGroupChat);
      assert.equal(chats.body.value[0].lastMessagePreview.id, response.body.id);
      assert.equal(chats.body.value[0].lastUpdatedDateTime, response.body.createdDateTime);
    });

    it('201 keeps html bodies, and messages sent at once get distinct ids', async () => {
      const sent = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          server.request('POST', `${chatPath}/messages`, { body: { body: { contentType: 'html', content: `<p>${i}</p>` } } }),
        ),
      );
      for (const response of sent) assertStatus(response, 201);
      assert.equal(new Set(sent.map((response) => response.body.id)).size, 5);
      assert.equal(sent[0]?.body.body.contentType, 'html');
    });

    it('400 without body.content; 403 for a caller outside the chat; nothing written', async () => {
      const count = async () => (await server.store.db.selectFrom('messages').select('id').where('container_id', '=', seededGroupChat).execute()).length;
      const before = await count();
      assertGraphError(await server.request('POST', `${chatPath}/messages`, { body: { body: {} } }), 400, 'BadRequest');
      const johanna = bearer(await userToken(server, 'JohannaL@contoso.com'));
      assertGraphError(await server.request('POST', `${chatPath}/messages`, { body: { body: { content: 'hi' } }, headers: johanna }), 403, 'Forbidden');
      assert.equal(await count(), before);
    });

    it('404 for a chat that does not exist', async () => {
      const unknown = encodeURIComponent('19:00000000000000000000000000000000@thread.v2');
      assertGraphError(await server.request('POST', `/v1.0/chats/${unknown}/messages`, { body: { body: { content: 'hi' } } }), 404, 'NotFound');
    });
  });
}
