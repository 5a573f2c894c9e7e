import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { currentVersion, favoritesId, ifMatch, phoenixId, sectionsUrl, seedVersion, snapshot, systemId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-reorder on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });
    const reorder = (body: unknown, version: number = seedVersion) =>
      server.request('POST', `/beta/me/teamwork/sections/reorder`, { body, headers: ifMatch(version) });

    it('200 stores the new order and returns every section in it with the new etag', async () => {
      const order = (await snapshot(server)).order;
      const wanted = [order[0] as string, ...order.slice(1).reverse()];
      const response = await reorder({ sectionsOrder: wanted });
      assertStatus(response, 200);
      assert.deepEqual(
        response.body.value.map((section: { id: string }) => section.id),
        wanted,
      );
      for (const section of response.body.value) assert.equal(section['@odata.etag'], `"${seedVersion + 10}"`);
      assert.deepEqual((await snapshot(server)).order, wanted);
    });

    it('400 for a missing, empty, oversized or duplicated list', async () => {
      const message = 'The sectionsOrder property is missing, empty, exceeds the supported maximum, or contains null, empty, or duplicate IDs.';
      for (const body of [
        {},
        { sectionsOrder: [] },
        { sectionsOrder: [phoenixId, phoenixId] },
        { sectionsOrder: [null] },
        { sectionsOrder: [''] },
        { sectionsOrder: Array.from({ length: 57 }, (_, i) => String(i)) },
      ]) {
        assertGraphError(await reorder(body), 400, 'BadRequest', message);
      }
    });

    it('400 when the list is not the exact set of sections or QuickViews is not first, and nothing is written', async () => {
      const message =
        "The reorder list doesn't contain every current section exactly once, contains an unknown section ID, or doesn't place the QuickViews system section first.";
      const order = (await snapshot(server)).order;
      for (const wanted of [order.slice(1), [...order.slice(0, -1), 'unknown'], [...order.slice(1), order[0]]]) {
        assertGraphError(await reorder({ sectionsOrder: wanted }), 400, 'BadRequest', message);
      }
      assert.equal(await currentVersion(server), seedVersion);
      assert.ok(order.includes(systemId('QuickViews')) && order.includes(favoritesId));
    });

    it('428 without If-Match and 412 with a stale one', async () => {
      const order = (await snapshot(server)).order;
      assertGraphError(await server.request('POST', `${sectionsUrl}/reorder`, { body: { sectionsOrder: order } }), 428, 'PreconditionRequired');
      assertGraphError(await reorder({ sectionsOrder: order }, 7), 412, 'PreconditionFailed');
    });
  });
}
