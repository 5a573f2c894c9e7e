import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { seededGroupChat } from './chat-fixtures.ts';

const messagesPath = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}/messages`;
const adeleMessage = String(Date.parse('2026-09-01T09:01:00Z'));
const meganMessage = String(Date.parse('2026-09-01T09:05:30Z'));

for (const dialect of testDialects()) {
  describe(`chat-message-update on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('204 edits the sender own message: body, lastEditedDateTime and a new etag', async () => {
      assertStatus(
        await server.request('PATCH', `${messagesPath}/${adeleMessage}`, { body: { body: { contentType: 'html', content: '<p>Kick-off</p>' } } }),
        204,
      );
      const message = await server.request('GET', `${messagesPath}/${adeleMessage}`);
      assert.deepEqual(message.body.body, { contentType: 'html', content: '<p>Kick-off</p>' });
      assert.notEqual(message.body.lastEditedDateTime, null);
      assert.notEqual(message.body.etag, adeleMessage);
    });

    it('204 with an OData annotation in the body, which changes nothing but what the body names', async () => {
      const url = `${messagesPath}/${adeleMessage}`;
      assertStatus(await server.request('PATCH', url, { body: { '@odata.type': '#microsoft.graph.chatMessage', importance: 'urgent' } }), 204);
      assert.equal((await server.request('GET', url)).body.importance, 'urgent');
    });

    it("403 for someone else's message; 400 for a property that cannot change", async () => {
      assertGraphError(await server.request('PATCH', `${messagesPath}/${meganMessage}`, { body: { body: { content: 'edited' } } }), 403, 'Forbidden');
      assertGraphError(
        await server.request('PATCH', `${messagesPath}/${adeleMessage}`, { body: { chatId: 'x' } }),
        400,
        'BadRequest',
        "The property 'chatId' cannot be updated on a chatMessage.",
      );
      assertGraphError(
        await server.request('PATCH', `${messagesPath}/${adeleMessage}`, { body: { importance: 'loud' } }),
        400,
        'BadRequest',
        'Invalid request body/importance: must be equal to constant.',
      );
      assertGraphError(
        await server.request('PATCH', `${messagesPath}/${adeleMessage}`, { body: { body: null } }),
        400,
        'BadRequest',
        'body.content must be a string.',
      );
      assertGraphError(
        await server.request('PATCH', `${messagesPath}/${adeleMessage}`, { body: { body: 'text' } }),
        400,
        'BadRequest',
        'body.content must be a string.',
      );
      assert.equal((await server.request('GET', `${messagesPath}/${meganMessage}`)).body.body.content, 'Campaign calendar draft attached tomorrow.');
    });
  });
}
