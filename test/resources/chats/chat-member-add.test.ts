import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { member, seededGroupChat, seededOneOnOne, users } from './chat-fixtures.ts';

const membersPath = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}/members`;

async function rosterSize(server: TestServer, chatId: string): Promise<number> {
  return (await server.store.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).execute()).length;
}

for (const dialect of testDialects()) {
  describe(`chat-member-add on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('201 adds a member with a path-style Location and no history by default', async () => {
      const response = await server.request('POST', membersPath, { body: member(users.johanna) });
      assertStatus(response, 201);
      assert.equal(response.headers.get('location'), `/chats/${seededGroupChat}/members/${response.body.id}`);
      assert.equal(response.body.userId, users.johanna);
      const listed = await server.request(
        'GET',
        response.headers.get('location')?.replace('/chats/', '/v1.0/chats/').replace(seededGroupChat, encodeURIComponent(seededGroupChat)) ?? '',
      );
      assertStatus(listed, 200);
      assert.equal(await rosterSize(server, seededGroupChat), 4);
    });

    it('409 for a user already in the chat; 400 on a oneOnOne chat; 404 for an unknown user; nothing written', async () => {
      assertGraphError(await server.request('POST', membersPath, { body: member(users.megan) }), 409, 'Conflict');
      assertGraphError(
        await server.request('POST', `/v1.0/chats/${encodeURIComponent(seededOneOnOne)}/members`, { body: member(users.lee) }),
        400,
        'BadRequest',
        /oneOnOne/,
      );
      assertGraphError(await server.request('POST', membersPath, { body: member('nobody@contoso.com') }), 404, 'NotFound');
      assert.equal(await rosterSize(server, seededGroupChat), 4);
      assert.equal(await rosterSize(server, seededOneOnOne), 2);
    });
  });
}
