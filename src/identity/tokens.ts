import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { ApplicationTable, UserTable } from '../store/schema.ts';
import { type KeyRing, tokenLifetimeSeconds } from './keys.ts';

export const graphAudiences = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'] as const;
export type GraphAudience = (typeof graphAudiences)[number];
const refreshAudience = 'urn:teamgraph:refresh';
const refreshLifetimeSeconds = 24 * 3600;

/** The issuer Graph access tokens (v1) carry: Entra's v1 STS for the tenant. */
export const v1Issuer = (tenantId: string) => `https://sts.windows.net/${tenantId}/`;

/** A stable GUID derived from a name, for ids Entra would assign (an app's service principal). */
function derivedGuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function baseClaims(tenantId: string, app: ApplicationTable, audience: GraphAudience) {
  return {
    aud: audience,
    iss: v1Issuer(tenantId),
    idp: v1Issuer(tenantId),
    tid: tenantId,
    appid: app.client_id,
    azp: app.client_id,
    app_displayname: app.display_name,
    ver: '1.0',
    uti: randomBytes(16).toString('base64url'),
  };
}

async function sign(keys: KeyRing, claims: Record<string, unknown>, lifetimeSeconds: number): Promise<string> {
  const key = await keys.signingKey();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, nbf: now })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid })
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(key.privateKey);
}

/** The id of an application's service principal in its tenant: the `oid` of its tokens, the creatorId of its subscriptions. */
export const servicePrincipalIdOf = (clientId: string) => derivedGuid(`service-principal:${clientId}`);

/** The application Graph's change notifications come from: the `appid` of their validation tokens (change-notifications-with-resource-data.md). */
const changeTrackingAppId = '0bf30f3b-4a52-48df-9a82-234910c4a086';

/** A rich notification's validation token, for one application and tenant: the receiver checks it as Graph's (aud, appid, issuer, keys). */
export function notificationValidationToken(keys: KeyRing, tenantId: string, audience: string): Promise<string> {
  return sign(
    keys,
    {
      aud: audience,
      iss: v1Issuer(tenantId),
      idp: v1Issuer(tenantId),
      tid: tenantId,
      appid: changeTrackingAppId,
      appidacr: '2',
      ver: '1.0',
      uti: randomBytes(16).toString('base64url'),
    },
    8 * 3600,
  );
}

/** An application token: `roles` holds the app permissions (Entra's client credentials flow). */
export function appAccessToken(keys: KeyRing, app: ApplicationTable, roles: readonly string[], audience: GraphAudience): Promise<string> {
  const servicePrincipalId = servicePrincipalIdOf(app.client_id);
  return sign(
    keys,
    { ...baseClaims(app.tenant_id, app, audience), appidacr: '1', idtyp: 'app', oid: servicePrincipalId, sub: servicePrincipalId, roles },
    tokenLifetimeSeconds,
  );
}

/** Entra's role template id of the Global Administrator, as `wids` names it (learn: permissions-reference). */
const globalAdministratorRoleId = '62e90394-69f5-4237-9190-012177145e10';

/**
 * A delegated token: `scp` holds the consented scopes, space separated, for the signed-in user, and
 * `wids` the directory roles, as Entra issues them: a tenant admin's holds the Global Administrator's.
 */
export function userAccessToken(keys: KeyRing, app: ApplicationTable, user: UserTable, scopes: readonly string[], audience: GraphAudience): Promise<string> {
  return sign(
    keys,
    {
      ...baseClaims(user.tenant_id, app, audience),
      appidacr: '0',
      idtyp: 'user',
      acct: user.user_type === 'Guest' ? 1 : 0,
      amr: ['pwd'],
      oid: user.id,
      sub: derivedGuid(`subject:${app.client_id}:${user.id}`),
      upn: user.user_principal_name,
      unique_name: user.user_principal_name,
      preferred_username: user.user_principal_name,
      name: user.display_name,
      given_name: user.given_name,
      family_name: user.surname,
      scp: scopes.join(' '),
      ...(user.is_admin === 1 ? { wids: [globalAdministratorRoleId] } : {}),
    },
    tokenLifetimeSeconds,
  );
}

/** The OpenID Connect id token MSAL reads the account from (audience: the client). */
export function idToken(keys: KeyRing, issuer: string, app: ApplicationTable, user: UserTable): Promise<string> {
  return sign(
    keys,
    {
      aud: app.client_id,
      iss: issuer,
      tid: user.tenant_id,
      oid: user.id,
      sub: derivedGuid(`subject:${app.client_id}:${user.id}`),
      preferred_username: user.user_principal_name,
      name: user.display_name,
      ver: '2.0',
    },
    tokenLifetimeSeconds,
  );
}

export function refreshToken(keys: KeyRing, app: ApplicationTable, user: UserTable, scopes: readonly string[]): Promise<string> {
  return sign(keys, { aud: refreshAudience, tid: user.tenant_id, oid: user.id, appid: app.client_id, scp: scopes.join(' ') }, refreshLifetimeSeconds);
}

export type TokenProblem = 'malformed' | 'expired' | 'unexpiring' | 'premature' | 'audience' | 'signature' | 'issuer' | 'claims';

export class TokenRejected extends Error {
  constructor(readonly problem: TokenProblem) {
    super(problem);
  }
}

// Entra's tokens always carry exp, nbf and iat; one without them has no lifetime to check, and jose
// checks a lifetime claim only when it is present.
const lifetimeClaims = ['exp', 'nbf', 'iat'];

/** Verifies signature (by `kid`), lifetime and audience; the caller checks issuer and tenant. */
export async function verifyToken(keys: KeyRing, token: string, audiences: readonly string[]): Promise<Record<string, unknown>> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new TokenRejected('malformed');
  }
  const key = kid === undefined ? null : await keys.verificationKey(kid);
  if (key === null) throw new TokenRejected('signature');
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['RS256'], audience: [...audiences], clockTolerance: 60, requiredClaims: lifetimeClaims });
    return payload;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new TokenRejected('expired');
    if (err instanceof errors.JWTClaimValidationFailed) throw new TokenRejected(claimProblem(err));
    if (err instanceof errors.JWSSignatureVerificationFailed) throw new TokenRejected('signature');
    throw new TokenRejected('malformed');
  }
}

function claimProblem(err: errors.JWTClaimValidationFailed): TokenProblem {
  if (err.claim === 'aud') return 'audience';
  if (err.claim === 'exp' && err.reason === 'missing') return 'unexpiring';
  if (err.claim === 'nbf' && err.reason === 'check_failed') return 'premature';
  return 'claims';
}

export const verifyRefreshToken = (keys: KeyRing, token: string) => verifyToken(keys, token, [refreshAudience]);
