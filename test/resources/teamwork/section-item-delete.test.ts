import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { currentVersion, favoritesId, ifMatch, oneOnOneChatId, phoenixId, sectionsUrl, seedVersion, systemId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-item-delete on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });
    const remove = (sectionId: string, itemId: string, version: number = seedVersion) =>
      server.request('DELETE', `${sectionsUrl}/${sectionId}/items/${itemId}`, { headers: ifMatch(version) });

    it('204 removes the item, which returns to its system section and can be added again', async () => {
      assertStatus(await remove(favoritesId, oneOnOneChatId), 204);
      assert.deepEqual((await server.request('GET', `${sectionsUrl}/${favoritesId}/items`)).body.value, []);
      const added = await server.request('POST', `${sectionsUrl}/${phoenixId}/items`, { body: { id: oneOnOneChatId }, headers: ifMatch(seedVersion + 10) });
      assertStatus(added, 201);
    });

    it('404 for an item not in this section or an unknown section; 403 for a system section', async () => {
      assertGraphError(await remove(phoenixId, oneOnOneChatId), 404, 'NotFound', 'The specified item was not found in this section.');
      assertGraphError(await remove('nope', oneOnOneChatId), 404, 'NotFound', 'The specified section was not found.');
      assertGraphError(await remove(systemId('RecentChats'), oneOnOneChatId), 403, 'Forbidden');
      assert.equal(await currentVersion(server), seedVersion);
    });

    it('428 without If-Match and 412 with a stale one, and the item stays', async () => {
      assertGraphError(await server.request('DELETE', `${sectionsUrl}/${favoritesId}/items/${oneOnOneChatId}`), 428, 'PreconditionRequired');
      assertGraphError(await remove(favoritesId, oneOnOneChatId, 3), 412, 'PreconditionFailed');
      assert.equal((await server.request('GET', `${sectionsUrl}/${favoritesId}/items`)).body.value.length, 1);
    });
  });
}
