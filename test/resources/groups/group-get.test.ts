import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`group-get and group-list on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 returns the Microsoft 365 group the conversation seed page uses', async () => {
      const response = await server.request('GET', '/v1.0/groups/29981b6a-0e57-42dc-94c9-cd24f5306196');
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#groups/$entity`);
      assert.deepEqual(response.body.groupTypes, ['Unified']);
      assert.equal(response.body.mail, 'allcompany@contoso.com');
    });

    it('200 marks team-enabled groups in resourceProvisioningOptions', async () => {
      const team = await server.request('GET', '/v1.0/groups/57fb72d0-d811-46f4-8947-305e6072eaa5?$select=resourceProvisioningOptions');
      assert.deepEqual(team.body.resourceProvisioningOptions, ['Team']);
      const security = await server.request('GET', '/v1.0/groups/0b7f5c1a-2e3d-4f60-9a1b-6c7d8e9f0a1b');
      assert.deepEqual(security.body.groupTypes, []);
      assert.equal(security.body.securityEnabled, true);
    });

    it('200 lists the tenant groups with paging', async () => {
      const first = await server.request('GET', '/v1.0/groups?$top=3');
      assertStatus(first, 200);
      assert.equal(first.body.value.length, 3);
      const second = await server.request('GET', first.body['@odata.nextLink'].slice(server.url.length));
      assert.equal(second.body.value.length, 2);
      assert.equal(second.body['@odata.nextLink'], undefined);
    });

    it('404 Request_ResourceNotFound for an unknown group', async () => {
      assertGraphError(await server.request('GET', '/v1.0/groups/11111111-1111-1111-1111-111111111111'), 404, 'Request_ResourceNotFound');
    });
  });
}
