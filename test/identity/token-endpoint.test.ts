import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { testDialects } from '../helpers/databases.ts';
import { spawnSecondInstance } from '../helpers/processes.ts';
import { type TestResponse, type TestServer, assertStatus, describeResponse, startTestServer } from '../helpers/server.ts';
import { appToken, bearer, demoClientId, demoClientSecret, demoTenantId, userToken } from '../helpers/tokens.ts';

const form = (server: TestServer, fields: Record<string, string>, tenant = demoTenantId) =>
  server.request('POST', `/${tenant}/oauth2/v2.0/token`, {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

function assertEntraError(response: TestResponse, status: number, error: string, aadsts: number): void {
  assert.equal(response.status, status, describeResponse(response));
  assert.equal(response.body.error, error, describeResponse(response));
  assert.deepEqual(response.body.error_codes, [aadsts]);
  assert.match(response.body.error_description, new RegExp(`^AADSTS${aadsts}: `));
  for (const field of ['timestamp', 'trace_id', 'correlation_id', 'error_uri']) assert.equal(typeof response.body[field], 'string', field);
}

const clientCredentials = {
  grant_type: 'client_credentials',
  client_id: demoClientId,
  client_secret: demoClientSecret,
  scope: 'https://graph.microsoft.com/.default',
};
const passwordGrant = {
  grant_type: 'password',
  client_id: demoClientId,
  username: 'MeganB@contoso.com',
  password: 'Passw0rd!',
  scope: 'https://graph.microsoft.com/User.Read openid profile offline_access',
};

for (const dialect of testDialects()) {
  describe(`token endpoint on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
    });
    after(() => server.close());

    it('200 client_credentials issues an app token with every application permission as roles', async () => {
      const response = await form(server, clientCredentials);
      assertStatus(response, 200);
      assert.equal(response.body.token_type, 'Bearer');
      assert.equal(response.body.expires_in, 3599);
      assert.equal(response.body.ext_expires_in, 3599);
      assert.equal(response.body.refresh_token, undefined);
      const claims = decodeJwt(response.body.access_token);
      assert.equal(claims.aud, 'https://graph.microsoft.com');
      assert.equal(claims.iss, `https://sts.windows.net/${demoTenantId}/`);
      assert.equal(claims.tid, demoTenantId);
      assert.equal(claims.appid, demoClientId);
      assert.equal(claims.idtyp, 'app');
      assert.ok(Array.isArray(claims.roles) && claims.roles.includes('User.Read.All'));
      assert.equal(claims.scp, undefined);
      assert.equal(decodeProtectedHeader(response.body.access_token).alg, 'RS256');
    });

    it('200 client_credentials also accepts the secret in a Basic header and the resource app id', async () => {
      const response = await server.request('POST', `/${demoTenantId}/oauth2/v2.0/token`, {
        rawBody: 'grant_type=client_credentials&scope=00000003-0000-0000-c000-000000000000%2F.default',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${demoClientId}:${demoClientSecret}`).toString('base64')}`,
        },
      });
      assertStatus(response, 200);
      assert.equal(decodeJwt(response.body.access_token).aud, '00000003-0000-0000-c000-000000000000');
    });

    it('200 password issues a delegated token with the requested scopes, a refresh token and an id token', async () => {
      const response = await form(server, passwordGrant);
      assertStatus(response, 200);
      const claims = decodeJwt(response.body.access_token);
      assert.equal(claims.scp, 'User.Read');
      assert.equal(response.body.scope, passwordGrant.scope, 'MSAL caches only when scope echoes the request');
      assert.equal(claims.upn, 'MeganB@contoso.com');
      assert.equal(claims.oid, '8b081ef6-4792-4def-b2c9-c363a1bf41d5');
      assert.equal(claims.idtyp, 'user');
      assert.equal(typeof response.body.refresh_token, 'string');
      assert.equal(decodeJwt(response.body.id_token).aud, demoClientId);
      assert.deepEqual(JSON.parse(Buffer.from(response.body.client_info, 'base64url').toString()), { uid: claims.oid, utid: demoTenantId });
    });

    it('200 refresh_token trades a refresh token for new tokens of the same user and scopes', async () => {
      const first = await form(server, passwordGrant);
      const refreshed = await form(server, { grant_type: 'refresh_token', client_id: demoClientId, refresh_token: first.body.refresh_token });
      assertStatus(refreshed, 200);
      assert.equal(decodeJwt(refreshed.body.access_token).scp, 'User.Read');
      assert.equal(decodeJwt(refreshed.body.access_token).oid, '8b081ef6-4792-4def-b2c9-c363a1bf41d5');
    });

    it('tokens verify against the published JWKS and the OpenID configuration points at it', async () => {
      const config = await server.request('GET', `/${demoTenantId}/v2.0/.well-known/openid-configuration`);
      assertStatus(config, 200);
      assert.equal(config.body.token_endpoint, `${server.url}/${demoTenantId}/oauth2/v2.0/token`);
      assert.equal(config.body.issuer, `${server.url}/${demoTenantId}/v2.0`);
      const token = (await form(server, clientCredentials)).body.access_token;
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(config.body.jwks_uri)), { audience: 'https://graph.microsoft.com' });
      assert.equal(payload.tid, demoTenantId);
      assertStatus(await server.request('GET', '/common/v2.0/.well-known/openid-configuration'), 200);
    });

    it('401 invalid_client AADSTS7000215 for a wrong secret', async () => {
      assertEntraError(await form(server, { ...clientCredentials, client_secret: 'wrong' }), 401, 'invalid_client', 7000215);
    });

    it('400 invalid_request AADSTS900144 for a Basic header whose percent-escapes are malformed', async () => {
      const response = await server.request('POST', `/${demoTenantId}/oauth2/v2.0/token`, {
        rawBody: 'grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('%E0%A4%A:secret').toString('base64')}` },
      });
      assertEntraError(response, 400, 'invalid_request', 900144);
    });

    it('400 unauthorized_client AADSTS700016 for an unknown app', async () => {
      assertEntraError(await form(server, { ...clientCredentials, client_id: '11111111-2222-3333-4444-555555555555' }), 400, 'unauthorized_client', 700016);
    });

    it('400 invalid_grant AADSTS50126 for a wrong password or unknown user', async () => {
      assertEntraError(await form(server, { ...passwordGrant, password: 'nope' }), 400, 'invalid_grant', 50126);
      assertEntraError(await form(server, { ...passwordGrant, username: 'ghost@contoso.com' }), 400, 'invalid_grant', 50126);
    });

    it('400 invalid_grant for a refresh token that is not one', async () => {
      assertEntraError(await form(server, { grant_type: 'refresh_token', client_id: demoClientId, refresh_token: 'garbage' }), 400, 'invalid_grant', 9002313);
      const accessToken = (await form(server, passwordGrant)).body.access_token;
      assertEntraError(await form(server, { grant_type: 'refresh_token', client_id: demoClientId, refresh_token: accessToken }), 400, 'invalid_grant', 9002313);
    });

    it('400 unsupported_grant_type AADSTS70003, and AADSTS900144 without grant_type', async () => {
      assertEntraError(await form(server, { ...clientCredentials, grant_type: 'device_code' }), 400, 'unsupported_grant_type', 70003);
      assertEntraError(await form(server, { client_id: demoClientId }), 400, 'invalid_request', 900144);
    });

    it('400 invalid_scope for client credentials without /.default and for an unknown delegated scope', async () => {
      assertEntraError(await form(server, { ...clientCredentials, scope: 'https://graph.microsoft.com/User.Read.All' }), 400, 'invalid_scope', 1002012);
      assertEntraError(await form(server, { ...passwordGrant, scope: 'https://graph.microsoft.com/Bogus.Permission' }), 400, 'invalid_scope', 650053);
    });

    it('400 invalid_resource AADSTS500011 for a scope of a resource other than Graph, as Entra answers for a resource it does not know', async () => {
      for (const [flow, scope, resource] of [
        [clientCredentials, 'https://127.0.0.1:4545/.default', 'https://127.0.0.1:4545'],
        [clientCredentials, 'api://my-api/.default', 'api://my-api'],
        [passwordGrant, 'https://127.0.0.1:4545/User.Read openid', 'https://127.0.0.1:4545'],
      ] as const) {
        const response = await form(server, { ...flow, scope });
        assertEntraError(response, 400, 'invalid_resource', 500011);
        assert.match(
          response.body.error_description,
          new RegExp(`^AADSTS500011: The resource principal named ${resource.replaceAll('.', '\\.')} was not found in the tenant named ${demoTenantId}\\. `),
        );
      }
      // Graph named either way is Graph.
      assertStatus(await form(server, { ...clientCredentials, scope: '00000003-0000-0000-c000-000000000000/.default' }), 200);
      assertStatus(await form(server, { ...passwordGrant, scope: 'User.Read' }), 200);
    });

    it('400 AADSTS90002 for an unknown tenant', async () => {
      assertEntraError(await form(server, clientCredentials, '99999999-9999-9999-9999-999999999999'), 400, 'invalid_request', 90002);
    });

    it('a key rotation keeps old tokens valid and signs new ones with the new key', async () => {
      const before = await appToken(server);
      const rotated = await server.request('POST', '/_teamgraph/keys/rotate', { headers: bearer(await userToken(server, 'AdeleV@contoso.com')) });
      assertStatus(rotated, 200);
      const after = await appToken(server);
      assert.equal(decodeProtectedHeader(after).kid, rotated.body.kid);
      assert.notEqual(decodeProtectedHeader(before).kid, rotated.body.kid);
      for (const token of [before, after]) assertStatus(await server.request('GET', '/v1.0/users?$top=1', { headers: bearer(token) }), 200);
      const jwks = await server.request('GET', `/${demoTenantId}/discovery/v2.0/keys`);
      assert.ok(jwks.body.keys.length >= 2);
    });

    if (dialect === 'postgres') {
      it('a token issued by one instance is accepted by another on the same database', async () => {
        const second = await spawnSecondInstance(server);
        try {
          const token = await userToken(server, 'MeganB@contoso.com');
          const me = await second.request('GET', '/v1.0/me', { headers: bearer(token) });
          assertStatus(me, 200);
          assert.equal(me.body.userPrincipalName, 'MeganB@contoso.com');
        } finally {
          await second.stop();
        }
      });
    }
  });
}
