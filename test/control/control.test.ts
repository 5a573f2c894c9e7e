import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertStatus, startTestServer } from '../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`control plane on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('200 health reports a reachable database', async () => {
      const response = await server.request('GET', '/_teamgraph/health');
      assertStatus(response, 200);
      assert.deepEqual(response.body, { status: 'ok', database: 'reachable' });
    });

    it('200 info names the version, the store kind and the demo tenant', async () => {
      const response = await server.request('GET', '/_teamgraph/info');
      assertStatus(response, 200);
      assert.equal(response.body.store, dialect);
      assert.equal(response.body.tenantId, 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f');
      assert.match(response.body.version, /^\d+\.\d+\.\d+$/);
    });

    it('200 at the bare origin says where Graph and the authority are, in JSON', async () => {
      const response = await server.request('GET', '/');
      assertStatus(response, 200);
      const tenant = 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f';
      assert.deepEqual(
        { ...response.body, version: undefined },
        {
          name: 'teamgraph',
          version: undefined,
          description: 'A Microsoft Graph compatible server for Teams and Groups conversations.',
          graph: { 'v1.0': `${server.url}/v1.0`, beta: `${server.url}/beta` },
          authority: { host: server.url, tenantId: tenant, tokenEndpoint: `${server.url}/${tenant}/oauth2/v2.0/token` },
          auth: 'dev',
          health: `${server.url}/_teamgraph/health`,
          try: `curl ${server.url}/v1.0/me`,
        },
      );
      // Each link it gives answers.
      assertStatus(await server.request('GET', new URL(response.body.health).pathname), 200);
      assertStatus(await server.request('GET', `${new URL(response.body.graph['v1.0']).pathname}/me`), 200);
    });

    it('204 reset restores the demo tenant after its data changed', async () => {
      await server.store.db.deleteFrom('users').where('upn_key', '=', 'meganb@contoso.com').execute();
      assertStatus(await server.request('GET', '/v1.0/users/MeganB@contoso.com'), 404);
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
      assertStatus(await server.request('GET', '/v1.0/users/MeganB@contoso.com'), 200);
      const users = await server.request('GET', '/v1.0/users');
      assert.equal(users.body.value.length, 13);
    });

    it('a reset forgets what the server remembered: the signed-in user and the channel facts of earlier requests', async () => {
      const channel = `/v1.0/teams/57fb72d0-d811-46f4-8947-305e6072eaa5/channels/${encodeURIComponent('19:6a2c9e4b1d8f4c7ab0e5d3f2a1b4c6d8@thread.tacv2')}/messages`;
      assert.equal((await server.request('GET', '/v1.0/me')).body.userPrincipalName, 'AdeleV@contoso.com');
      const before = await server.request('POST', channel, { body: { body: { content: 'Before the reset' } } });
      assertStatus(before, 201);
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
      assert.equal((await server.request('GET', '/v1.0/me')).body.userPrincipalName, 'AdeleV@contoso.com');
      assertStatus(await server.request('POST', channel, { body: { body: { content: 'After the reset' } } }), 201);
      const contents = (await server.request('GET', `${channel}?$top=50`)).body.value.map((message: { body: { content: string } }) => message.body.content);
      assert.ok(contents.includes('After the reset'));
      assert.ok(!contents.includes('Before the reset'));
    });
  });
}
