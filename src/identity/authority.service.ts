import type { Store } from '../store/db.ts';
import type { ApplicationTable, UserTable } from '../store/schema.ts';
import * as errors from './entra-errors.ts';
import * as identityStore from './identity.store.ts';
import type { KeyRing } from './keys.ts';
import { tokenLifetimeSeconds } from './keys.ts';
import { verifySecret } from './passwords.ts';
import { type GraphAudience, appAccessToken, idToken, refreshToken, userAccessToken, verifyRefreshToken } from './tokens.ts';

export interface TokenRequest {
  readonly form: Readonly<Record<string, string | undefined>>;
  /** Client credentials from an `Authorization: Basic` header, if any. */
  readonly basic: { clientId: string; clientSecret: string } | null;
  /** The origin the authority is reached on, for the id token's issuer. */
  readonly origin: string;
}

export interface PermissionCatalogue {
  readonly delegated: ReadonlySet<string>;
  readonly application: ReadonlySet<string>;
}

const oidcScopes = new Set(['openid', 'profile', 'offline_access', 'email']);
const graphResource = /^(https:\/\/graph\.microsoft\.com|00000003-0000-0000-c000-000000000000)\/?/i;

/**
 * A scope that names its resource (`<resource>/<permission>`) other than Graph: Entra answers
 * AADSTS500011, as no such resource is registered in the tenant. PnPjs, for one, derives
 * `https://<host>/.default` from the URL it is pointed at. A bare permission (`User.Read`) is Graph's.
 */
function assertGraphResource(scope: string, tenantSegment: string): void {
  const slash = scope.lastIndexOf('/');
  if (slash <= 0 || graphResource.test(scope)) return;
  throw errors.resourceNotFound(scope.slice(0, slash), tenantSegment);
}

/** The emulated Microsoft Entra token endpoint: client credentials, password and refresh token grants. */
export class AuthorityService {
  constructor(
    private readonly store: Store,
    private readonly keys: KeyRing,
    private readonly permissions: PermissionCatalogue,
  ) {}

  async tenant(tenantSegment: string): Promise<string | null> {
    if (['common', 'organizations'].includes(tenantSegment.toLowerCase())) return null;
    const tenant = await identityStore.findTenant(this.store.db, tenantSegment);
    if (tenant === undefined) throw errors.tenantNotFound(tenantSegment);
    return tenant.id;
  }

  async token(tenantSegment: string, request: TokenRequest) {
    const tenantId = await this.tenant(tenantSegment);
    const grantType = request.form.grant_type;
    if (grantType === undefined || grantType === '') throw errors.missingParameter('grant_type');
    switch (grantType) {
      case 'client_credentials':
        return this.clientCredentials(tenantId, tenantSegment, request);
      case 'password':
        return this.password(tenantId, tenantSegment, request);
      case 'refresh_token':
        return this.refresh(tenantSegment, request);
      default:
        throw errors.unsupportedGrantType(grantType);
    }
  }

  private async clientCredentials(tenantId: string | null, tenantSegment: string, request: TokenRequest) {
    const app = await this.client(tenantId, tenantSegment, request, true);
    const scope = required(request.form, 'scope');
    const resource = scope.trim().split(/\s+/);
    if (resource.length !== 1 || !/\/\.default$/i.test(resource[0] ?? '')) throw errors.clientCredentialsScope(scope);
    assertGraphResource(resource[0] ?? '', tenantSegment);
    const granted = JSON.parse(app.application_permissions) as string[];
    const roles = granted.includes('*') ? [...this.permissions.application] : granted;
    const accessToken = await appAccessToken(this.keys, app, roles, audienceOf(resource[0] ?? ''));
    return { token_type: 'Bearer', expires_in: tokenLifetimeSeconds, ext_expires_in: tokenLifetimeSeconds, access_token: accessToken };
  }

  private async password(tenantId: string | null, tenantSegment: string, request: TokenRequest) {
    // Apps are multi-tenant for sign-in: a user of any tenant signs in to the app at their own tenant.
    const app = await this.client(null, tenantSegment, request, false);
    const username = required(request.form, 'username');
    const password = required(request.form, 'password');
    const user = await identityStore.findUserByUpn(this.store.db, username);
    const isValid =
      user !== undefined &&
      user.password_hash !== null &&
      user.account_enabled === 1 &&
      (tenantId === null || user.tenant_id === tenantId) &&
      (await verifySecret(password, user.password_hash));
    if (!isValid) throw errors.invalidCredentials();
    return this.userTokens(app, user, required(request.form, 'scope'), tenantSegment, request.origin);
  }

  private async refresh(tenantSegment: string, request: TokenRequest) {
    const token = required(request.form, 'refresh_token');
    const claims = await verifyRefreshToken(this.keys, token).catch(() => {
      throw errors.invalidRefreshToken();
    });
    const app = await identityStore.findApplication(this.store.db, String(claims.appid));
    const user = await identityStore.findUserById(this.store.db, String(claims.oid));
    if (app === undefined || user === undefined || user.account_enabled !== 1) throw errors.invalidRefreshToken();
    if (request.form.client_id !== undefined && request.form.client_id !== app.client_id) throw errors.invalidRefreshToken();
    const scope =
      request.form.scope ??
      String(claims.scp)
        .split(' ')
        .map((name) => `https://graph.microsoft.com/${name}`)
        .join(' ');
    return this.userTokens(app, user, scope, tenantSegment, request.origin);
  }

  private async userTokens(app: ApplicationTable, user: UserTable, scope: string, tenantSegment: string, origin: string) {
    const requested = scope
      .trim()
      .split(/\s+/)
      .filter((name) => name !== '');
    const graphScopes = requested.filter((name) => !oidcScopes.has(name.toLowerCase()));
    for (const name of graphScopes) assertGraphResource(name, tenantSegment);
    if (graphScopes.length === 0 && requested.length === 0) throw errors.missingScope();
    const names = graphScopes.map((name) => name.replace(graphResource, ''));
    // `.default` (or only OpenID scopes) means every delegated permission: the demo tenant consented to all.
    const scp = names.length === 0 || names.some((name) => name.toLowerCase() === '.default') ? [...this.permissions.delegated] : names;
    for (const name of scp) if (!this.permissions.delegated.has(name)) throw errors.unknownScope(name);
    const audience = audienceOf(graphScopes[0] ?? '');
    const accessToken = await userAccessToken(this.keys, app, user, scp, audience);
    const clientInfo = Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenant_id })).toString('base64url');
    return {
      token_type: 'Bearer',
      // MSAL caches a token under the scopes it asked for only if `scope` repeats them verbatim.
      scope: requested.join(' '),
      expires_in: tokenLifetimeSeconds,
      ext_expires_in: tokenLifetimeSeconds,
      access_token: accessToken,
      refresh_token: await refreshToken(this.keys, app, user, scp),
      id_token: await idToken(this.keys, `${origin}/${user.tenant_id}/v2.0`, app, user),
      client_info: clientInfo,
    };
  }

  /** The calling app; a confidential client proves itself with its secret (form or Basic header). */
  private async client(tenantId: string | null, tenantSegment: string, request: TokenRequest, isSecretRequired: boolean): Promise<ApplicationTable> {
    const clientId = request.basic?.clientId ?? request.form.client_id;
    if (clientId === undefined || clientId === '') throw errors.missingParameter('client_id');
    const app = await identityStore.findApplication(this.store.db, clientId);
    if (app === undefined || (tenantId !== null && app.tenant_id !== tenantId)) throw errors.applicationNotFound(clientId, tenantSegment);
    const secret = request.basic?.clientSecret ?? request.form.client_secret;
    if (secret === undefined || secret === '') {
      if (isSecretRequired) throw errors.missingParameter("client_assertion' or 'client_secret");
      return app;
    }
    if (!(await verifySecret(secret, app.secret_hash))) throw errors.invalidClientSecret(clientId);
    return app;
  }
}

function required(form: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = form[name];
  if (value === undefined || value === '') throw errors.missingParameter(name);
  return value;
}

/** Entra writes the audience the way the scope named the resource: URI or app id. */
function audienceOf(scope: string): GraphAudience {
  return scope.startsWith('00000003-0000-0000-c000-000000000000') ? '00000003-0000-0000-c000-000000000000' : 'https://graph.microsoft.com';
}
