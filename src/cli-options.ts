import { parseArgs } from 'node:util';
import { version } from './version.ts';

// The CLI's flags, each with its environment variable and help line, and its commands. This file loads
// nothing else, so that `--help` and `--version` answer before the server's modules are read (decision 141).

export const options = {
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
  reseed: {
    type: 'boolean',
    env: 'TEAMGRAPH_RESEED',
    help: 'when the database holds another seed than the one given, replace what it holds with this seed (without it, the server refuses to start)',
  },
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
  'notification-retry-ms': {
    type: 'string',
    env: 'TEAMGRAPH_NOTIFICATION_RETRY_MS',
    arg: '<ms>',
    help: 'wait before a failed change notification is posted again, doubled after each failure (default 10000)',
  },
  'notification-retry-window-ms': {
    type: 'string',
    env: 'TEAMGRAPH_NOTIFICATION_RETRY_WINDOW_MS',
    arg: '<ms>',
    help: 'how long a failed change notification is retried before it is dropped, as Graph does for 4 hours (default 14400000)',
  },
  faults: {
    type: 'string',
    env: 'TEAMGRAPH_FAULTS',
    arg: '<rate>',
    help: "answer this share of Graph requests (0 to 1) with a random transient failure, 429, 500, 502, 503 or 504, in Graph's envelope; change it while running with PUT /_teamgraph/faults (default 0: none)",
  },
  'faults-seed': {
    type: 'string',
    env: 'TEAMGRAPH_FAULTS_SEED',
    arg: '<n>',
    help: 'seed of the --faults draws, so that a run fails the same requests as the last (default: a new seed each start)',
  },
  'faults-statuses': {
    type: 'string',
    env: 'TEAMGRAPH_FAULTS_STATUSES',
    arg: '<list>',
    help: 'the statuses --faults answers with, comma-separated, from 429, 500, 502, 503, 504 (default all five)',
  },
  'faults-routes': {
    type: 'string',
    env: 'TEAMGRAPH_FAULTS_ROUTES',
    arg: '<globs>',
    help: 'the requests --faults may fail, comma-separated path globs, each optionally after a method: "POST /v1.0/chats/*/messages,/beta/**" (default /**: all)',
  },
  'faults-retry-after': {
    type: 'string',
    env: 'TEAMGRAPH_FAULTS_RETRY_AFTER',
    arg: '<s>',
    help: 'the Retry-After, in seconds, of a 429 or 503 from --faults (default 1)',
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
    help: 'serve TLS; without --cert/--key or --pfx a self-signed certificate for localhost is created once in <data>/tls (with --memory and no --data: ~/.cache/teamgraph/tls)',
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

/** How a yes/no option's environment variable may be spelled, in any case (TEAMGRAPH_MEMORY=1, TEAMGRAPH_HTTPS=yes). */
export const booleanWords = { true: ['1', 'true', 'yes', 'on'], false: ['0', 'false', 'no', 'off'] } as const;

/** The commands, `teamgraph <command>`: each does its one thing and exits instead of starting the server. */
const commands = {
  'seed-schema': { help: 'print the JSON Schema of --seed files (seed.schema.json) and exit' },
  export: { help: 'write the state of the database the options name as a seed, to stdout' },
} as const satisfies Record<string, { help: string }>;

export type CommandName = keyof typeof commands;

export function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(commands, name);
}

/** The options a server takes, named as the CLI's flags (`--help` and `--version` apart). */
export type OptionName = Exclude<keyof typeof options, 'help' | 'version'>;

export interface OptionSpec {
  type: 'string' | 'boolean';
  env?: string;
  arg?: string;
  short?: string;
  help: string;
}

/** The help text or the version, when the flags ask for one: the CLI prints it and exits. */
export function earlyAnswer(argv: readonly string[]): string | null {
  const { values } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true });
  if (values.help === true) return helpText();
  if (values.version === true) return version;
  return null;
}

function helpText(): string {
  const lines = [
    'Usage: teamgraph [options]',
    '       teamgraph <command> [options]',
    '',
    'A Microsoft Graph compatible server for Teams and Groups conversations.',
    '',
    'Commands:',
  ];
  for (const [name, spec] of Object.entries(commands)) lines.push(`  ${name.padEnd(30)} ${spec.help}`);
  lines.push('', 'Options:');
  for (const [name, spec] of Object.entries(options) as [string, OptionSpec][]) {
    const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.arg === undefined ? '' : ` ${spec.arg}`}`;
    const env = spec.env === undefined ? '' : ` [env ${spec.env}]`;
    lines.push(`  ${flag.padEnd(30)} ${spec.help}${env}`);
  }
  lines.push(
    '',
    'Flags win over environment variables, which win over defaults.',
    `A yes/no variable takes ${booleanWords.true.join(', ')} or ${booleanWords.false.join(', ')}, in any case.`,
  );
  return lines.join('\n');
}
