import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type ServerProcess, spawnSecondInstance } from '../../helpers/processes.ts';
import { type TestServer, startSharedTestServer } from '../../helpers/server.ts';
import { favoritesId, groupChatId, ifMatch, oneOnOneChatId, phoenixId, sectionsUrl, seedVersion, snapshot } from './fixtures.ts';

// Two teamgraph processes on one database (a PostgreSQL database, or a SQLite file in WAL mode): the
// compare-and-set on the user's version must let exactly one of many writers holding the same If-Match win.
for (const dialect of testDialects()) {
  describe(`sections If-Match across two instances on ${dialect}`, () => {
    let first: TestServer;
    let second: ServerProcess;
    before(async () => {
      first = await startSharedTestServer(dialect);
      second = await spawnSecondInstance(first);
    });
    after(async () => {
      await second.stop();
      await first.close();
    });

    it('200/201 for exactly one of 20 concurrent mutations with the same If-Match, 412 for the rest', async () => {
      const mutations = Array.from({ length: 20 }, (_, index) => {
        const server = index % 2 === 0 ? first : second;
        const headers = ifMatch(seedVersion);
        switch (index % 4) {
          case 0:
            return server.request('POST', `${sectionsUrl}/${phoenixId}/items`, { body: { id: groupChatId }, headers });
          case 1:
            return server.request('POST', `${sectionsUrl}/${favoritesId}/items/${oneOnOneChatId}/move`, { body: { targetSectionId: phoenixId }, headers });
          case 2:
            return server.request('POST', sectionsUrl, { body: { displayName: `Race ${index}` }, headers });
          default:
            return server.request('DELETE', `${sectionsUrl}/${favoritesId}/items/${oneOnOneChatId}`, { headers });
        }
      });
      const responses = await Promise.all(mutations);
      const statuses = responses.map((response) => response.status);
      assert.equal(statuses.filter((status) => status < 300).length, 1, statuses.join(','));
      assert.equal(statuses.filter((status) => status === 412).length, 19, statuses.join(','));

      const state = await snapshot(second);
      assert.equal(state.version, String(seedVersion + 10));
      assert.deepEqual(await snapshot(first), state);
      assert.equal(new Set(state.order).size, state.order.length);
      assert.deepEqual([...state.order].sort(), Object.keys(state.items).sort());
      const filed = Object.values(state.items).flat();
      assert.equal(new Set(filed).size, filed.length, 'an item sits in two sections');
    });
  });
}
