// The baseline server's authentication: what a plain server does with the bearer token every bench
// request carries. RS256 verification with jose against teamgraph's own keys (the same checks
// teamgraph makes: signature, lifetime, audience, issuer), then one read that the token's user or app
// still belongs to its tenant, then the route's permission. A request without a token acts, as in
// teamgraph's dev mode, as the seed's default user, read once at start-up.
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { BaselineStore } from './baseline-store.ts';

export interface Principal {
  readonly tenantId: string;
  /** The signed-in user; null for an app. */
  readonly userId: string | null;
  readonly appId: string | null;
}

/** The permissions a route accepts, as Graph's page for it lists them. */
export interface Permissions {
  readonly delegated: readonly string[];
  readonly application: readonly string[];
}

export type Authenticate = (authorization: string | undefined, accepted: Permissions) => Promise<Principal>;

const graphAudiences = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

export const failure = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

export async function authenticator(store: BaselineStore): Promise<Authenticate> {
  const keys = createLocalJWKSet({ keys: await store.publicKeys() });
  const defaultUser = await store.defaultUser();
  if (defaultUser === undefined) throw new Error('the database has no default user: teamgraph has not seeded it');
  const devPrincipal: Principal = { tenantId: defaultUser.tenant_id, userId: defaultUser.id, appId: null };
  return async (authorization, accepted) => {
    if (authorization === undefined) return devPrincipal;
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    if (token === undefined) throw failure(401, 'no bearer token');
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      audience: graphAudiences,
      clockTolerance: 60,
      requiredClaims: ['exp', 'nbf', 'iat'],
    }).catch(() => {
      throw failure(401, 'invalid token');
    });
    const tenantId = typeof payload.tid === 'string' ? payload.tid : '';
    if (payload.iss !== `https://sts.windows.net/${tenantId}/`) throw failure(401, 'invalid issuer');
    const appId = typeof payload.appid === 'string' ? payload.appid : '';
    if (typeof payload.scp === 'string' && typeof payload.oid === 'string') {
      if (!(await store.userSignsIn(payload.oid, tenantId))) throw failure(401, 'unknown user');
      assertGranted(payload.scp.split(' '), accepted.delegated);
      return { tenantId, userId: payload.oid, appId };
    }
    if (!Array.isArray(payload.roles) || !(await store.appSignsIn(appId, tenantId))) throw failure(401, 'unknown application');
    assertGranted(payload.roles, accepted.application);
    return { tenantId, userId: null, appId };
  };
}

function assertGranted(granted: readonly unknown[], accepted: readonly string[]): void {
  if (!accepted.some((permission) => granted.includes(permission))) throw failure(403, `needs one of ${accepted.join(', ')}`);
}
