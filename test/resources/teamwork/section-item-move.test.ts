import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { currentVersion, favoritesId, ifMatch, oneOnOneChatId, phoenixId, sectionsUrl, seedVersion, snapshot, systemId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-item-move on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });
    const move = (sectionId: string, body: unknown, version: number = seedVersion, itemId = oneOnOneChatId) =>
      server.request('POST', `${sectionsUrl}/${sectionId}/items/${itemId}/move`, { body, headers: ifMatch(version) });

    it('200 moves the item between user sections; createdDateTime is the move time, lastModifiedDateTime null', async () => {
      const response = await move(favoritesId, { targetSectionId: phoenixId });
      assertStatus(response, 200);
      assert.equal(response.body['@odata.etag'], `"${seedVersion + 10}"`);
      assert.equal(response.body.lastModifiedDateTime, null);
      assert.ok(response.body.createdDateTime > '2026-03-01T09:01:00Z');
      const state = await snapshot(server);
      assert.deepEqual(state.items[phoenixId], [oneOnOneChatId]);
      assert.deepEqual(state.items[favoritesId], []);
      // And each section's own list says the same.
      assert.deepEqual((await server.request('GET', `${sectionsUrl}/${favoritesId}/items`)).body.value, []);
      const target = await server.request('GET', `${sectionsUrl}/${phoenixId}/items`);
      assertStatus(target, 200);
      assert.deepEqual(
        target.body.value.map((item: { id: string; createdDateTime: string }) => [item.id, item.createdDateTime]),
        [[oneOnOneChatId, response.body.createdDateTime]],
      );
    });

    it('400 without targetSectionId or with the same section', async () => {
      assertGraphError(await move(favoritesId, {}), 400, 'BadRequest', "The 'targetSectionId' property is required and must not be empty.");
      assertGraphError(await move(favoritesId, { targetSectionId: favoritesId }), 400, 'BadRequest', 'The source and target sections must be different.');
    });

    it('403 into or out of a system section, and nothing is written', async () => {
      const message =
        "This section is system-generated and cannot be modified. Items can't be moved into or out of system-defined sections by using this action.";
      assertGraphError(await move(favoritesId, { targetSectionId: systemId('RecentChats') }), 403, 'Forbidden', message);
      assertGraphError(await move(systemId('RecentChats'), { targetSectionId: phoenixId }), 403, 'Forbidden', message);
      assert.equal(await currentVersion(server), seedVersion);
    });

    it('404 for an unknown section, an unknown target or an item not in the section', async () => {
      const message = 'The specified section was not found, or the specified item was not found in this section.';
      assertGraphError(await move('nope', { targetSectionId: phoenixId }), 404, 'NotFound', message);
      assertGraphError(await move(favoritesId, { targetSectionId: 'nope' }), 404, 'NotFound', message);
      assertGraphError(await move(phoenixId, { targetSectionId: favoritesId }), 404, 'NotFound', message);
    });

    it('428 without If-Match and 412 with a stale one', async () => {
      assertGraphError(
        await server.request('POST', `${sectionsUrl}/${favoritesId}/items/${oneOnOneChatId}/move`, { body: { targetSectionId: phoenixId } }),
        428,
        'PreconditionRequired',
      );
      assertGraphError(await move(favoritesId, { targetSectionId: phoenixId }, seedVersion + 20), 412, 'PreconditionFailed');
    });
  });
}
