import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { adeleId, currentVersion, ifMatch, sectionsUrl, seedVersion, snapshot, tenantId } from './fixtures.ts';

for (const dialect of testDialects()) {
  describe(`section-create on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });
    const create = (body: unknown, version: number | string = seedVersion) => server.request('POST', sectionsUrl, { body, headers: ifMatch(version) });

    it('201 creates a user-defined section with an absolute Location, appended to sectionsOrder', async () => {
      const response = await create({ displayName: 'Project Alpha', displayIcon: { iconType: '🚀' }, sortType: 'mostRecent' });
      assertStatus(response, 201);
      assert.equal(response.headers.get('location'), `${server.url}/beta/users/${adeleId}/teamwork/sections/${response.body.id}`);
      assert.equal(response.body['@odata.etag'], `"${seedVersion + 10}"`);
      assert.deepEqual(response.body.displayIcon, { iconType: '🚀', displayName: 'Rocket', contentUrl: null });
      assert.equal(response.body.sectionType, 'userDefined');
      assert.equal(response.body.isHierarchicalViewEnabled, false);
      assert.equal(response.body.isExpanded, true);
      assert.equal(response.body.createdDateTime, response.body.lastModifiedDateTime);
      const state = await snapshot(server);
      assert.equal(state.order.at(-1), response.body.id);
    });

    it('201 defaults sortType to userDefinedCustomOrder', async () => {
      const response = await create({ displayName: 'Defaults' });
      assertStatus(response, 201);
      assert.equal(response.body.sortType, 'userDefinedCustomOrder');
    });

    it('400 for each invalid body, with the page wording, and nothing is written', async () => {
      const cases: [unknown, string][] = [
        [{}, "The 'displayName' property is required and must not be empty."],
        [{ displayName: '  ' }, "The 'displayName' property is required and must not be empty."],
        [{ displayName: 'x'.repeat(51) }, "The 'displayName' property must not exceed 50 characters."],
        [{ displayName: 'tab\there' }, 'The section display name contains invalid characters or format.'],
        [
          { displayName: 'A', id: 'x' },
          "The 'id', 'createdDateTime', 'lastModifiedDateTime', 'sectionType', or 'isHierarchicalViewEnabled' property is read-only and must not be provided when creating a section.",
        ],
        [
          { displayName: 'A', sectionType: 'userDefined' },
          "The 'id', 'createdDateTime', 'lastModifiedDateTime', 'sectionType', or 'isHierarchicalViewEnabled' property is read-only and must not be provided when creating a section.",
        ],
        [
          { displayName: 'A', displayIcon: { iconType: '🚀', contentUrl: 'https://x' } },
          "The 'displayIcon.contentUrl' property is not supported, or the 'displayIcon.displayName' or 'displayIcon.skinTone' property is read-only and must not be provided.",
        ],
        [
          { displayName: 'A', displayIcon: { iconType: '🚀', skinTone: 'light' } },
          "The 'displayIcon.contentUrl' property is not supported, or the 'displayIcon.displayName' or 'displayIcon.skinTone' property is read-only and must not be provided.",
        ],
        [{ displayName: 'A', sortType: 'nameAlphabetical' }, 'The specified sort type is not valid for this section.'],
        [{ displayName: 42 }, "The 'displayName' property is required and must not be empty."],
        [{ displayName: ' Leading' }, 'The section display name contains invalid characters or format.'],
        [{ displayName: 'A', colour: 'red' }, "The property 'colour' does not exist on type 'microsoft.graph.teamworkSection'."],
        [{ displayName: 'A', isExpanded: 'yes' }, "The 'isExpanded' property must be a Boolean."],
        [{ displayName: 'A', displayIcon: '🚀' }, "The 'displayIcon' property must be an object with an 'iconType'."],
        [{ displayName: 'A', displayIcon: { iconType: ' ' } }, "The 'displayIcon' property must be an object with an 'iconType'."],
        [
          { displayName: 'A', displayIcon: { iconType: 'custom' } },
          "The 'displayIcon.contentUrl' property is not supported, or the 'displayIcon.displayName' or 'displayIcon.skinTone' property is read-only and must not be provided.",
        ],
      ];
      for (const [body, message] of cases) assertGraphError(await create(body), 400, 'BadRequest', message);
      assert.equal(await currentVersion(server), seedVersion);
    });

    it('201 with OData annotations in the body, and the icon stored without what the service fills in', async () => {
      const response = await create({
        '@odata.type': '#microsoft.graph.teamworkSection',
        displayName: 'Annotated',
        displayIcon: { iconType: '⭐', contentUrl: null, displayName: null },
      });
      assertStatus(response, 201);
      assert.deepEqual(response.body.displayIcon, { iconType: '⭐', displayName: 'Star', contentUrl: null });
    });

    it('409 for an existing name or a reserved system name, case-sensitive', async () => {
      for (const displayName of ['Favorites', 'RecentChats', 'QuickViews', 'EngageCommunities']) {
        assertGraphError(await create({ displayName }), 409, 'Conflict', 'A section with this display name already exists.');
      }
      assertStatus(await create({ displayName: 'favorites' }), 201);
    });

    it('400 when the maximum number of sections is reached', async () => {
      const rows = Array.from({ length: 48 }, (_, index) => ({
        id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        user_id: adeleId,
        display_name: `Filler ${index}`,
        display_icon: null,
        is_expanded: 1 as const,
        sort_type: 'mostRecent',
        section_type: 'userDefined' as const,
        system_name: null,
        created_date_time: '2026-03-02T00:00:00Z',
        last_modified_date_time: '2026-03-02T00:00:00Z',
      }));
      await server.store.db.insertInto('teamwork_sections').values(rows).execute();
      assertGraphError(await create({ displayName: 'One too many' }), 400, 'BadRequest', 'The maximum number of sections has been reached.');
    });

    it('428 without If-Match or with a blank one, and 412 with a stale one', async () => {
      assertGraphError(await server.request('POST', sectionsUrl, { body: { displayName: 'A' } }), 428, 'PreconditionRequired');
      assertGraphError(
        await server.request('POST', sectionsUrl, { body: { displayName: 'A' }, headers: { 'if-match': '' } }),
        428,
        'PreconditionRequired',
        'The If-Match header is required for this operation.',
      );
      assertGraphError(await create({ displayName: 'A' }, seedVersion - 10), 412, 'PreconditionFailed');
      assert.equal(await currentVersion(server), seedVersion);
    });

    it('403 when a delegated caller creates in another user teamwork', async () => {
      const response = await server.request('POST', '/beta/users/MeganB@contoso.com/teamwork/sections', {
        body: { displayName: 'A' },
        headers: ifMatch(seedVersion),
      });
      assertGraphError(response, 403, 'Forbidden');
      assert.equal(typeof tenantId, 'string');
    });
  });
}
