import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer } from '../../helpers/tokens.ts';
import { seededGroupChat, users } from './chat-fixtures.ts';

const chatKey = encodeURIComponent(seededGroupChat);

for (const dialect of testDialects()) {
  describe(`chat-message-list and chat-message-get on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 lists newest first and pages with $top and nextLink', async () => {
      const first = await server.request('GET', `/v1.0/chats/${chatKey}/messages?$top=2`);
      assertStatus(first, 200);
      assert.deepEqual(
        first.body.value.map((m: { body: { content: string } }) => m.body.content),
        ['<p>Final numbers are <b>in</b>.</p>', 'Campaign calendar draft attached tomorrow.'],
      );
      const next = await server.request('GET', first.body['@odata.nextLink'].slice(server.url.length));
      assert.deepEqual(
        next.body.value.map((m: { body: { content: string } }) => m.body.content),
        ['Kicking off Q4 planning here.'],
      );
      assert.equal(next.body['@odata.nextLink'], undefined);
    });

    it('200 at /me and /users/{id}, for the app too; 400 for $top over 50', async () => {
      assertStatus(await server.request('GET', `/v1.0/me/chats/${chatKey}/messages`), 200);
      const app = bearer(await appToken(server));
      assertStatus(await server.request('GET', `/v1.0/users/${users.megan}/chats/${chatKey}/messages`, { headers: app }), 200);
      assertGraphError(await server.request('GET', `/v1.0/chats/${chatKey}/messages?$top=51`), 400, 'BadRequest');
    });

    it('200 gets one message by id; 404 for an unknown id', async () => {
      const id = String(Date.parse('2026-09-01T09:01:00Z'));
      const response = await server.request('GET', `/v1.0/chats/${chatKey}/messages/${id}`);
      assertStatus(response, 200);
      assert.equal(response.body.body.content, 'Kicking off Q4 planning here.');
      assertGraphError(await server.request('GET', `/v1.0/chats/${chatKey}/messages/1`), 404, 'NotFound');
    });

    it('names each message by its own sender, and filters on the sender name', async () => {
      const senders = (response: { body: { value: { from: { user: { displayName: string } } }[] } }) => response.body.value.map((m) => m.from.user.displayName);
      const all = await server.request('GET', `/v1.0/chats/${chatKey}/messages`);
      assertStatus(all, 200);
      assert.deepEqual(senders(all), ['Lee Gu', 'Megan Bowen', 'Adele Vance']);
      const filter = encodeURIComponent("from/user/displayName eq 'megan bowen'");
      const megan = await server.request('GET', `/v1.0/chats/${chatKey}/messages?$filter=${filter}`);
      assertStatus(megan, 200);
      assert.deepEqual(senders(megan), ['Megan Bowen']);
      assert.equal(megan.body.value[0].body.content, 'Campaign calendar draft attached tomorrow.');
    });
  });
}
