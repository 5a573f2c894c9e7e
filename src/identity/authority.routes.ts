import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { discardUnreadBody, sendFailure } from '../wire/failures.ts';
import { toGraphError } from '../wire/pipeline.ts';
import type { AuthorityService } from './authority.service.ts';
import { EntraError, entraShape } from './entra-errors.ts';
import type { KeyRing } from './keys.ts';

const authorityPaths =
  /^\/[^/?]+\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys)\/?(\?|$)|^\/common\/(discovery\/instance|userrealm\/)/i;

/** Whether a URL names one of the authority's endpoints, whose failures take Entra's shape. */
export const isAuthorityPath = (url: string): boolean => authorityPaths.test(url);

// The emulated Microsoft Entra endpoints, under /{tenant}/… like login.microsoftonline.com: what MSAL
// (inside @azure/identity) asks for when its authority host is teamgraph. Their errors take Entra's
// shape, not Graph's envelope.
export function registerAuthorityRoutes(app: FastifyInstance, authority: AuthorityService, keys: KeyRing, publicUrl: string | null): void {
  void app.register((scope, _options, done) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.setErrorHandler(async (err: FastifyError | EntraError, request, reply) => {
      if (err instanceof EntraError) return sendEntraError(reply, err);
      // A failure of the exchange (a body too large or of another type) in Entra's shape too; an
      // unexpected one, and the control plane's, take Graph's envelope from the app's handler.
      const failure = toGraphError(err);
      if (failure.status >= 500 || !isAuthorityPath(request.url)) throw err;
      await discardUnreadBody(request, reply);
      await sendFailure(request, reply, failure, entraShape);
    });

    scope.post<{ Params: { tenant: string }; Body: Record<string, string> | undefined }>('/:tenant/oauth2/v2.0/token', async (request, reply) => {
      const origin = publicUrl ?? `${request.protocol}://${request.host}`;
      const result = await authority.token(request.params.tenant, { form: request.body ?? {}, basic: basicCredentials(request.headers.authorization), origin });
      return reply.header('cache-control', 'no-store, no-cache').header('pragma', 'no-cache').send(result);
    });

    scope.get<{ Params: { tenant: string } }>('/:tenant/v2.0/.well-known/openid-configuration', async (request) => {
      const tenantId = await authority.tenant(request.params.tenant);
      return openIdConfiguration(publicUrl ?? `${request.protocol}://${request.host}`, request.params.tenant, tenantId);
    });

    scope.get<{ Params: { tenant: string } }>('/:tenant/discovery/v2.0/keys', async (request) => {
      await authority.tenant(request.params.tenant);
      return keys.publicJwks();
    });

    // MSAL's instance discovery, for clients that leave it on: teamgraph is its own, only, cloud.
    scope.get('/common/discovery/instance', (request) => {
      const origin = publicUrl ?? `${request.protocol}://${request.host}`;
      const host = new URL(origin).host;
      return {
        tenant_discovery_endpoint: `${origin}/common/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      };
    });

    // Username/password sign-in first asks whether the account is managed or federated.
    scope.get<{ Params: { user: string } }>('/common/userrealm/:user', (request) => ({
      ver: '1.0',
      account_type: 'Managed',
      domain_name: request.params.user.split('@')[1] ?? '',
      cloud_instance_name: 'microsoftonline.com',
      cloud_audience_urn: 'urn:federation:MicrosoftOnline',
    }));
    done();
  });
}

async function sendEntraError(reply: FastifyReply, err: EntraError): Promise<void> {
  await reply.code(err.status).header('cache-control', 'no-store, no-cache').send(err.body());
}

function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | null {
  const encoded = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (encoded === undefined) return null;
  const [clientId = '', ...rest] = Buffer.from(encoded, 'base64').toString('utf8').split(':');
  try {
    return { clientId: decodeURIComponent(clientId), clientSecret: decodeURIComponent(rest.join(':')) };
  } catch {
    return null; // malformed percent-escapes: no credentials
  }
}

function openIdConfiguration(origin: string, tenantSegment: string, tenantId: string | null) {
  const base = `${origin}/${tenantSegment}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
    issuer: `${origin}/${tenantId ?? '{tenantid}'}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'oid', 'preferred_username', 'tid', 'ver'],
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}
