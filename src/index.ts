// teamgraph as a library: `import { startTeamgraph } from 'teamgraph'` starts a server inside the
// caller's process, for a test suite that wants one of its own (docs/embedding.md).
import type { OptionName } from './cli-options.ts';
import { loadConfig } from './config.ts';
import { defaultPassword } from './seed/seed-secrets.ts';
import type { SeedFile } from './seed/seed.schemas.ts';
import { type RunningServer, startServer } from './server.ts';

/**
 * The CLI's options, named as its flags without the dashes: `{ seed: 'tenant.json', auth: 'strict' }`
 * is `--seed tenant.json --auth strict`. A boolean flag is given as `true`. Nothing is read from the
 * environment. Unlike the CLI, a server is in memory (unless `database`, `data` or `memory: false`
 * say otherwise), on a port the system picks, and logs nothing.
 */
export type { SeedFile };

export type TeamgraphOptions = { readonly [name in OptionName]?: string | number | boolean };

/** Whose token: a user of the seed by user principal name, or an application by client id. */
export type TokenFor = { readonly user: string } | { readonly app: string };

export interface Teamgraph {
  /** The origin to send Graph requests to, e.g. `http://127.0.0.1:41234` (add `/v1.0` or `/beta`). */
  readonly url: string;
  /** The Entra authority host the SDKs' credentials take (`authorityHost`): the same origin. */
  readonly authorityHost: string;
  /** The seed's first tenant, whose users and apps `accessToken` signs in. */
  readonly tenantId: string;
  /** A real signed access token for Microsoft Graph, from the server's own authority (docs/identity.md). */
  accessToken(who: TokenFor): Promise<string>;
  /** Back to the seed, as `POST /_teamgraph/reset` does. */
  reset(): Promise<void>;
  /** The current state as a seed file that starts another server in it, as `GET /_teamgraph/export` answers (docs/seed-file.md). */
  export(): Promise<SeedFile>;
  /** Stops the server and closes its database. */
  close(): Promise<void>;
}

const graphScope = 'https://graph.microsoft.com/.default';

export async function startTeamgraph(options: TeamgraphOptions = {}): Promise<Teamgraph> {
  const hasStore = options.database !== undefined || options.data !== undefined || options.memory !== undefined;
  const given: TeamgraphOptions = { port: 0, 'log-level': 'silent', ...(hasStore ? {} : { memory: true }), ...options };
  const argv = Object.entries(given).flatMap(([name, value]) => (value === true ? [`--${name}`] : value === false ? [] : [`--${name}`, String(value)]));
  const loaded = loadConfig(argv, {});
  if (loaded.kind !== 'run') throw new Error(loaded.kind === 'error' ? `teamgraph: ${loaded.message}` : 'teamgraph: no server to start');
  const server = await startServer(loaded.config);
  const tenantId = server.seed?.tenants[0]?.id;
  if (tenantId === undefined) {
    await server.close();
    throw new Error('teamgraph: the seed holds no tenant to sign in to; start with the demo seed or a seed file');
  }
  return {
    url: server.origin,
    authorityHost: server.origin,
    tenantId,
    accessToken: (who) => accessToken(server, tenantId, who),
    reset: () => server.control.reset(),
    export: () => server.control.export(),
    close: () => server.close(),
  };
}

/** Signs in through the authority's token endpoint, in process: a password grant for a user, client credentials for an app. */
async function accessToken(server: RunningServer, tenantId: string, who: TokenFor): Promise<string> {
  const seed = server.seed;
  const form: Record<string, string> =
    'user' in who
      ? {
          grant_type: 'password',
          client_id: seed?.applications?.[0]?.clientId ?? '',
          username: who.user,
          password: seed?.users.find((user) => user.userPrincipalName.toLowerCase() === who.user.toLowerCase())?.password ?? defaultPassword,
        }
      : {
          grant_type: 'client_credentials',
          client_id: who.app,
          client_secret: seed?.applications?.find((app) => app.clientId === who.app)?.clientSecret ?? '',
        };
  const response = await server.app.inject({
    method: 'POST',
    url: `/${tenantId}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...form, scope: graphScope }).toString(),
  });
  const body = response.json<{ access_token?: string; error_description?: string }>();
  if (response.statusCode !== 200 || body.access_token === undefined)
    throw new Error(`teamgraph: no token for ${JSON.stringify(who)}: ${body.error_description ?? response.statusCode}`);
  return body.access_token;
}
