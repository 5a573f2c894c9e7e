import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { currentVersion, favoritesId, ifMatch, oneOnOneChatId, sectionsUrl, seedVersion, snapshot, systemId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-delete on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });
    const remove = (sectionId: string, version: number = seedVersion) => server.request('DELETE', `${sectionsUrl}/${sectionId}`, { headers: ifMatch(version) });

    it('204 deletes the section; its items return to their system section and the order forgets it', async () => {
      assertStatus(await remove(favoritesId), 204);
      const state = await snapshot(server);
      assert.equal(state.version, String(seedVersion + 10));
      assert.ok(!state.order.includes(favoritesId));
      assert.ok(!Object.values(state.items).flat().includes(oneOnOneChatId));
      assertGraphError(await server.request('GET', `${sectionsUrl}/${favoritesId}`), 404, 'NotFound');
      // Back in RecentChats, the chat may be filed again.
      const phoenix = state.order.find((id) => id.startsWith('a1b2')) as string;
      assertStatus(await server.request('POST', `${sectionsUrl}/${phoenix}/items`, { body: { id: oneOnOneChatId }, headers: ifMatch(seedVersion + 10) }), 201);
    });

    it('403 for a system section', async () => {
      assertGraphError(
        await remove(systemId('QuickViews')),
        403,
        'Forbidden',
        "This section is system-generated and cannot be modified. System-defined sections can't be deleted.",
      );
      assert.equal(await currentVersion(server), seedVersion);
    });

    it('404 for an unknown section', async () => {
      assertGraphError(await remove('nope'), 404, 'NotFound', 'The specified section was not found.');
    });

    it('428 without If-Match and 412 with a stale one, and nothing is deleted', async () => {
      assertGraphError(await server.request('DELETE', `${sectionsUrl}/${favoritesId}`), 428, 'PreconditionRequired');
      assertGraphError(await remove(favoritesId, seedVersion + 10), 412, 'PreconditionFailed');
      assertStatus(await server.request('GET', `${sectionsUrl}/${favoritesId}`), 200);
    });
  });
}
