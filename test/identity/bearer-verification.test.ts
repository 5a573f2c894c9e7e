import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../helpers/server.ts';
import { appToken, bearer, demoTenantId, mintToken, partnerTenantId, userToken } from '../helpers/tokens.ts';

const megan = '8b081ef6-4792-4def-b2c9-c363a1bf41d5';

for (const dialect of testDialects()) {
  describe(`bearer verification (strict mode) on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
    });
    after(() => server.close());

    it('401 without a token, with WWW-Authenticate', async () => {
      const response = await server.request('GET', '/v1.0/users');
      assertGraphError(response, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
    });

    it('401 for a malformed token or a non-Bearer scheme', async () => {
      for (const authorization of ['Bearer not-a-jwt', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', 'Bearer']) {
        assertGraphError(
          await server.request('GET', '/v1.0/users', { headers: { authorization } }),
          401,
          'InvalidAuthenticationToken',
          'CompactToken parsing failed with error code: 80049217',
        );
      }
    });

    it('401 for an expired token', async () => {
      const token = await mintToken(server, { roles: ['User.Read.All'], exp: Math.floor(Date.now() / 1000) - 3600 }, -3600);
      assertGraphError(
        await server.request('GET', '/v1.0/users', { headers: bearer(token) }),
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
      );
    });

    // Entra's access tokens always carry exp, nbf and iat; a token without one has no lifetime to check.
    it('401 for a token without exp, nbf or iat, however valid the rest', async () => {
      const noExpiry = await mintToken(server, { roles: ['User.Read.All'] }, 3600, ['exp']);
      assertGraphError(
        await server.request('GET', '/v1.0/users', { headers: bearer(noExpiry) }),
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is missing an Expiration Time.',
      );
      for (const claim of ['nbf', 'iat'] as const) {
        const token = await mintToken(server, { roles: ['User.Read.All'] }, 3600, [claim]);
        assertGraphError(
          await server.request('GET', '/v1.0/users', { headers: bearer(token) }),
          401,
          'InvalidAuthenticationToken',
          'Access token validation failure.',
        );
      }
      const delegated = await mintToken(server, { scp: 'User.Read', oid: megan }, 3600, ['exp', 'nbf', 'iat']);
      assertGraphError(await server.request('GET', '/v1.0/me', { headers: bearer(delegated) }), 401, 'InvalidAuthenticationToken');
      const unreadableExpiry = await mintToken(server, { roles: ['User.Read.All'], exp: 'never' });
      assertGraphError(
        await server.request('GET', '/v1.0/users', { headers: bearer(unreadableExpiry) }),
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure.',
      );
    });

    it('401 for a token not valid yet (nbf beyond the 60 s skew)', async () => {
      const token = await mintToken(server, { roles: ['User.Read.All'], nbf: Math.floor(Date.now() / 1000) + 600 });
      assertGraphError(
        await server.request('GET', '/v1.0/users', { headers: bearer(token) }),
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is not yet valid.',
      );
    });

    it('401 for a token meant for another audience', async () => {
      const token = await mintToken(server, { roles: ['User.Read.All'], aud: 'api://some-other-api' });
      assertGraphError(
        await server.request('GET', '/v1.0/users', { headers: bearer(token) }),
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid audience.',
      );
    });

    it('401 for a token signed with a key that is not ours, even with our kid', async () => {
      const genuine = await appToken(server);
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const forged = await new SignJWT(decodeJwt(genuine)).setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(genuine).kid }).sign(privateKey);
      assertGraphError(
        await server.request('GET', '/v1.0/users', { headers: bearer(forged) }),
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure.',
      );
      const unsigned = `${genuine.split('.').slice(0, 2).join('.')}.`;
      assertGraphError(await server.request('GET', '/v1.0/users', { headers: bearer(unsigned) }), 401, 'InvalidAuthenticationToken');
    });

    it('401 for a token of an unknown tenant or with a mismatched issuer', async () => {
      const stranger = '99999999-9999-9999-9999-999999999999';
      const unknownTenant = await mintToken(server, { roles: ['User.Read.All'], tid: stranger, iss: `https://sts.windows.net/${stranger}/` });
      assertGraphError(
        await server.request('GET', '/v1.0/users', { headers: bearer(unknownTenant) }),
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid issuer.',
      );
      const wrongIssuer = await mintToken(server, { roles: ['User.Read.All'], iss: `https://sts.windows.net/${partnerTenantId}/` });
      assertGraphError(
        await server.request('GET', '/v1.0/users', { headers: bearer(wrongIssuer) }),
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid issuer.',
      );
    });

    it('401 for a delegated token whose user is not in the token tenant', async () => {
      const token = await mintToken(server, { scp: 'User.Read', oid: '82af01c5-f7cc-4a2e-a728-3a5df21afd9d' });
      assertGraphError(await server.request('GET', '/v1.0/me', { headers: bearer(token) }), 401, 'InvalidAuthenticationToken');
    });

    it('403 naming the permissions when the token has none the route accepts', async () => {
      const token = await userToken(server, 'MeganB@contoso.com', ['User.Read']);
      assertGraphError(
        await server.request('GET', '/v1.0/groups', { headers: bearer(token) }),
        403,
        'Forbidden',
        "Missing scope permissions on the request. API requires one of 'GroupMember.Read.All, Group.Read.All, Group.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All'.",
      );
      assertStatus(await server.request('GET', '/v1.0/me', { headers: bearer(token) }), 200);
    });

    it('400 for /me with an application token, in Graph words', async () => {
      assertGraphError(
        await server.request('GET', '/v1.0/me', { headers: bearer(await appToken(server)) }),
        400,
        'BadRequest',
        '/me request is only valid with delegated authentication flow.',
      );
    });

    it('200 as the user the token names: /me is Megan, not the dev default', async () => {
      const me = await server.request('GET', '/v1.0/me', { headers: bearer(await userToken(server, 'MeganB@contoso.com')) });
      assertStatus(me, 200);
      assert.equal(me.body.id, megan);
    });

    it('tenant isolation: a partner-tenant user sees only their own tenant, even by guessed ids', async () => {
      const token = await userToken(server, 'MiriamG@fabrikam.com', ['.default'], partnerTenantId);
      const users = await server.request('GET', '/v1.0/users', { headers: bearer(token) });
      assertStatus(users, 200);
      assert.deepEqual(
        users.body.value.map((user: { userPrincipalName: string }) => user.userPrincipalName),
        ['MiriamG@fabrikam.com'],
      );
      assertGraphError(await server.request('GET', `/v1.0/users/${megan}`, { headers: bearer(token) }), 404, 'Request_ResourceNotFound');
      assertGraphError(await server.request('GET', '/v1.0/users/AdeleV@contoso.com', { headers: bearer(token) }), 404, 'Request_ResourceNotFound');
      assertGraphError(
        await server.request('GET', '/v1.0/groups/29981b6a-0e57-42dc-94c9-cd24f5306196', { headers: bearer(token) }),
        404,
        'Request_ResourceNotFound',
      );
      assertGraphError(await server.request('GET', '/v1.0/teams/57fb72d0-d811-46f4-8947-305e6072eaa5', { headers: bearer(token) }), 404, 'NotFound');
      const joined = await server.request('GET', '/v1.0/me/joinedTeams', { headers: bearer(token) });
      assert.deepEqual(joined.body.value, []);
      // Chats, channels, group conversations and sections of the demo tenant stay out of reach too.
      const chats = await server.request('GET', '/v1.0/me/chats', { headers: bearer(token) });
      assertStatus(chats, 200);
      assert.deepEqual(chats.body.value, []);
      const foreignChat = await server.request('GET', `/v1.0/chats/${encodeURIComponent('19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2')}`, {
        headers: bearer(token),
      });
      assert.equal(foreignChat.status, 404, foreignChat.text);
      const channels = await server.request('GET', '/v1.0/teams/57fb72d0-d811-46f4-8947-305e6072eaa5/channels', { headers: bearer(token) });
      assert.equal(channels.status, 404);
      const conversations = await server.request('GET', '/v1.0/groups/29981b6a-0e57-42dc-94c9-cd24f5306196/conversations', { headers: bearer(token) });
      assert.equal(conversations.status, 404);
      const sections = await server.request('GET', '/beta/users/10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f/teamwork/sections', { headers: bearer(token) });
      assert.equal(sections.status, 404, sections.text);
    });

    it('a partner user cannot sign in through the demo tenant authority', async () => {
      const response = await server.request('POST', `/${demoTenantId}/oauth2/v2.0/token`, {
        rawBody: new URLSearchParams({
          grant_type: 'password',
          client_id: '6e2b3c8a-1f4d-4b7e-9a21-7c5d0e3f9b14',
          username: 'MiriamG@fabrikam.com',
          password: 'Passw0rd!',
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.error, 'invalid_grant');
    });
  });

  describe(`bearer verification (dev mode) on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('a request that carries a token is fully verified even in dev mode', async () => {
      assertGraphError(await server.request('GET', '/v1.0/me', { headers: { authorization: 'Bearer nonsense' } }), 401, 'InvalidAuthenticationToken');
      const me = await server.request('GET', '/v1.0/me', { headers: bearer(await userToken(server, 'MeganB@contoso.com')) });
      assert.equal(me.body.id, megan);
    });

    it('a request without a token acts as the demo admin with every permission', async () => {
      const me = await server.request('GET', '/v1.0/me');
      assert.equal(me.body.userPrincipalName, 'AdeleV@contoso.com');
      assertStatus(await server.request('GET', '/v1.0/groups'), 200);
    });
  });
}
