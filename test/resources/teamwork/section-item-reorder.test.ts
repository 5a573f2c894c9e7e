import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { currentVersion, favoritesId, groupChatId, ifMatch, oneOnOneChatId, sectionsUrl, seedVersion, systemId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-item-reorder on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });
    const reorder = (sectionId: string, body: unknown, version: number = seedVersion) =>
      server.request('POST', `/beta/me/teamwork/sections/${sectionId}/items/reorder`, { body, headers: ifMatch(version) });

    it('200 stores the new item order and returns the items with the new etag', async () => {
      assertStatus(await server.request('POST', `${sectionsUrl}/${favoritesId}/items`, { body: { id: groupChatId }, headers: ifMatch(seedVersion) }), 201);
      const response = await reorder(favoritesId, { itemsOrder: [groupChatId, oneOnOneChatId] }, seedVersion + 10);
      assertStatus(response, 200);
      assert.deepEqual(
        response.body.value.map((item: { id: string }) => item.id),
        [groupChatId, oneOnOneChatId],
      );
      for (const item of response.body.value) assert.equal(item['@odata.etag'], `"${seedVersion + 20}"`);
      const listed = await server.request('GET', `${sectionsUrl}/${favoritesId}/items`);
      assert.deepEqual(
        listed.body.value.map((item: { id: string }) => item.id),
        [groupChatId, oneOnOneChatId],
      );
    });

    it('400 for a bad list or one that is not the exact set of items', async () => {
      const bad = 'The itemsOrder property is missing, empty, exceeds the supported maximum, or contains null, empty, or duplicate IDs.';
      for (const body of [{}, { itemsOrder: [] }, { itemsOrder: [oneOnOneChatId, oneOnOneChatId] }, { itemsOrder: [null] }]) {
        assertGraphError(await reorder(favoritesId, body), 400, 'BadRequest', bad);
      }
      assertGraphError(
        await reorder(favoritesId, { itemsOrder: [groupChatId] }),
        400,
        'BadRequest',
        "The reorder list doesn't contain every item in the section exactly once, or it contains an item ID that isn't in the section.",
      );
      assert.equal(await currentVersion(server), seedVersion);
    });

    it('403 for a system section, 404 for an unknown one', async () => {
      assertGraphError(
        await reorder(systemId('RecentChats'), { itemsOrder: [oneOnOneChatId] }),
        403,
        'Forbidden',
        "This section is system-generated and can't be modified. Reorder items only in user-defined sections.",
      );
      assertGraphError(await reorder('nope', { itemsOrder: [oneOnOneChatId] }), 404, 'NotFound', "The specified section wasn't found.");
    });

    it('409 when the section does not sort by userDefinedCustomOrder', async () => {
      assertStatus(await server.request('PATCH', `${sectionsUrl}/${favoritesId}`, { body: { sortType: 'mostRecent' }, headers: ifMatch(seedVersion) }), 200);
      assertGraphError(
        await reorder(favoritesId, { itemsOrder: [oneOnOneChatId] }, seedVersion + 10),
        409,
        'Conflict',
        'Reordering is only supported when the section sortType is userDefinedCustomOrder. Update the section to use this sort type, then retry.',
      );
    });

    it('428 without If-Match and 412 with a stale one', async () => {
      assertGraphError(
        await server.request('POST', `${sectionsUrl}/${favoritesId}/items/reorder`, { body: { itemsOrder: [oneOnOneChatId] } }),
        428,
        'PreconditionRequired',
      );
      assertGraphError(await reorder(favoritesId, { itemsOrder: [oneOnOneChatId] }, 5), 412, 'PreconditionFailed');
    });
  });
}
