import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { type TestServer, request } from './server.ts';

export const demoTenantId = 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f';
/** The demo's second tenant (fabrikam.com), whose user is MiriamG@fabrikam.com. */
export const partnerTenantId = '4dc1fe35-8ac6-4f0d-904a-7ebcd364bea1';
export const demoClientId = '6e2b3c8a-1f4d-4b7e-9a21-7c5d0e3f9b14';
export const demoClientSecret = 'teamgraph-demo-secret';
export const demoPassword = 'Passw0rd!';

async function tokenRequest(server: { readonly url: string }, form: Record<string, string>, tenant = demoTenantId): Promise<string> {
  const response = await request(server.url, 'POST', `/${tenant}/oauth2/v2.0/token`, {
    rawBody: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(response.status, 200, response.text);
  return response.body.access_token as string;
}

/** A delegated token for a demo user through the password grant; scopes default to every delegated one. */
export function userToken(server: { readonly url: string }, upn: string, scopes: readonly string[] = ['.default'], tenant = demoTenantId): Promise<string> {
  return tokenRequest(
    server,
    {
      grant_type: 'password',
      client_id: demoClientId,
      username: upn,
      password: demoPassword,
      scope: scopes.map((name) => `https://graph.microsoft.com/${name}`).join(' '),
    },
    tenant,
  );
}

/** An application token for the demo app, which holds every application permission. */
export function appToken(server: { readonly url: string }, clientId = demoClientId, clientSecret = demoClientSecret, tenant = demoTenantId): Promise<string> {
  return tokenRequest(
    server,
    { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' },
    tenant,
  );
}

/**
 * A token signed with the server's own key and any claims: for tokens the authority would not issue
 * (a narrow set of roles, a wrong audience, an expired lifetime, a lifetime claim left out).
 */
export async function mintToken(
  server: TestServer,
  claims: Record<string, unknown>,
  lifetimeSeconds = 3600,
  without: readonly ('exp' | 'nbf' | 'iat')[] = [],
): Promise<string> {
  const key = await server.keys.signingKey();
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${demoTenantId}/`,
    tid: demoTenantId,
    appid: demoClientId,
    ver: '1.0',
    nbf: now,
    iat: now,
    exp: now + lifetimeSeconds,
    ...claims,
  };
  for (const claim of without) delete payload[claim];
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
