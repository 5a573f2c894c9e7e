import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { type Config, loadConfig } from './config.ts';
import { version } from './control/control.service.ts';
import { defaultPassword, readSeed, seedIfEmpty } from './seed/loader.ts';
import type { SeedFile } from './seed/seed.schemas.ts';
import { type Store, openStore } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { type TlsOptions, loadTls } from './tls.ts';
import { Drain } from './wire/drain.ts';

// Entry point: flags and environment -> config -> store (migrated, seeded) -> app -> listen.
const loaded = loadConfig(process.argv.slice(2), process.env);
if (loaded.kind === 'help') {
  console.log(loaded.text);
  process.exit(0);
}
if (loaded.kind === 'version') {
  console.log(version);
  process.exit(0);
}
if (loaded.kind === 'error') fail(loaded.message);

try {
  await run(loaded.config);
} catch (err) {
  fail((err as Error).message);
}

async function run(config: Config): Promise<void> {
  const seed = await readSeed(config.seed);
  const store = await openStore(config.database);
  await migrate(store);
  await seedIfEmpty(store, seed);
  const tls = await loadTls(config);
  const drain = new Drain();
  const app = await buildApp({ config, store, seed, tls, drain });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await store.close();
    throw err;
  }
  // The first signal stops gracefully (docs/decisions.md 103), a second one at once.
  let isStopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (isStopping) {
        drain.force();
        return;
      }
      isStopping = true;
      stop(app, store, drain, config.shutdownGraceMs).then(
        () => process.exit(0),
        (err: unknown) => fail(`stopping failed: ${(err as Error).message}`),
      );
    });
  }
  console.log(banner(app, config, seed, tls));
}

/** Requests in flight finish (within the grace period), then the operations worker stops, then the database closes. */
async function stop(app: FastifyInstance, store: Store, drain: Drain, graceMs: number): Promise<void> {
  await drain.run(app.server, graceMs);
  await app.close();
  await store.close();
}

function banner(app: FastifyInstance, config: Config, seed: SeedFile | null, tls: TlsOptions | null): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const origin = config.publicUrl ?? `${tls === null ? 'http' : 'https'}://${host}:${port}`;
  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL';
  const lines = [`teamgraph ${version} listening on ${origin} (${where})`, `  Graph v1.0  ${origin}/v1.0`, `  Graph beta  ${origin}/beta`];
  if (seed !== null) {
    const tenant = seed.tenants[0];
    const app0 = seed.applications?.[0];
    const users = seed.users.filter((user) => user.tenantId === tenant?.id && user.userType !== 'Guest').slice(0, 2);
    lines.push(`  tenant      ${tenant?.id ?? '-'} (${tenant?.domain ?? '-'})`);
    if (app0 !== undefined) lines.push(`  demo app    client id ${app0.clientId}, secret ${app0.clientSecret}`);
    for (const user of users) lines.push(`  user        ${user.userPrincipalName} / ${user.password ?? defaultPassword}`);
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

function fail(message: string): never {
  console.error(`teamgraph: ${message}`);
  process.exit(1);
}
