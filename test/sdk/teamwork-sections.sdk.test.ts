import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider, HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { GraphBetaRequestAdapter, createGraphBetaServiceClient } from '@microsoft/msgraph-beta-sdk';
import {
  type TeamworkSectionCollectionResponse,
  type TeamworkSectionItem,
  createTeamworkSectionCollectionResponseFromDiscriminatorValue,
  createTeamworkSectionItemFromDiscriminatorValue,
  serializeTeamworkSectionItem,
} from '@microsoft/msgraph-beta-sdk/models/index.js';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/tokens.ts';

// The beta SDK ships models and the adapter only, so calls go through RequestInformation
// (shared reference sdk-clients.md 4.3), with a real token from the emulated authority.
for (const dialect of testDialects()) {
  describe(`beta SDK against teamwork sections on ${dialect}`, () => {
    let server: TestServer;
    let adapter: GraphBetaRequestAdapter;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
      const token = await userToken(server, 'AdeleV@contoso.com', ['TeamworkSection.ReadWrite']);
      adapter = new GraphBetaRequestAdapter(
        new BaseBearerTokenAuthenticationProvider({
          getAuthorizationToken: () => Promise.resolve(token),
          getAllowedHostsValidator: () => new AllowedHostsValidator(),
        }),
      );
      adapter.baseUrl = `${server.url}/beta`;
      createGraphBetaServiceClient(adapter);
    });
    after(() => server.close());

    function requestInfo(method: HttpMethod, path: string): RequestInformation {
      const info = new RequestInformation(method, `{+baseurl}${path}`);
      info.pathParameters.baseurl = adapter.baseUrl;
      info.headers.tryAdd('Accept', 'application/json');
      return info;
    }

    it('200 lists the sections, then 201 adds an item with If-Match and reads the new etag', async () => {
      const list = await adapter.send<TeamworkSectionCollectionResponse>(
        requestInfo(HttpMethod.GET, '/me/teamwork/sections'),
        createTeamworkSectionCollectionResponseFromDiscriminatorValue,
        undefined,
      );
      const sections = list?.value ?? [];
      assert.equal(sections.length, 8);
      const phoenix = sections.find((section) => section.displayName === 'Project Phoenix');
      assert.equal(phoenix?.sectionType, 'userDefined');
      const version = list?.additionalData?.['@microsoft.graph.sectionsVersion'];
      assert.equal(version, '1742515200');

      const add = requestInfo(HttpMethod.POST, `/me/teamwork/sections/${phoenix?.id}/items`);
      add.headers.tryAdd('If-Match', `"${String(version)}"`);
      add.setContentFromParsable(adapter, 'application/json', { id: '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2' }, serializeTeamworkSectionItem);
      const item = await adapter.send<TeamworkSectionItem>(add, createTeamworkSectionItemFromDiscriminatorValue, undefined);
      assert.equal(item?.itemType, 'chat');
      assert.ok(item?.createdDateTime instanceof Date);
      assert.equal(item?.lastModifiedDateTime ?? null, null);
      assert.equal(item?.additionalData?.['@odata.etag'], '"1742515210"');
    });
  });
}
