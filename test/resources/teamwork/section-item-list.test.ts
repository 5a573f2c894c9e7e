import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { favoritesId, oneOnOneChatId, phoenixId, sectionsUrl, systemId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-item-list on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });

    it('200 lists the items of a user-defined section', async () => {
      const response = await server.request('GET', `${sectionsUrl}/${favoritesId}/items`);
      assertStatus(response, 200);
      assert.deepEqual(
        response.body.value.map((item: { id: string }) => item.id),
        [oneOnOneChatId],
      );
      assert.deepEqual((await server.request('GET', `/beta/me/teamwork/sections/${phoenixId}/items`)).body.value, []);
    });

    it('400 for a system section, 404 for an unknown one', async () => {
      assertGraphError(await server.request('GET', `${sectionsUrl}/${systemId('RecentChats')}/items`), 400, 'BadRequest');
      assertGraphError(await server.request('GET', `${sectionsUrl}/nope/items`), 404, 'NotFound', 'The specified section was not found.');
    });
  });
}
