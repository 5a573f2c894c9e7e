import { randomUUID } from 'node:crypto';
import type { GraphError } from '../wire/errors.ts';
import type { FailureShape } from '../wire/failures.ts';

// Entra's token-endpoint errors: OAuth 2.0 `error` plus AADSTS codes and wording
// (learn: reference-error-codes; the exact messages as Entra returns them).
export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    message: string,
  ) {
    super(message);
  }

  body() {
    const traceId = randomUUID();
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.message} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
      error_codes: [this.aadsts],
      timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
      trace_id: traceId,
      correlation_id: randomUUID(),
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
    };
  }
}

export const missingParameter = (name: string) =>
  new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
export const tenantNotFound = (tenant: string) =>
  new EntraError(
    400,
    'invalid_request',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
export const unsupportedGrantType = (grantType: string) =>
  new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
export const applicationNotFound = (clientId: string, tenant: string) =>
  new EntraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
export const invalidClientSecret = (clientId: string) =>
  new EntraError(
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  );
export const invalidCredentials = () => new EntraError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
export const invalidRefreshToken = () => new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
export const clientCredentialsScope = (scope: string) =>
  new EntraError(
    400,
    'invalid_scope',
    1002012,
    `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  );
export const resourceNotFound = (resource: string, tenant: string) =>
  new EntraError(
    400,
    'invalid_resource',
    500011,
    `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  );
export const unknownScope = (scope: string) =>
  new EntraError(
    400,
    'invalid_scope',
    650053,
    `The application asked for scope '${scope}' that doesn't exist on the resource '00000003-0000-0000-c000-000000000000'. Contact the app vendor.`,
  );
export const missingScope = () => new EntraError(400, 'invalid_scope', 70011, "The provided request must include a 'scope' input parameter.");

// A failure of the HTTP exchange on an authority path (a body too large, a malformed URL, a timeout,
// the instance shutting down) in Entra's shape, as MSAL reads it: OAuth's `error` and an AADSTS code
// (docs/compatibility.md 11).
export const entraShape: FailureShape = {
  headers: () => ({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache' }),
  body: (error: GraphError) => entraFailure(error).body(),
};

function entraFailure(error: GraphError): EntraError {
  if (error.status === 503) return new EntraError(503, 'temporarily_unavailable', 90006, error.message);
  if (error.status >= 500) return new EntraError(error.status, 'server_error', 90006, error.message);
  return new EntraError(error.status, 'invalid_request', 9002313, error.message);
}
