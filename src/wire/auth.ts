import { GraphError } from './errors.ts';

/** Who calls: a signed-in user through an app (delegated), or an app on its own (application). */
export interface Principal {
  readonly kind: 'delegated' | 'application';
  readonly tenantId: string;
  /** The signed-in user; null for application calls. */
  readonly userId: string | null;
  readonly appId: string;
  /** Delegated scopes (scp) or application roles (roles) the token carries. */
  readonly permissions: ReadonlySet<string>;
}

/**
 * Turns a request's Authorization header into a Principal, or throws a 401 GraphError. The app is
 * built with exactly one; the identity issue's token verifier plugs in here.
 */
export type Authenticator = (authorization: string | undefined) => Promise<Principal>;

/** Each route's permissions as its Graph doc page lists them, least privileged first. */
export interface RoutePermissions {
  readonly delegated: readonly string[];
  readonly application: readonly string[];
}

const wwwAuthenticate = {
  'WWW-Authenticate':
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

/** 401 in Graph's words (issues microsoft-graph-docs-contrib#1965 and the SDK threads it cites). */
export const invalidToken = (message: string) => new GraphError('InvalidAuthenticationToken', message, undefined, wwwAuthenticate);
export const missingToken = () => invalidToken('Access token is empty.');

/** 403 unless the principal holds one of the permissions the route accepts for its kind of call. */
export function assertPermitted(principal: Principal, permissions: RoutePermissions): void {
  const accepted = principal.kind === 'delegated' ? permissions.delegated : permissions.application;
  if (accepted.length === 0) {
    throw new GraphError(
      'Forbidden',
      principal.kind === 'application'
        ? 'This API does not support application permissions; call it with a delegated (user) token.'
        : 'This API does not support delegated permissions; call it with an application token.',
    );
  }
  if (accepted.some((permission) => principal.permissions.has(permission))) return;
  throw new GraphError('Forbidden', `Missing scope permissions on the request. API requires one of '${accepted.join(', ')}'.`);
}

/** `/me` needs a signed-in user (Graph's own wording for app-only calls). */
export function signedInUserId(principal: Principal): string {
  if (principal.userId === null) throw new GraphError('BadRequest', '/me request is only valid with delegated authentication flow.');
  return principal.userId;
}
