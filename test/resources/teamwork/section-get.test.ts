import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { assertGraphType } from '../../helpers/graph-schema.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { favoritesId, oneOnOneChatId, sectionsUrl, seedVersion, systemId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-get on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });

    it('200 returns the section with an ETag header equal to its etag', async () => {
      const response = await server.request('GET', `${sectionsUrl}/${favoritesId}`);
      assertStatus(response, 200);
      assert.equal(response.headers.get('etag'), `"${seedVersion}"`);
      assert.equal(response.body['@odata.etag'], `"${seedVersion}"`);
      assert.equal(response.body.displayName, 'Favorites');
      assert.equal(response.body.items, undefined);
    });

    it('304 for If-None-Match equal to the current version, 200 otherwise', async () => {
      const same = await server.request('GET', `${sectionsUrl}/${favoritesId}`, { headers: { 'if-none-match': `"${seedVersion}"` } });
      assert.equal(same.status, 304);
      assert.equal(same.text, '');
      assertStatus(await server.request('GET', `${sectionsUrl}/${favoritesId}`, { headers: { 'if-none-match': '"1"' } }), 200);
    });

    it('200 with $expand=items: items of a user section, [] for a system section', async () => {
      const user = await server.request('GET', `${sectionsUrl}/${favoritesId}?$expand=items`);
      assertStatus(user, 200);
      assert.deepEqual(
        user.body.items.map((item: { id: string }) => item.id),
        [oneOnOneChatId],
      );
      for (const item of user.body.items) assertGraphType('microsoft.graph.teamworkSectionItem', item);
      const system = await server.request('GET', `/beta/me/teamwork/sections/${systemId('RecentChats')}?$expand=items`);
      assertStatus(system, 200);
      assert.deepEqual(system.body.items, []);
    });

    it('404 for an unknown section, 400 for an unknown $expand, 400 on v1.0', async () => {
      assertGraphError(await server.request('GET', `${sectionsUrl}/nope`), 404, 'NotFound', 'The specified section was not found.');
      assertGraphError(await server.request('GET', `${sectionsUrl}/${favoritesId}?$expand=owner`), 400, 'BadRequest');
      assertGraphError(await server.request('GET', `/v1.0/users/${favoritesId}/teamwork/sections`), 400, 'BadRequest');
    });
  });
}
