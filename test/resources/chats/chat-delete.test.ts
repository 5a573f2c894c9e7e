import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { seededGroupChat } from './chat-fixtures.ts';

const groupPath = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}`;

for (const dialect of testDialects()) {
  describe(`chat-delete on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('403 for a delegated caller who is not a tenant admin, leaving the chat', async () => {
      const megan = bearer(await userToken(server, 'MeganB@contoso.com'));
      assertGraphError(await server.request('DELETE', groupPath, { headers: megan }), 403, 'Forbidden');
      assertStatus(await server.request('GET', groupPath), 200);
    });

    it('204 deletes the chat with its roster and messages for an admin; then 404', async () => {
      assertStatus(await server.request('DELETE', groupPath), 204);
      assertGraphError(await server.request('GET', groupPath), 404, 'NotFound');
      const messages = await server.store.db.selectFrom('messages').select('id').where('container_id', '=', seededGroupChat).execute();
      const members = await server.store.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', seededGroupChat).execute();
      assert.equal(messages.length + members.length, 0);
      assertGraphError(await server.request('DELETE', groupPath), 404, 'NotFound');
    });
  });
}
