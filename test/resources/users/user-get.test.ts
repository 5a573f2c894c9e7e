import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

const adele = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
const partnerUser = '82af01c5-f7cc-4a2e-a728-3a5df21afd9d';

for (const dialect of testDialects()) {
  describe(`user-get on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 returns the signed-in user at /me with the default property set', async () => {
      const response = await server.request('GET', '/v1.0/me');
      assertStatus(response, 200);
      assert.deepEqual(Object.keys(response.body), [
        '@odata.context',
        'businessPhones',
        'displayName',
        'givenName',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
        'id',
      ]);
      assert.equal(response.body.id, adele);
    });

    it('200 finds a user by id and by userPrincipalName in any case', async () => {
      const byId = await server.request('GET', '/v1.0/users/8b081ef6-4792-4def-b2c9-c363a1bf41d5');
      assertStatus(byId, 200);
      const byUpn = await server.request('GET', '/v1.0/users/MEGANB@contoso.com');
      assert.deepEqual(byUpn.body, byId.body);
    });

    it('200 with $select returns id and the selected properties, even non-default ones', async () => {
      const response = await server.request('GET', '/v1.0/users/jacob@contoso.com?$select=displayName,userType');
      assertStatus(response, 200);
      assert.deepEqual(response.body, {
        '@odata.context': `${server.url}/v1.0/$metadata#users(displayName,userType)/$entity`,
        displayName: 'Jacob Hancock',
        userType: 'Member',
        id: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      });
    });

    it('200 for the in-tenant guest the chat seed page uses, keeping its id as written', async () => {
      const response = await server.request('GET', '/v1.0/users/8ba98gf6-7fc2-4eb2-c7f2-aef9f21fd98g?$select=userType');
      assertStatus(response, 200);
      assert.equal(response.body.userType, 'Guest');
    });

    it('404 Request_ResourceNotFound for an unknown user', async () => {
      assertGraphError(
        await server.request('GET', '/v1.0/users/00000000-0000-0000-0000-000000000000'),
        404,
        'Request_ResourceNotFound',
        "Resource '00000000-0000-0000-0000-000000000000' does not exist or one of its queried reference-property objects are not present.",
      );
    });

    it("404 for a user of another tenant: the partner tenant's users are not visible", async () => {
      assertGraphError(await server.request('GET', `/v1.0/users/${partnerUser}`), 404, 'Request_ResourceNotFound');
    });
  });
}
