import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { demoTenant, seededGroupChat, seededOneOnOne, users } from './chat-fixtures.ts';

const membershipPath = (chatId: string, userId: string) =>
  `/v1.0/chats/${encodeURIComponent(chatId)}/members/${encodeURIComponent(Buffer.from(`0##${demoTenant}##${chatId}##${userId}`).toString('base64'))}`;

for (const dialect of testDialects()) {
  describe(`chat-member-remove on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('204 removes a member of a group chat; then 404', async () => {
      assertStatus(await server.request('DELETE', membershipPath(seededGroupChat, users.lee)), 204);
      assertGraphError(await server.request('GET', membershipPath(seededGroupChat, users.lee)), 404, 'NotFound');
      assertGraphError(await server.request('DELETE', membershipPath(seededGroupChat, users.lee)), 404, 'NotFound');
    });

    it('403 for a caller who is not a member of the chat, with the roster read back unchanged', async () => {
      const roster = async () =>
        (await server.request('GET', `/v1.0/chats/${encodeURIComponent(seededGroupChat)}/members`)).body.value.map((m: { userId: string }) => m.userId).sort();
      const before = await roster();
      assert.ok(before.includes(users.megan));
      const patti = await userToken(server, 'PattiF@contoso.com');
      assertGraphError(await server.request('DELETE', membershipPath(seededGroupChat, users.megan), { headers: bearer(patti) }), 403, 'Forbidden');
      assert.deepEqual(await roster(), before);
    });

    it('400 on a oneOnOne chat, whose roster is fixed', async () => {
      assertGraphError(await server.request('DELETE', membershipPath(seededOneOnOne, users.megan)), 400, 'BadRequest', /oneOnOne/);
      assert.equal((await server.store.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', seededOneOnOne).execute()).length, 2);
    });
  });
}
