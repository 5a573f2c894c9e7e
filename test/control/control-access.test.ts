import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../helpers/server.ts';
import { appToken, bearer, mintToken, partnerTenantId, userToken } from '../helpers/tokens.ts';

// Who may use /_teamgraph/* in strict mode (decision 98): the control key, or a signed-in admin of the
// home tenant as the database holds them now. Health stays open.
const controlKey = 'control-key-for-tests-0123456789';
const megan = '8b081ef6-4792-4def-b2c9-c363a1bf41d5';
const isHealth = (url: string) => url === '/_teamgraph/health';

for (const dialect of testDialects()) {
  describe(`control plane access (strict mode) on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict', '--control-key', controlKey]);
    });
    after(() => server.close());

    it('401 without a credential on every registered /_teamgraph route but health, whoever registered it', async () => {
      const routes = server.routes().filter((route) => route.url.toLowerCase().startsWith('/_teamgraph/') && !isHealth(route.url));
      // The walk sees the router itself: the known routes are there, including one from another family's file before.
      for (const known of ['GET /_teamgraph/info', 'HEAD /_teamgraph/info', 'POST /_teamgraph/reset', 'POST /_teamgraph/keys/rotate']) {
        assert.ok(
          routes.some((route) => `${route.method} ${route.url}` === known),
          `${known} not found in ${JSON.stringify(routes)}`,
        );
      }
      for (const route of routes) {
        const url = route.url.replace(/:(\w+)/g, 'unknown-$1');
        for (const headers of [{}, { authorization: '' }, { authorization: 'Bearer' }] as Record<string, string>[]) {
          const response = await server.request(route.method, url, { headers });
          if (route.method === 'HEAD') assert.equal(response.status, 401, `${route.method} ${url}`);
          else assertGraphError(response, 401, 'InvalidAuthenticationToken');
        }
      }
    });

    it('401 with a wrong control key, another scheme, or a token that fails verification; the database is untouched', async () => {
      const marker = await server.request('GET', '/v1.0/users/MeganB@contoso.com', { headers: bearer(await appToken(server)) });
      assertStatus(marker, 200);
      await server.store.db.updateTable('users').set({ display_name: 'Megan, changed' }).where('id', '=', megan).execute();
      for (const authorization of [`Bearer ${controlKey}x`, `Bearer ${controlKey.slice(0, -1)}`, `Basic ${controlKey}`, controlKey, 'Bearer not-a-jwt']) {
        assertGraphError(await server.request('POST', '/_teamgraph/reset', { headers: { authorization } }), 401, 'InvalidAuthenticationToken');
      }
      const expired = await mintToken(server, { scp: 'User.Read', oid: '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f' }, -3600);
      assertGraphError(
        await server.request('POST', '/_teamgraph/keys/rotate', { headers: bearer(expired) }),
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
      );
      const row = await server.store.db.selectFrom('users').select('display_name').where('id', '=', megan).executeTakeFirstOrThrow();
      assert.equal(row.display_name, 'Megan, changed', 'no refused reset ran');
    });

    it('403 for a valid token of a non-admin user, of an app, or of an admin of another tenant', async () => {
      assertGraphError(await server.request('POST', '/_teamgraph/reset', { headers: bearer(await userToken(server, 'MeganB@contoso.com')) }), 403, 'Forbidden');
      assertGraphError(await server.request('POST', '/_teamgraph/keys/rotate', { headers: bearer(await appToken(server)) }), 403, 'Forbidden');
      await server.store.db.updateTable('users').set({ is_admin: 1 }).where('upn_key', '=', 'miriamg@fabrikam.com').execute();
      const partnerAdmin = await userToken(server, 'MiriamG@fabrikam.com', ['.default'], partnerTenantId);
      assertGraphError(await server.request('GET', '/_teamgraph/info', { headers: bearer(partnerAdmin) }), 403, 'Forbidden');
    });

    it('200 and 204 with the control key or a home-tenant admin token', async () => {
      const info = await server.request('GET', '/_teamgraph/info', { headers: bearer(controlKey) });
      assertStatus(info, 200);
      assert.equal(info.body.store, dialect);
      const rotated = await server.request('POST', '/_teamgraph/keys/rotate', { headers: { authorization: `bearer  ${controlKey} ` } });
      assertStatus(rotated, 200);
      assert.match(rotated.body.kid, /^[0-9a-f]{32}$/);
      const adele = await userToken(server, 'AdeleV@contoso.com', ['User.Read']);
      assert.deepEqual(decodeJwt(adele).wids, ['62e90394-69f5-4237-9190-012177145e10'], 'Entra names the Global Administrator role in wids');
      assertStatus(await server.request('GET', '/_teamgraph/info', { headers: bearer(adele) }), 200);
      assertStatus(await server.request('POST', '/_teamgraph/reset', { headers: bearer(adele) }), 204);
      const row = await server.store.db.selectFrom('users').select('display_name').where('id', '=', megan).executeTakeFirstOrThrow();
      assert.equal(row.display_name, 'Megan Bowen', 'the reset ran');
    });

    it('an admin demoted in the database is refused at once, with the token issued while they were one', async () => {
      const token = await userToken(server, 'AdeleV@contoso.com');
      assertStatus(await server.request('GET', '/_teamgraph/info', { headers: bearer(token) }), 200);
      await server.store.db.updateTable('users').set({ is_admin: 0 }).where('upn_key', '=', 'adelev@contoso.com').execute();
      try {
        assertGraphError(await server.request('GET', '/_teamgraph/info', { headers: bearer(token) }), 403, 'Forbidden');
      } finally {
        await server.store.db.updateTable('users').set({ is_admin: 1 }).where('upn_key', '=', 'adelev@contoso.com').execute();
      }
    });

    it('200 health without a credential, as load balancers probe it', async () => {
      assertStatus(await server.request('GET', '/_teamgraph/health'), 200);
      assertStatus(await server.request('GET', '/_TEAMGRAPH/Health/'), 200);
    });

    it('paths the router folds (case, trailing slash) reach the same guard', async () => {
      for (const path of ['/_TEAMGRAPH/RESET', '/_teamgraph/reset/', '/_teamgraph/Keys/Rotate']) {
        assertGraphError(await server.request('POST', path), 401, 'InvalidAuthenticationToken');
      }
    });
  });

  describe(`control plane access (strict mode, no control key) on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
    });
    after(() => server.close());

    it('a home-tenant admin token opens it; a bearer value that is not a token is a 401', async () => {
      assertStatus(await server.request('GET', '/_teamgraph/info', { headers: bearer(await userToken(server, 'AdeleV@contoso.com')) }), 200);
      assertGraphError(await server.request('GET', '/_teamgraph/info', { headers: bearer(controlKey) }), 401, 'InvalidAuthenticationToken');
      assertGraphError(await server.request('GET', '/_teamgraph/info'), 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    });

    it("a non-admin's token carries no wids", async () => {
      assert.equal(decodeJwt(await userToken(server, 'MeganB@contoso.com')).wids, undefined);
    });
  });
}
