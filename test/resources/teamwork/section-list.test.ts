import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { favoritesId, oneOnOneChatId, phoenixId, sectionsUrl, seedVersion, systemId } from './fixtures.ts';

const systemNames = ['QuickViews', 'RecentChats', 'TeamsAndChannels', 'MeetingChats', 'MutedChats', 'EngageCommunities'];

for (const dialect of testDialects()) {
  describe(`section-list on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });

    it('200 lists the six system sections and the user sections with sectionsOrder and sectionsVersion', async () => {
      const response = await server.request('GET', sectionsUrl);
      assertStatus(response, 200);
      assert.equal(response.body['@microsoft.graph.sectionsVersion'], String(seedVersion));
      const order = response.body['@microsoft.graph.sectionsOrder'];
      assert.deepEqual(order, [systemId('QuickViews'), phoenixId, favoritesId, ...systemNames.slice(1).map((name) => systemId(name))]);
      assert.deepEqual(
        response.body.value.map((section: { id: string }) => section.id),
        order,
      );
      for (const section of response.body.value) assert.equal(section['@odata.etag'], `"${seedVersion}"`);
      const me = await server.request('GET', '/beta/me/teamwork/sections');
      assert.deepEqual(me.body.value, response.body.value);
    });

    it('200 with $expand=items leaves out the annotations and gives system sections no items', async () => {
      const response = await server.request('GET', `${sectionsUrl}?$expand=items`);
      assertStatus(response, 200);
      assert.equal(response.body['@microsoft.graph.sectionsOrder'], undefined);
      assert.equal(response.body['@microsoft.graph.sectionsVersion'], undefined);
      const byId = new Map(response.body.value.map((section: { id: string; items: { id: string }[] }) => [section.id, section.items.map((item) => item.id)]));
      assert.deepEqual(byId.get(favoritesId), [oneOnOneChatId]);
      assert.deepEqual(byId.get(systemId('RecentChats')), []);
    });

    it('200 provisions the system sections of a user who never had any, once', async () => {
      const megan = '8b081ef6-4792-4def-b2c9-c363a1bf41d5';
      const appToken = await import('../../helpers/tokens.ts').then((tokens) => tokens.appToken(server));
      const headers = { authorization: `Bearer ${appToken}` };
      const [first, second] = await Promise.all([
        server.request('GET', `/beta/users/${megan}/teamwork/sections`, { headers }),
        server.request('GET', `/beta/users/${megan}/teamwork/sections`, { headers }),
      ]);
      assertStatus(first, 200);
      assert.deepEqual(
        first.body['@microsoft.graph.sectionsOrder'],
        systemNames.map((name) => systemId(name, megan)),
      );
      assert.deepEqual(second.body['@microsoft.graph.sectionsOrder'], first.body['@microsoft.graph.sectionsOrder']);
    });

    it('403 for another user with delegated permissions; 404 for an unknown user', async () => {
      assertGraphError(await server.request('GET', '/beta/users/MeganB@contoso.com/teamwork/sections'), 403, 'Forbidden');
      assertGraphError(await server.request('GET', '/beta/users/00000000-0000-0000-0000-000000000000/teamwork/sections'), 404, 'Request_ResourceNotFound');
    });
  });
}
