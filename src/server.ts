import { type BuiltApp, buildApp } from './app.ts';
import type { Config } from './config.ts';
import { prepareKeyPair } from './identity/key-pairs.ts';
import { KeyRing } from './identity/keys.ts';
import { loadSeed, readSeed } from './seed/loader.ts';
import { defaultPassword } from './seed/seed-secrets.ts';
import type { SeedFile } from './seed/seed.schemas.ts';
import { type Store, openStore } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { type TlsOptions, loadTls } from './tls.ts';
import { version } from './version.ts';
import { Drain } from './wire/drain.ts';

/** A listening teamgraph: what the CLI and `startTeamgraph` start, and how it stops. */
export interface RunningServer extends BuiltApp {
  readonly config: Config;
  readonly store: Store;
  readonly seed: SeedFile | null;
  readonly tls: TlsOptions | null;
  readonly drain: Drain;
  /** The authority's signing keys, as this server reads them (its first key may still be in the making). */
  readonly keys: KeyRing;
  /** The port it listens on (the one the system chose for port 0). */
  readonly port: number;
  /** Where it listens: scheme, bound address and port. */
  readonly address: string;
  /** The origin clients use: the public URL when one is set, else the address it listens on. */
  readonly origin: string;
  /**
   * The graceful stop of a signal: new requests are answered 503 while every connection winds down
   * (within the grace period, decision 103), then `close`.
   */
  stop(): Promise<void>;
  /** Closes at once: idle connections are closed, requests in flight finish, the operations worker stops, the database closes. */
  close(): Promise<void>;
}

/** Opens the store (migrated, seeded), builds the app and listens: one way to start, for the CLI and for embedding. */
export async function startServer(config: Config): Promise<RunningServer> {
  prepareKeyPair();
  const seed = await readSeed(config.seed);
  const store = await openStore(config.database);
  const drain = new Drain();
  let started: { built: BuiltApp; tls: TlsOptions | null; keys: KeyRing };
  try {
    await migrate(store);
    // A new signing key takes a while to make (RSA, off the main thread): the server starts answering
    // meanwhile, and whatever needs the key (a token, the published keys) waits for it.
    const keys = new KeyRing(store);
    keys.ensureKey().catch(() => undefined); // its failure is each key read's, which answers 500 and is logged
    await loadSeed(store, seed, config.reseed);
    const tls = await loadTls(config);
    const built = await buildApp({ config, store, seed, tls, drain, keys });
    await built.app.listen({ port: config.port, host: config.host });
    started = { built, tls, keys };
  } catch (err) {
    await store.close();
    throw err;
  }
  const { built, tls, keys } = started;
  const { app } = built;
  const close = async () => {
    await app.close();
    await store.close();
  };
  const stop = async () => {
    await drain.run(app.server, config.shutdownGraceMs);
    await close();
  };
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const address = `${tls === null ? 'http' : 'https'}://${host}:${port}`;
  return { ...built, config, store, seed, tls, drain, keys, port, address, origin: config.publicUrl ?? address, stop, close };
}

/** The lines the CLI prints once it listens: where to connect, and as whom. */
export function banner({ config, seed, tls, port, address, origin }: RunningServer): string {
  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL';
  const lines = [`teamgraph ${version} listening on ${address} (${where})`];
  // Behind a proxy, clients use the public URL; the bound address still says where the proxy must forward.
  if (origin !== address) lines.push(`  public URL  ${origin}`);
  lines.push(`  Graph v1.0  ${origin}/v1.0`, `  Graph beta  ${origin}/beta`);
  if (seed !== null) {
    const tenant = seed.tenants[0];
    const app0 = seed.applications?.[0];
    const users = seed.users.filter((user) => user.tenantId === tenant?.id && user.userType !== 'Guest').slice(0, 2);
    lines.push(`  tenant      ${tenant?.id ?? '-'} (${tenant?.domain ?? '-'})`);
    // An exported seed keeps secrets as hashes: those it cannot show.
    const hashed = '(kept as a hash)';
    if (app0 !== undefined) lines.push(`  demo app    client id ${app0.clientId}, secret ${app0.clientSecret ?? hashed}`);
    for (const user of users)
      lines.push(`  user        ${user.userPrincipalName} / ${user.password ?? (user.passwordHash === undefined ? defaultPassword : hashed)}`);
  }
  lines.push(`  authority   ${origin}/${seed?.tenants[0]?.id ?? '{tenant}'}/oauth2/v2.0/token (auth mode ${config.auth})`);
  if (tls !== null && tls.selfSignedCertPath !== null) {
    lines.push(`  certificate ${tls.selfSignedCertPath}`, `  trust it    NODE_EXTRA_CA_CERTS=${tls.selfSignedCertPath} node your-app.js`);
  }
  lines.push(`  try         curl ${tls !== null && tls.selfSignedCertPath !== null ? `--cacert ${tls.selfSignedCertPath} ` : ''}${origin}/v1.0/me`);
  // Dev mode trusts whoever calls (decision 98); on a reachable interface that is everyone on the network.
  if (config.auth === 'dev' && !isLoopback(config.host)) {
    lines.push(
      `  WARNING     --auth dev on ${config.host}: anyone who can reach port ${port} acts as the tenant admin, and can reset`,
      '              the data (POST /_teamgraph/reset). Use --auth strict, or --host 127.0.0.1.',
    );
  }
  return lines.join('\n');
}

/** Whether only this machine can reach the interface: a loopback address, or localhost. */
function isLoopback(host: string): boolean {
  return host.toLowerCase() === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\.\d+\.\d+\.\d+$/i.test(host);
}
