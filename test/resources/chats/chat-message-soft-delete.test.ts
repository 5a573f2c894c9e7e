import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { seededGroupChat, users } from './chat-fixtures.ts';

const messagePath = (userId: string, messageId: string) => `/v1.0/users/${userId}/chats/${encodeURIComponent(seededGroupChat)}/messages/${messageId}`;
const adeleMessage = String(Date.parse('2026-09-01T09:01:00Z'));
const meganMessage = String(Date.parse('2026-09-01T09:05:30Z'));

for (const dialect of testDialects()) {
  describe(`chat-message-soft-delete and undo on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('204 softDelete hides the content and sets deletedDateTime; 204 undoSoftDelete restores it', async () => {
      assertStatus(await server.request('POST', `${messagePath(users.adele, adeleMessage)}/softDelete`), 204);
      const deleted = await server.request('GET', messagePath(users.adele, adeleMessage));
      assert.notEqual(deleted.body.deletedDateTime, null);
      assert.equal(deleted.body.body.content, '');
      assertStatus(await server.request('POST', `${messagePath(users.adele, adeleMessage)}/undoSoftDelete`), 204);
      const restored = await server.request('GET', messagePath(users.adele, adeleMessage));
      assert.equal(restored.body.deletedDateTime, null);
      assert.equal(restored.body.body.content, 'Kicking off Q4 planning here.');
    });

    it("403 for another user's path or message", async () => {
      assertGraphError(await server.request('POST', `${messagePath(users.megan, meganMessage)}/softDelete`), 403, 'Forbidden');
      assertGraphError(await server.request('POST', `${messagePath(users.adele, meganMessage)}/softDelete`), 403, 'Forbidden');
      assert.equal((await server.request('GET', messagePath(users.adele, meganMessage))).body.deletedDateTime, null);
    });
  });
}
