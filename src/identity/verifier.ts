import type { Store } from '../store/db.ts';
import { type Authenticator, type Principal, invalidToken, missingToken } from '../wire/auth.ts';
import * as identityStore from './identity.store.ts';
import type { KeyRing } from './keys.ts';
import { TokenRejected, graphAudiences, v1Issuer, verifyToken } from './tokens.ts';

export type AuthMode = 'dev' | 'strict';

// Graph's words; the lifetime ones are Microsoft.IdentityModel's (IDX10223, IDX10225, IDX10222) as
// Graph writes IDX10223 (docs/decisions.md 97). A token without nbf or iat fails as a malformed claim.
const rejections: Record<TokenRejected['problem'], string> = {
  malformed: 'CompactToken parsing failed with error code: 80049217',
  expired: 'Lifetime validation failed, the token is expired.',
  unexpiring: 'Lifetime validation failed, the token is missing an Expiration Time.',
  premature: 'Lifetime validation failed, the token is not yet valid.',
  audience: 'Access token validation failure. Invalid audience.',
  signature: 'Access token validation failure.',
  issuer: 'Access token validation failure. Invalid issuer.',
  claims: 'Access token validation failure.',
};

/**
 * Verifies bearer tokens as Graph does: signature against the authority's keys, lifetime, audience,
 * issuer and tenant; then the principal's user or app must exist in that tenant. In dev mode a
 * request without Authorization acts as the seed's default user; strict mode requires a token.
 */
export function tokenAuthenticator(store: Store, keys: KeyRing, mode: AuthMode, devPrincipal: Authenticator): Authenticator {
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') {
      if (mode === 'dev') return devPrincipal(undefined);
      throw missingToken();
    }
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (token === undefined) throw invalidToken(rejections.malformed);
    try {
      return await principalOf(store, await verifyToken(keys, token, graphAudiences));
    } catch (err) {
      if (err instanceof TokenRejected) throw invalidToken(rejections[err.problem]);
      throw err;
    }
  };
}

async function principalOf(store: Store, claims: Record<string, unknown>): Promise<Principal> {
  const tenantId = typeof claims.tid === 'string' ? claims.tid : '';
  const tenant = await identityStore.findTenant(store.db, tenantId);
  if (tenant === undefined || tenant.id !== tenantId || claims.iss !== v1Issuer(tenantId)) throw new TokenRejected('issuer');
  const appId = typeof claims.appid === 'string' ? claims.appid : '';
  if (typeof claims.scp === 'string') {
    const user = typeof claims.oid === 'string' ? await identityStore.findUserById(store.db, claims.oid) : undefined;
    if (user === undefined || user.tenant_id !== tenantId || user.account_enabled !== 1) throw new TokenRejected('claims');
    return { kind: 'delegated', tenantId, userId: user.id, appId, permissions: new Set(claims.scp.split(' ').filter((scope) => scope !== '')) };
  }
  if (!Array.isArray(claims.roles)) throw new TokenRejected('claims');
  const app = await identityStore.findApplication(store.db, appId);
  if (app === undefined || app.tenant_id !== tenantId) throw new TokenRejected('claims');
  return { kind: 'application', tenantId, userId: null, appId, permissions: new Set(claims.roles.filter((role): role is string => typeof role === 'string')) };
}
