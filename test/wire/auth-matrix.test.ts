import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GraphRoute, type RouteForm, routeForms } from '../../src/wire/routes.ts';
import { testDialects } from '../helpers/databases.ts';
import { routeTableOf } from '../helpers/route-table.ts';
import { type TestServer, assertGraphError, describeResponse, startTestServer } from '../helpers/server.ts';
import { bearer, mintToken } from '../helpers/tokens.ts';

// Walks the route table of the built app: every route declares permissions, refuses a missing token
// with 401 and a token without its permissions with 403, and lets each listed permission through.
// Parameters are ids that exist nowhere, so no call changes state.
const megan = '8b081ef6-4792-4def-b2c9-c363a1bf41d5';

function concreteUrl(form: RouteForm, version: string): string {
  return `/${version}${form.url.replace(/\{(\w+)\}/g, (_match, name: string) => `matrix-unknown-${name}`)}`;
}

/** Every form of every route: `/me` and `/users/{userId}` forms are checked as their own routes. */
const formsOf = (routes: readonly GraphRoute[]) => routes.flatMap((route) => routeForms(route).map((form) => ({ route, form })));

for (const dialect of testDialects()) {
  describe(`auth matrix on ${dialect}`, () => {
    let server: TestServer;
    let routes: GraphRoute[];
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
      routes = routeTableOf(server.store);
    });
    after(() => server.close());

    it('every route declares at least one permission', () => {
      for (const route of routes) {
        assert.ok(route.permissions.delegated.length + route.permissions.application.length > 0, `${route.operation} declares no permission`);
      }
    });

    it('401 without a token on every route and version', async () => {
      for (const { route, form } of formsOf(routes)) {
        for (const version of route.versions ?? ['v1.0', 'beta']) {
          assertGraphError(
            await server.request(route.method, concreteUrl(form, version), { body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} }),
            401,
            'InvalidAuthenticationToken',
          );
        }
      }
    });

    it('403 with a delegated or application token that holds none of the route permissions', async () => {
      const delegated = await mintToken(server, { scp: 'Unrelated.Permission', oid: megan });
      const application = await mintToken(server, { roles: ['Unrelated.Permission'] });
      for (const { route, form } of formsOf(routes)) {
        const url = concreteUrl(form, (route.versions ?? ['v1.0'])[0] as string);
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        assertGraphError(await server.request(route.method, url, { body, headers: bearer(delegated) }), 403, 'Forbidden');
        const asApp = await server.request(route.method, url, { body, headers: bearer(application) });
        if (form.pathUser === 'me') assertGraphError(asApp, 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
        else assertGraphError(asApp, 403, 'Forbidden');
      }
    });

    // $batch is not in the route table: it needs a valid token but no permission of its own, and
    // each request it holds is authorized as the direct call (test/wire/batch.test.ts).
    it("$batch: 401 without a token, and a token without permissions gets each request's own 403", async () => {
      const body = { requests: [{ id: '1', method: 'GET', url: '/chats' }] };
      for (const version of ['v1.0', 'beta']) {
        assertGraphError(await server.request('POST', `/${version}/$batch`, { body }), 401, 'InvalidAuthenticationToken');
        const response = await server.request('POST', `/${version}/$batch`, {
          body,
          headers: bearer(await mintToken(server, { scp: 'Unrelated.Permission', oid: megan })),
        });
        assert.equal(response.status, 200, describeResponse(response));
        assert.equal(response.body.responses[0].status, 403, describeResponse(response));
      }
    });

    it('each listed permission alone gets past authorization', async () => {
      for (const { route, form } of formsOf(routes)) {
        const url = concreteUrl(form, (route.versions ?? ['v1.0'])[0] as string);
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        const tokens = [
          ...form.permissions.delegated.map((permission) => mintToken(server, { scp: permission, oid: megan })),
          ...form.permissions.application.map((permission) => mintToken(server, { roles: [permission] })),
        ];
        for (const token of await Promise.all(tokens)) {
          const response = await server.request(route.method, url, { body, headers: bearer(token) });
          assert.ok(![401, 403].includes(response.status), `${route.operation}: ${describeResponse(response)}`);
        }
      }
    });
  });
}
