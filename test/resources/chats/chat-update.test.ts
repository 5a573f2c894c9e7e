import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { seededGroupChat, seededOneOnOne } from './chat-fixtures.ts';

const groupPath = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}`;

for (const dialect of testDialects()) {
  describe(`chat-update on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 renames a group chat and bumps lastUpdatedDateTime', async () => {
      const before = await server.request('GET', groupPath);
      const response = await server.request('PATCH', groupPath, { body: { topic: 'Q4 planning (final)' } });
      assertStatus(response, 200);
      assert.equal(response.body.topic, 'Q4 planning (final)');
      assert.ok(response.body.lastUpdatedDateTime > before.body.lastUpdatedDateTime);
      assert.equal((await server.request('GET', groupPath)).body.topic, 'Q4 planning (final)');
    });

    it('400 for a topic over 250 characters, with a colon, on a oneOnOne chat, or for another property', async () => {
      assertGraphError(await server.request('PATCH', groupPath, { body: { topic: 'x'.repeat(251) } }), 400, 'BadRequest', /250/);
      assertGraphError(await server.request('PATCH', groupPath, { body: { topic: 'a:b' } }), 400, 'BadRequest', /':'/);
      assertGraphError(await server.request('PATCH', `/v1.0/chats/${encodeURIComponent(seededOneOnOne)}`, { body: { topic: 'Lunch' } }), 400, 'BadRequest');
      assertGraphError(await server.request('PATCH', groupPath, { body: { chatType: 'oneOnOne' } }), 400, 'BadRequest');
      assert.equal((await server.request('GET', groupPath)).body.topic, 'Q4 planning (final)');
    });
  });
}
