import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { type OptionSpec, booleanWords, options } from './cli-options.ts';
import { type FaultSettings, FaultSettingsBody, faultSettingsOf, noFaults } from './wire/faults.ts';

// One table drives the flags, the TEAMGRAPH_* variables, the validation and `--help`.
const LogLevel = Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const RawConfig = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  data: Type.String({ minLength: 1 }),
  database: Type.Optional(Type.String({ minLength: 1 })),
  memory: Type.Boolean(),
  seed: Type.Optional(Type.String({ minLength: 1 })),
  'no-seed': Type.Boolean(),
  reseed: Type.Boolean(),
  'public-url': Type.Optional(Type.String({ pattern: '^https?://[^/]+$' })),
  'log-level': LogLevel,
  'operation-delay-ms': Type.Integer({ minimum: 0, maximum: 3_600_000 }),
  'notification-retry-ms': Type.Integer({ minimum: 10, maximum: 3_600_000 }),
  'notification-retry-window-ms': Type.Integer({ minimum: 0, maximum: 86_400_000 }),
  faults: FaultSettingsBody.properties.rate,
  'faults-seed': FaultSettingsBody.properties.seed,
  'faults-statuses': FaultSettingsBody.properties.statuses,
  'faults-routes': FaultSettingsBody.properties.routes,
  'faults-retry-after': FaultSettingsBody.properties.retryAfterSeconds,
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
  | { kind: 'none' }
  | { kind: 'self-signed'; dir: string }
  | { kind: 'pem'; cert: string; key: string }
  | { kind: 'pfx'; pfx: string; passphrase: string | null };
export type SeedSource = { kind: 'demo' } | { kind: 'file'; path: string } | { kind: 'none' };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseTarget;
  readonly seed: SeedSource;
  /** Whether a database holding another seed is reset to this one, rather than refused. */
  readonly reseed: boolean;
  readonly publicUrl: string | null;
  readonly logLevel: Static<typeof LogLevel>;
  readonly operationDelayMs: number;
  /** The wait before a failed webhook delivery is tried again, doubled for each further failure. */
  readonly notificationRetryMs: number;
  /** How long a failed delivery is tried again before it is dropped (Graph: 4 hours). */
  readonly notificationRetryWindowMs: number;
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
  /** The random failures Graph requests get at start (decision 153). */
  readonly faults: FaultSettings;
}

export type ConfigResult = { kind: 'run'; config: Config } | { kind: 'error'; message: string };

// The transport's bounds close an idle or trickling client within 30 s (docs/decisions.md 102).
const defaults = {
  port: '4545',
  host: '127.0.0.1',
  data: '.teamgraph',
  'log-level': 'info',
  'operation-delay-ms': '250',
  'notification-retry-ms': '10000',
  'notification-retry-window-ms': '14400000',
  'headers-timeout-ms': '10000',
  'request-timeout-ms': '20000',
  'keep-alive-timeout-ms': '5000',
  'max-connections': '1000',
  'shutdown-grace-ms': '10000',
  auth: 'dev',
  'remembered-facts': 'on',
  faults: String(noFaults.rate),
  'faults-statuses': noFaults.statuses.join(','),
  'faults-routes': noFaults.routes.join(','),
  'faults-retry-after': String(noFaults.retryAfterSeconds),
};
const integerOptions = [
  'port',
  'operation-delay-ms',
  'notification-retry-ms',
  'notification-retry-window-ms',
  'headers-timeout-ms',
  'request-timeout-ms',
  'keep-alive-timeout-ms',
  'max-connections',
  'shutdown-grace-ms',
  'faults-seed',
  'faults-retry-after',
];

/** Flags win over TEAMGRAPH_* variables, which win over defaults; nothing else reads process.env. */
export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigResult {
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return { kind: 'error', message: `${(err as Error).message} (see teamgraph --help)` };
  }

  const raw: Record<string, unknown> = { ...defaults };
  const problems: string[] = [];
  // A problem names the setting as the user gave it: the variable when the value came from the environment.
  const givenAs = new Map<string, string>();
  const settingName = (name: string) => givenAs.get(name) ?? `--${name}`;
  for (const [name, spec] of Object.entries(options) as [string, OptionSpec][]) {
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    const value = flags[name] ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
    if (value === undefined) continue;
    if (flags[name] === undefined) givenAs.set(name, `${spec.env} (--${name})`);
    if (spec.type === 'boolean' && typeof value === 'string') {
      const word = value.toLowerCase();
      raw[name] = (booleanWords.true as readonly string[]).includes(word);
      if (!raw[name] && !(booleanWords.false as readonly string[]).includes(word)) {
        problems.push(`${settingName(name)} must be one of ${[...booleanWords.true, ...booleanWords.false].join(', ')}, not "${value}"`);
      }
    } else {
      raw[name] = value;
    }
  }
  raw.memory ??= false;
  raw['no-seed'] ??= false;
  raw.reseed ??= false;
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
  if (typeof raw.faults === 'string' && /^(\d+(\.\d*)?|\.\d+)$/.test(raw.faults)) raw.faults = Number(raw.faults);
  for (const name of ['faults-statuses', 'faults-routes']) {
    if (typeof raw[name] === 'string') raw[name] = raw[name].split(',').map((item) => item.trim());
  }
  if (Array.isArray(raw['faults-statuses']))
    raw['faults-statuses'] = (raw['faults-statuses'] as unknown[]).map((item) => (/^\d+$/.test(String(item)) ? Number(item) : item));

  for (const error of Value.Errors(RawConfig, raw)) {
    // A list's item is named by the list and its value.
    const [key = 'config', item] = error.instancePath.replace(/^\//, '').split('/');
    const value = item === undefined ? raw[key] : (raw[key] as unknown[])[Number(item)];
    // An enumeration lists what it takes; its values are never secrets, so the one given is repeated.
    const allowed = error.keyword === 'enum' ? (error.params as { allowedValues: readonly (string | number)[] }).allowedValues : null;
    const what = allowed === null ? error.message : `must be one of ${allowed.join(', ')}, not "${String(value)}"`;
    const problem = `${settingName(key)} ${what}`;
    if (!problems.includes(problem)) problems.push(problem);
  }
  if (raw.memory === true && raw.database !== undefined) problems.push('--memory and --database exclude each other');
  if (raw.seed !== undefined && raw['no-seed'] === true) problems.push('--seed and --no-seed exclude each other');
  if (raw.reseed === true && raw['no-seed'] === true) problems.push('--reseed and --no-seed exclude each other');
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
      reseed: valid.reseed,
      publicUrl: valid['public-url'] ?? null,
      logLevel: valid['log-level'],
      operationDelayMs: valid['operation-delay-ms'],
      notificationRetryMs: valid['notification-retry-ms'],
      notificationRetryWindowMs: valid['notification-retry-window-ms'],
      headersTimeoutMs: valid['headers-timeout-ms'],
      requestTimeoutMs: valid['request-timeout-ms'],
      keepAliveTimeoutMs: valid['keep-alive-timeout-ms'],
      maxConnections: valid['max-connections'],
      shutdownGraceMs: valid['shutdown-grace-ms'],
      auth: valid.auth,
      controlKey: valid['control-key'] ?? null,
      tls: tlsSource(valid, dataDir, flags.data !== undefined || givenAs.has('data'), env),
      rememberedFacts: valid['remembered-facts'] === 'on',
      faults: faultSettingsOf({
        rate: valid.faults,
        statuses: valid['faults-statuses'],
        routes: valid['faults-routes'],
        retryAfterSeconds: valid['faults-retry-after'],
        seed: valid['faults-seed'],
      }),
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

/**
 * Where a self-signed certificate is kept: in the data directory, except for `--memory` without a
 * `--data`, which writes nothing into the working directory; there it is kept in the user's cache
 * directory, so that a client told to trust it still trusts it after a restart (decision 147).
 */
function tlsSource(valid: Static<typeof RawConfig>, dataDir: string, dataGiven: boolean, env: Readonly<Record<string, string | undefined>>): TlsSource {
  if (valid.pfx !== undefined) return { kind: 'pfx', pfx: path.resolve(valid.pfx), passphrase: valid['pfx-passphrase'] ?? null };
  if (valid.cert !== undefined && valid.key !== undefined) return { kind: 'pem', cert: path.resolve(valid.cert), key: path.resolve(valid.key) };
  if (!valid.https) return { kind: 'none' };
  if (!valid.memory || dataGiven) return { kind: 'self-signed', dir: path.join(dataDir, 'tls') };
  const cache = env.XDG_CACHE_HOME !== undefined && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return { kind: 'self-signed', dir: path.join(cache, 'teamgraph', 'tls') };
}
