import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import {
  adeleId,
  assertItem,
  communityThreadId,
  currentVersion,
  favoritesId,
  groupChatId,
  ifMatch,
  oneOnOneChatId,
  phoenixId,
  sectionsUrl,
  seedVersion,
  snapshot,
  systemId,
} from './fixtures.ts';

const itemsOf = (sectionId: string) => `${sectionsUrl}/${sectionId}/items`;

for (const dialect of testDialects()) {
  describe(`section-item-add on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    describe('the seed page examples, in order on a fresh server', () => {
      it('201 example 1 adds the group chat and advances the version to 1742515210', async () => {
        const response = await server.request('POST', itemsOf(phoenixId), { body: { id: groupChatId }, headers: ifMatch('"1742515200"') });
        assertItem(response, 201, groupChatId, 'chat', 1742515210);
        assert.equal(response.headers.get('location'), `${server.url}/beta/users/${adeleId}/teamwork/sections/${phoenixId}/items/${groupChatId}`);
      });

      it('201 example 2 normalizes the bare community id and advances the version to 1742515220', async () => {
        const response = await server.request('POST', itemsOf(phoenixId), {
          body: { id: 'eyJfdHlwZSI6Ikdyb3VwIiwiaWQiOiIxOTAzMzYyMTIyMTAifQ' },
          headers: ifMatch('"1742515210"'),
        });
        assertItem(response, 201, communityThreadId, 'community', 1742515220);
        assert.equal(response.headers.get('location'), `${server.url}/beta/users/${adeleId}/teamwork/sections/${phoenixId}/items/${communityThreadId}`);
        const state = await snapshot(server);
        assert.deepEqual(state.items[phoenixId], [groupChatId, communityThreadId]);
        assert.equal(state.version, '1742515220');
      });
    });

    describe('rules and errors', () => {
      beforeEach(async () => {
        assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
      });

      it('201 keeps a community id that already has the thread prefix, at /me too, with an unquoted If-Match', async () => {
        const response = await server.request('POST', `/beta/me/teamwork/sections/${phoenixId}/items`, {
          body: { id: communityThreadId },
          headers: ifMatch(String(seedVersion)),
        });
        assertItem(response, 201, communityThreadId, 'community', seedVersion + 10);
      });

      it('201 accepts a weak W/"N" If-Match and any section etag', async () => {
        const section = await server.request('GET', `${sectionsUrl}/${favoritesId}`);
        const response = await server.request('POST', itemsOf(phoenixId), { body: { id: groupChatId }, headers: ifMatch(`W/${section.body['@odata.etag']}`) });
        assertItem(response, 201, groupChatId, 'chat', seedVersion + 10);
      });

      it('428 PreconditionRequired without If-Match, and nothing is written', async () => {
        const before = await snapshot(server);
        assertGraphError(
          await server.request('POST', itemsOf(phoenixId), { body: { id: groupChatId } }),
          428,
          'PreconditionRequired',
          'The If-Match header is required for this operation.',
        );
        assert.deepEqual(await snapshot(server), before);
      });

      it('412 PreconditionFailed for a stale or malformed If-Match, and nothing is written', async () => {
        const before = await snapshot(server);
        const stale =
          "The If-Match header value doesn't match the current section hierarchy version. List sections again to retrieve the current @microsoft.graph.sectionsVersion annotation and retry.";
        for (const header of ['"1742515190"', 'not-a-version', '"1742515210"']) {
          assertGraphError(
            await server.request('POST', itemsOf(phoenixId), { body: { id: groupChatId }, headers: ifMatch(header) }),
            412,
            'PreconditionFailed',
            stale,
          );
        }
        assert.deepEqual(await snapshot(server), before);
      });

      it("400 when 'id' is missing or empty", async () => {
        for (const body of [{}, { id: '' }, { id: 42 }]) {
          assertGraphError(
            await server.request('POST', itemsOf(phoenixId), { body, headers: ifMatch(seedVersion) }),
            400,
            'BadRequest',
            "The 'id' property is required and must not be empty.",
          );
        }
      });

      it('400 for an id that is no chat, channel, meeting or community', async () => {
        for (const id of ['hello world', '19:abc@thread.unknown', 'abc', '19:!!@EngageCommunity']) {
          assertGraphError(
            await server.request('POST', itemsOf(phoenixId), { body: { id }, headers: ifMatch(seedVersion) }),
            400,
            'BadRequest',
            'The specified item ID is not valid. Provide a valid chat, channel, meeting, or community ID.',
          );
        }
      });

      it('403 for a conversation the user is not a member of, and nothing is written', async () => {
        const denied = 'Access to this resource is denied. The caller must be a member of the conversation being added.';
        for (const id of [
          '19:0000000000000000000000000000abcd@thread.v2',
          '19:meeting_ZmY3NTg2ODE@thread.v2',
          '19:ffffffffffffffffffffffffffffffff@thread.tacv2',
        ]) {
          assertGraphError(await server.request('POST', itemsOf(phoenixId), { body: { id }, headers: ifMatch(seedVersion) }), 403, 'Forbidden', denied);
        }
        assert.equal(await currentVersion(server), seedVersion);
      });

      it('201 for a standard channel of a team the user belongs to', async () => {
        const response = await server.request('POST', itemsOf(phoenixId), {
          body: { id: '19:0b1f4a6e8c2d4e9fa7b3c5d6e7f80912@thread.tacv2' },
          headers: ifMatch(seedVersion),
        });
        assertItem(response, 201, '19:0b1f4a6e8c2d4e9fa7b3c5d6e7f80912@thread.tacv2', 'channel', seedVersion + 10);
      });

      it('404 for an unknown section', async () => {
        assertGraphError(
          await server.request('POST', itemsOf('00000000-0000-0000-0000-000000000000'), { body: { id: groupChatId }, headers: ifMatch(seedVersion) }),
          404,
          'NotFound',
          'The specified section was not found.',
        );
        assert.equal(await currentVersion(server), seedVersion);
      });

      it('403 for a system section', async () => {
        const response = await server.request('POST', itemsOf(systemId('RecentChats')), { body: { id: groupChatId }, headers: ifMatch(seedVersion) });
        assertGraphError(response, 403, 'Forbidden', /^This section is system-generated and cannot be modified\./);
      });

      it('409 when the item is already in this section', async () => {
        assertGraphError(
          await server.request('POST', itemsOf(favoritesId), { body: { id: oneOnOneChatId }, headers: ifMatch(seedVersion) }),
          409,
          'Conflict',
          'This item is already in this section.',
        );
      });

      it('409 with conflictingSectionId when the item is in another section, and nothing is written', async () => {
        const before = await snapshot(server);
        const response = await server.request('POST', itemsOf(phoenixId), { body: { id: oneOnOneChatId }, headers: ifMatch(seedVersion) });
        assertGraphError(response, 409, 'Conflict', 'This item is already associated with another section. Use the move API to relocate it.');
        assert.deepEqual(response.body.error.details, [{ code: 'conflictingSectionId', message: favoritesId, target: favoritesId }]);
        assert.deepEqual(await snapshot(server), before);
      });

      it('400 when the section holds the maximum number of items', async () => {
        const rows = Array.from({ length: 100 }, (_, position) => ({
          user_id: adeleId,
          id: `19:${position.toString(16).padStart(32, '0')}@thread.v2`,
          section_id: phoenixId,
          item_type: 'chat' as const,
          position,
          created_date_time: '2026-03-01T09:00:00Z',
          last_modified_date_time: null,
        }));
        await server.store.db.insertInto('teamwork_section_items').values(rows).execute();
        assertGraphError(
          await server.request('POST', itemsOf(phoenixId), { body: { id: groupChatId }, headers: ifMatch(seedVersion) }),
          400,
          'BadRequest',
          'The maximum number of items in this section has been reached.',
        );
        assert.equal(await currentVersion(server), seedVersion);
      });
    });
  });
}
