import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertStatus, startTestServer } from '../../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`user-list on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 lists every user of the caller tenant and no other', async () => {
      const response = await server.request('GET', '/v1.0/users');
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#users`);
      assert.equal(response.body['@odata.nextLink'], undefined);
      const upns = response.body.value.map((user: { userPrincipalName: string }) => user.userPrincipalName);
      assert.ok(upns.includes('AdeleV@contoso.com'));
      assert.ok(!upns.includes('MiriamG@fabrikam.com'), 'a partner-tenant user leaked into the list');
      assert.equal(upns.length, 13);
    });

    it('200 pages with $top and an absolute nextLink until every user was seen exactly once', async () => {
      const seen: string[] = [];
      let next: string | undefined = `${server.url}/v1.0/users?$top=5&$select=displayName`;
      let pages = 0;
      while (next !== undefined) {
        const response = await server.request('GET', next.slice(server.url.length));
        assertStatus(response, 200);
        assert.ok(response.body.value.length <= 5);
        seen.push(...response.body.value.map((user: { id: string }) => user.id));
        next = response.body['@odata.nextLink'];
        if (next !== undefined) assert.ok(next.startsWith(`${server.url}/v1.0/users?$top=5&$select=displayName&$skiptoken=`), next);
        pages++;
      }
      assert.equal(pages, 3);
      assert.equal(new Set(seen).size, 13);
      assert.equal(seen.length, 13);
    });
  });
}
