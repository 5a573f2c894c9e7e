import path from 'node:path';
import { parseArgs } from 'node:util';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';

// One table drives the flags, the TEAMGRAPH_* variables, the validation and `--help`.
const options = {
  port: { type: 'string', env: 'TEAMGRAPH_PORT', arg: '<n>', help: 'TCP port to listen on; 0 picks a free one (default 4545)' },
  host: { type: 'string', env: 'TEAMGRAPH_HOST', arg: '<addr>', help: 'interface to bind (default 127.0.0.1)' },
  data: { type: 'string', env: 'TEAMGRAPH_DATA', arg: '<dir>', help: 'directory for the SQLite file and keys (default ./.teamgraph)' },
  database: {
    type: 'string',
    env: 'TEAMGRAPH_DATABASE',
    arg: '<file|url>',
    help: 'SQLite file path, or a postgres:// (postgresql://) URL shared by any number of instances (default <data>/teamgraph.db)',
  },
  'sqlite-synchronous': {
    type: 'string',
    env: 'TEAMGRAPH_SQLITE_SYNCHRONOUS',
    arg: '<normal|full>',
    help: 'normal: a commit survives a crash of teamgraph, but the last ones may be lost to a power loss or an OS crash; full: each commit reaches the disk before it is answered and survives those too, at a cost to writes (default normal)',
  },
  'remembered-facts': {
    type: 'string',
    env: 'TEAMGRAPH_REMEMBERED_FACTS',
    arg: '<on|off>',
    help: 'on: channel posts, channel pages and group chats are decided on the access facts this instance last read, written only while the database still holds them; off: every request reads its facts afresh (default on)',
  },
  memory: { type: 'boolean', env: 'TEAMGRAPH_MEMORY', help: 'SQLite in memory: nothing is written to disk' },
  seed: { type: 'string', env: 'TEAMGRAPH_SEED', arg: '<file.json>', help: 'load this tenant file instead of the demo tenant' },
  'no-seed': { type: 'boolean', env: 'TEAMGRAPH_NO_SEED', help: 'start with an empty database' },
  'public-url': {
    type: 'string',
    env: 'TEAMGRAPH_PUBLIC_URL',
    arg: '<url>',
    help: 'origin used in absolute links (@odata.context, nextLink, Location); default: the request Host',
  },
  'operation-delay-ms': {
    type: 'string',
    env: 'TEAMGRAPH_OPERATION_DELAY_MS',
    arg: '<ms>',
    help: 'time each step of an async operation (202 Accepted) takes: notStarted -> inProgress -> done (default 250)',
  },
  'headers-timeout-ms': {
    type: 'string',
    env: 'TEAMGRAPH_HEADERS_TIMEOUT_MS',
    arg: '<ms>',
    help: 'time a client has to send the request line and headers, from its connection or its first byte; then 408 and close (default 10000)',
  },
  'request-timeout-ms': {
    type: 'string',
    env: 'TEAMGRAPH_REQUEST_TIMEOUT_MS',
    arg: '<ms>',
    help: 'time a client has to send a whole request, headers and body; then 408 and close (default 20000)',
  },
  'keep-alive-timeout-ms': {
    type: 'string',
    env: 'TEAMGRAPH_KEEP_ALIVE_TIMEOUT_MS',
    arg: '<ms>',
    help: 'how long a connection may stay idle between requests before it is closed (default 5000)',
  },
  'max-connections': {
    type: 'string',
    env: 'TEAMGRAPH_MAX_CONNECTIONS',
    arg: '<n>',
    help: 'open connections at most; more are closed as they arrive (default 1000)',
  },
  'shutdown-grace-ms': {
    type: 'string',
    env: 'TEAMGRAPH_SHUTDOWN_GRACE_MS',
    arg: '<ms>',
    help: 'on SIGTERM or SIGINT, how long requests in flight may take to finish before the server stops (default 10000)',
  },
  https: {
    type: 'boolean',
    env: 'TEAMGRAPH_HTTPS',
    help: 'serve TLS; without --cert/--key or --pfx a self-signed certificate for localhost is created once in <data>/tls',
  },
  cert: { type: 'string', env: 'TEAMGRAPH_CERT', arg: '<file.pem>', help: 'TLS certificate (PEM), with --key; implies --https' },
  key: { type: 'string', env: 'TEAMGRAPH_KEY', arg: '<file.pem>', help: 'TLS private key (PEM), with --cert' },
  pfx: { type: 'string', env: 'TEAMGRAPH_PFX', arg: '<file.pfx>', help: 'TLS certificate and key as PKCS#12; implies --https' },
  'pfx-passphrase': { type: 'string', env: 'TEAMGRAPH_PFX_PASSPHRASE', arg: '<secret>', help: 'passphrase of the --pfx file' },
  'log-level': {
    type: 'string',
    env: 'TEAMGRAPH_LOG_LEVEL',
    arg: '<level>',
    help: 'fatal, error, warn, info, debug, trace or silent (default info)',
  },
  auth: {
    type: 'string',
    env: 'TEAMGRAPH_AUTH',
    arg: '<mode>',
    help: 'dev: a request without a token acts as the demo admin; strict: every request needs a token (default dev)',
  },
  'control-key': {
    type: 'string',
    env: 'TEAMGRAPH_CONTROL_KEY',
    arg: '<secret>',
    help: 'with --auth strict, a secret of 16 characters or more that opens /_teamgraph/* sent as "Authorization: Bearer <secret>" (so does a token of a tenant admin)',
  },
  help: { type: 'boolean', short: 'h', help: 'print this help and exit' },
  version: { type: 'boolean', short: 'v', help: 'print the version and exit' },
} as const satisfies Record<string, OptionSpec>;

interface OptionSpec {
  type: 'string' | 'boolean';
  env?: string;
  arg?: string;
  short?: string;
  help: string;
}

const LogLevel = Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const RawConfig = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  data: Type.String({ minLength: 1 }),
  database: Type.Optional(Type.String({ minLength: 1 })),
  memory: Type.Boolean(),
  seed: Type.Optional(Type.String({ minLength: 1 })),
  'no-seed': Type.Boolean(),
  'public-url': Type.Optional(Type.String({ pattern: '^https?://[^/]+$' })),
  'log-level': LogLevel,
  'operation-delay-ms': Type.Integer({ minimum: 0, maximum: 3_600_000 }),
  'headers-timeout-ms': Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  'request-timeout-ms': Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  'keep-alive-timeout-ms': Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  'max-connections': Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  'shutdown-grace-ms': Type.Integer({ minimum: 0, maximum: 3_600_000 }),
  auth: Type.Enum(['dev', 'strict']),
  'control-key': Type.Optional(Type.String({ minLength: 16 })),
  'sqlite-synchronous': Type.Enum(['normal', 'full']),
  'remembered-facts': Type.Enum(['on', 'off']),
  https: Type.Boolean(),
  cert: Type.Optional(Type.String({ minLength: 1 })),
  key: Type.Optional(Type.String({ minLength: 1 })),
  pfx: Type.Optional(Type.String({ minLength: 1 })),
  'pfx-passphrase': Type.Optional(Type.String()),
});

/** How SQLite syncs a commit to disk (decision 96): `normal` survives a process crash, `full` a power loss too. */
export type SqliteSynchronous = 'normal' | 'full';
export type DatabaseTarget = { kind: 'sqlite'; file: string; synchronous: SqliteSynchronous } | { kind: 'postgres'; url: string };
type TlsSource =
  { kind: 'none' } | { kind: 'self-signed' } | { kind: 'pem'; cert: string; key: string } | { kind: 'pfx'; pfx: string; passphrase: string | null };
export type SeedSource = { kind: 'demo' } | { kind: 'file'; path: string } | { kind: 'none' };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseTarget;
  readonly seed: SeedSource;
  readonly publicUrl: string | null;
  readonly logLevel: Static<typeof LogLevel>;
  readonly operationDelayMs: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
  readonly shutdownGraceMs: number;
  readonly auth: 'dev' | 'strict';
  /** The secret that opens the control plane in strict mode, besides a tenant admin's token (decision 98). */
  readonly controlKey: string | null;
  readonly tls: TlsSource;
  /** Whether requests may be decided on remembered access facts, guarded by them (decision 105). */
  readonly rememberedFacts: boolean;
}

export type ConfigResult = { kind: 'run'; config: Config } | { kind: 'help'; text: string } | { kind: 'version' } | { kind: 'error'; message: string };

// The transport's bounds close an idle or trickling client within 30 s (docs/decisions.md 102).
const defaults = {
  port: '4545',
  host: '127.0.0.1',
  data: '.teamgraph',
  'log-level': 'info',
  'operation-delay-ms': '250',
  'headers-timeout-ms': '10000',
  'request-timeout-ms': '20000',
  'keep-alive-timeout-ms': '5000',
  'max-connections': '1000',
  'shutdown-grace-ms': '10000',
  auth: 'dev',
  'remembered-facts': 'on',
};
const integerOptions = [
  'port',
  'operation-delay-ms',
  'headers-timeout-ms',
  'request-timeout-ms',
  'keep-alive-timeout-ms',
  'max-connections',
  'shutdown-grace-ms',
];

/** Flags win over TEAMGRAPH_* variables, which win over defaults; nothing else reads process.env. */
export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigResult {
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return { kind: 'error', message: `${(err as Error).message} (see teamgraph --help)` };
  }
  if (flags.help === true) return { kind: 'help', text: helpText() };
  if (flags.version === true) return { kind: 'version' };

  const raw: Record<string, unknown> = { ...defaults };
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(options) as [string, OptionSpec][]) {
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    const value = flags[name] ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
    if (value === undefined) continue;
    if (spec.type === 'boolean' && typeof value === 'string') {
      if (!/^(1|0|true|false|yes|no)$/i.test(value)) problems.push(`${spec.env} must be true or false`);
      raw[name] = /^(1|true|yes)$/i.test(value);
    } else {
      raw[name] = value;
    }
  }
  raw.memory ??= false;
  raw['no-seed'] ??= false;
  raw.https ??= false;
  // Any other `scheme://` would otherwise be taken for a relative SQLite path (a folder named `mysql:`).
  // Only the scheme is named: the rest of a URL may hold a password.
  const scheme = typeof raw.database === 'string' ? /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw.database)?.[1] : undefined;
  const isPostgres = scheme !== undefined && /^postgres(ql)?$/i.test(scheme);
  if (scheme !== undefined && !isPostgres) {
    problems.push(`--database ${scheme}:// is not a database teamgraph can use: give an SQLite file path, a postgres:// or postgresql:// URL, or --memory`);
  }
  // A setting that would change nothing is refused rather than believed.
  if (isPostgres && raw['sqlite-synchronous'] !== undefined) problems.push('--sqlite-synchronous applies to SQLite only, not to a postgres:// database');
  raw['sqlite-synchronous'] ??= 'normal';
  for (const name of integerOptions) {
    const value = raw[name];
    if (typeof value === 'string' && /^\d+$/.test(value)) raw[name] = Number(value);
  }

  for (const error of Value.Errors(RawConfig, raw)) {
    const key = error.instancePath.replace(/^\//, '') || 'config';
    const problem = `--${key} ${error.message}`;
    if (!problems.includes(problem)) problems.push(problem);
  }
  if (raw.memory === true && raw.database !== undefined) problems.push('--memory and --database exclude each other');
  if (raw.seed !== undefined && raw['no-seed'] === true) problems.push('--seed and --no-seed exclude each other');
  // The key travels as `Authorization: Bearer <key>`: one token, no spaces.
  if (typeof raw['control-key'] === 'string' && /\s/.test(raw['control-key'])) problems.push('--control-key must not contain white space');
  if (raw['control-key'] !== undefined && raw.auth !== 'strict')
    problems.push('--control-key needs --auth strict: in dev mode the control plane is open to anyone');
  if ((raw.cert === undefined) !== (raw.key === undefined)) problems.push('--cert and --key go together');
  if (raw.pfx !== undefined && raw.cert !== undefined) problems.push('--pfx and --cert/--key exclude each other');
  // Node refuses a headers timeout longer than the request's, which includes the headers.
  if (Number(raw['headers-timeout-ms']) > Number(raw['request-timeout-ms'])) problems.push('--headers-timeout-ms must not exceed --request-timeout-ms');
  if (problems.length > 0) return { kind: 'error', message: `invalid configuration: ${problems.join('; ')}` };

  const valid = raw as Static<typeof RawConfig>;
  const dataDir = path.resolve(valid.data);
  const seed: SeedSource = valid['no-seed'] ? { kind: 'none' } : valid.seed !== undefined ? { kind: 'file', path: path.resolve(valid.seed) } : { kind: 'demo' };
  return {
    kind: 'run',
    config: Object.freeze({
      port: valid.port,
      host: valid.host,
      dataDir,
      database: databaseTarget(valid, dataDir),
      seed,
      publicUrl: valid['public-url'] ?? null,
      logLevel: valid['log-level'],
      operationDelayMs: valid['operation-delay-ms'],
      headersTimeoutMs: valid['headers-timeout-ms'],
      requestTimeoutMs: valid['request-timeout-ms'],
      keepAliveTimeoutMs: valid['keep-alive-timeout-ms'],
      maxConnections: valid['max-connections'],
      shutdownGraceMs: valid['shutdown-grace-ms'],
      auth: valid.auth,
      controlKey: valid['control-key'] ?? null,
      tls: tlsSource(valid),
      rememberedFacts: valid['remembered-facts'] === 'on',
    }),
  };
}

function databaseTarget(valid: Static<typeof RawConfig>, dataDir: string): DatabaseTarget {
  const synchronous = valid['sqlite-synchronous'];
  if (valid.memory) return { kind: 'sqlite', file: ':memory:', synchronous };
  const database = valid.database ?? path.join(dataDir, 'teamgraph.db');
  if (/^postgres(ql)?:\/\//i.test(database)) return { kind: 'postgres', url: database };
  return { kind: 'sqlite', file: path.resolve(database), synchronous };
}

function tlsSource(valid: Static<typeof RawConfig>): TlsSource {
  if (valid.pfx !== undefined) return { kind: 'pfx', pfx: path.resolve(valid.pfx), passphrase: valid['pfx-passphrase'] ?? null };
  if (valid.cert !== undefined && valid.key !== undefined) return { kind: 'pem', cert: path.resolve(valid.cert), key: path.resolve(valid.key) };
  return valid.https ? { kind: 'self-signed' } : { kind: 'none' };
}

function helpText(): string {
  const lines = ['Usage: teamgraph [options]', '', 'A Microsoft Graph compatible server for Teams and Groups conversations.', '', 'Options:'];
  for (const [name, spec] of Object.entries(options) as [string, OptionSpec][]) {
    const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.arg === undefined ? '' : ` ${spec.arg}`}`;
    const env = spec.env === undefined ? '' : ` [env ${spec.env}]`;
    lines.push(`  ${flag.padEnd(30)} ${spec.help}${env}`);
  }
  lines.push('', 'Flags win over environment variables, which win over defaults.');
  return lines.join('\n');
}
