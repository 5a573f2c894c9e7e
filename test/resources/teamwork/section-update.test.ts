import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { currentVersion, favoritesId, ifMatch, phoenixId, sectionsUrl, seedVersion, snapshot, systemId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-update on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });
    const patch = (sectionId: string, body: unknown, version: number = seedVersion) =>
      server.request('PATCH', `${sectionsUrl}/${sectionId}`, { body, headers: ifMatch(version) });

    it('200 renames a section, then 200 changes its sort type with the returned etag', async () => {
      const renamed = await patch(phoenixId, { displayName: 'Important Conversations', displayIcon: { iconType: '⭐' } });
      assertStatus(renamed, 200);
      assert.equal(renamed.body.displayName, 'Important Conversations');
      assert.equal(renamed.body.displayIcon.displayName, 'Star');
      assert.equal(renamed.body['@odata.etag'], '"1742515210"');
      const sorted = await server.request('PATCH', `${sectionsUrl}/${phoenixId}`, {
        body: { sortType: 'unreadThenMostRecent', isExpanded: false },
        headers: { 'if-match': renamed.body['@odata.etag'] },
      });
      assertStatus(sorted, 200);
      assert.equal(sorted.body.sortType, 'unreadThenMostRecent');
      assert.equal(sorted.body.isExpanded, false);
      assert.equal(sorted.body['@odata.etag'], '"1742515220"');
    });

    it('200 stores every updatable property, read back by GET, and a later PATCH keeps what it does not name', async () => {
      // The response is built from the request; only a GET shows what the store kept.
      const changed = await patch(phoenixId, {
        displayName: 'Launch Prep',
        displayIcon: { iconType: '⭐' },
        isExpanded: false,
        sortType: 'unreadThenMostRecent',
      });
      assertStatus(changed, 200);
      const read = await server.request('GET', `${sectionsUrl}/${phoenixId}`);
      assertStatus(read, 200);
      assert.deepEqual(read.body, changed.body);
      assert.equal(read.body.displayName, 'Launch Prep');
      assert.equal(read.body.displayIcon.displayName, 'Star');
      assert.equal(read.body.isExpanded, false);
      assert.equal(read.body.sortType, 'unreadThenMostRecent');
      assert.notEqual(read.body.lastModifiedDateTime, null);
      const expanded = await server.request('PATCH', `${sectionsUrl}/${phoenixId}`, {
        body: { isExpanded: true },
        headers: { 'if-match': changed.body['@odata.etag'] },
      });
      assertStatus(expanded, 200);
      const again = await server.request('GET', `${sectionsUrl}/${phoenixId}`);
      assert.deepEqual(again.body, expanded.body);
      assert.deepEqual(
        [again.body.displayName, again.body.displayIcon.displayName, again.body.isExpanded, again.body.sortType],
        ['Launch Prep', 'Star', true, 'unreadThenMostRecent'],
      );
    });

    it("403 for a delegated caller updating another user's section, and nothing is written", async () => {
      const before = await snapshot(server);
      const megan = await userToken(server, 'MeganB@contoso.com');
      const response = await server.request('PATCH', `${sectionsUrl}/${phoenixId}`, {
        body: { displayName: 'Taken over' },
        headers: { ...ifMatch(seedVersion), ...bearer(megan) },
      });
      assertGraphError(response, 403, 'Forbidden');
      assert.deepEqual(await snapshot(server), before);
      const read = await server.request('GET', `${sectionsUrl}/${phoenixId}`);
      assert.equal(read.body.displayName, 'Project Phoenix');
    });

    it('200 updates the sort type of a system section where that sort type is valid', async () => {
      const response = await patch(systemId('TeamsAndChannels'), { sortType: 'mostRecent' });
      assertStatus(response, 200);
      assert.equal(response.body.sectionType, 'systemDefined');
    });

    it('400 for each invalid body, and nothing is written', async () => {
      const cases: [unknown, string][] = [
        [{}, 'At least one property must be provided for update.'],
        [{ '@odata.type': '#microsoft.graph.teamworkSection' }, 'At least one property must be provided for update.'],
        [{ displayName: 'bell\u0007' }, 'The section display name contains invalid characters or format.'],
        [{ displayName: ' ' }, "The 'displayName' property must not be empty or whitespace, or must not exceed 50 characters."],
        [{ displayName: 'y'.repeat(51) }, "The 'displayName' property must not be empty or whitespace, or must not exceed 50 characters."],
        [
          { sectionType: 'systemDefined' },
          "The property 'sectionType' is read-only or not updatable. Only displayName, displayIcon, isExpanded, and sortType can be updated.",
        ],
        [{ id: 'x' }, "The property 'id' is read-only or not updatable. Only displayName, displayIcon, isExpanded, and sortType can be updated."],
        [{ sortType: 'nameAlphabetical' }, 'The specified sort type is not valid for this section.'],
        [{ sortType: 'sideways' }, 'The specified sort type is not valid for this section.'],
      ];
      for (const [body, message] of cases) assertGraphError(await patch(phoenixId, body), 400, 'BadRequest', message);
      assertGraphError(
        await patch(systemId('RecentChats'), { sortType: 'nameAlphabetical' }),
        400,
        'BadRequest',
        'The specified sort type is not valid for this section.',
      );
      assertGraphError(
        await patch(systemId('MutedChats'), { sortType: 'userDefinedCustomOrder' }),
        400,
        'BadRequest',
        'The specified sort type is not valid for this section.',
      );
      assert.equal(await currentVersion(server), seedVersion);
    });

    it('403 for anything but sortType on a system section', async () => {
      assertGraphError(
        await patch(systemId('RecentChats'), { displayName: 'Chats' }),
        403,
        'Forbidden',
        'This section is system-generated and cannot be modified. Only the sortType property can be updated on system-defined sections.',
      );
      assert.equal(await currentVersion(server), seedVersion);
    });

    it('404 for an unknown section', async () => {
      assertGraphError(await patch('nope', { displayName: 'A' }), 404, 'NotFound', 'The specified section was not found.');
    });

    it('409 for a name another section holds, reserved names included', async () => {
      for (const displayName of ['Favorites', 'MeetingChats']) {
        assertGraphError(await patch(phoenixId, { displayName }), 409, 'Conflict', 'A section with this display name already exists.');
      }
      assertStatus(await patch(favoritesId, { displayName: 'Favorites' }), 200);
    });

    it('428 without If-Match and 412 with a stale one', async () => {
      assertGraphError(await server.request('PATCH', `${sectionsUrl}/${phoenixId}`, { body: { displayName: 'A' } }), 428, 'PreconditionRequired');
      assertGraphError(await patch(phoenixId, { displayName: 'A' }, 1), 412, 'PreconditionFailed');
    });
  });
}
