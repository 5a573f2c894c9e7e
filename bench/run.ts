// `npm run bench`: load benchmarks that report every figure as a ratio against a baseline measured in
// the same run, in interleaved rounds, because these machines are shared and noisy (docs/benchmarks.md).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { type Store, openStore } from '../src/store/db.ts';
import type { MessageTable } from '../src/store/schema.ts';
import { benchStartup } from './startup.ts';
import {
  type Case,
  type Flavour,
  type Server,
  type Target,
  adele,
  cases,
  filterChatId,
  filterMessages,
  filterStart,
  tenantId,
  generalChannelId,
  watchedChannel,
} from './cases.ts';

const onlyCases = process.env.BENCH_CASES?.split(',');
// A name selects one case (`user-get-app`); an operation, every flavour of it (`user-get`).
const selectedCases = onlyCases === undefined ? cases : cases.filter((c) => onlyCases.includes(c.name) || onlyCases.includes(c.operation));
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 3);
const connections = 10;
// The seed's demo app and users (src/seed/demo-tenant.json).
const demoClientId = '6e2b3c8a-1f4d-4b7e-9a21-7c5d0e3f9b14';
const demoClientSecret = 'teamgraph-demo-secret';
const demoPassword = 'Passw0rd!';
const adeleUpn = 'AdeleV@contoso.com';

function startProcess(args: string[], ready: RegExp): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = ready.exec(output)?.[1];
      if (port !== undefined) resolve({ child, port: Number(port) });
    });
    child.on('close', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${output}`)));
  });
}

/** The bearer token of each flavour, from teamgraph's own authority (docs/identity.md); dev mode sends none. */
type Tokens = Readonly<Record<Flavour, string | null>>;

async function tokensFrom(port: number): Promise<Tokens> {
  const token = async (form: Record<string, string>) => {
    const response = await fetch(`http://127.0.0.1:${port}/${tenantId}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
    if (!response.ok) throw new Error(`token endpoint: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const client = { client_id: demoClientId, scope: 'https://graph.microsoft.com/.default' };
  return {
    app: await token({ ...client, grant_type: 'client_credentials', client_secret: demoClientSecret }),
    delegated: await token({ ...client, grant_type: 'password', username: adeleUpn, password: demoPassword }),
    dev: null,
  };
}

async function operationsPerSecond(port: number, target: Target, tokens: Tokens): Promise<number> {
  const { body } = target;
  const token = tokens[target.flavour];
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: durationSeconds,
    requests: [
      {
        method: target.method,
        path: target.path,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { setupRequest: (request: autocannon.Request) => ({ ...request, body: JSON.stringify(body()) }) }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${target.method} ${target.path} (${target.flavour}): ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average / (target.requestsPerOperation ?? 1);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const adminUrl = process.env.TEAMGRAPH_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchDatabase = `teamgraph_bench_${process.pid}`;

async function adminQuery(statement: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query(statement);
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh PostgreSQL database for the run, or null when no server answers. */
async function postgresUrl(): Promise<string | null> {
  if (!(await adminQuery(`create database ${benchDatabase}`))) return null;
  const url = new URL(adminUrl);
  url.pathname = `/${benchDatabase}`;
  return url.toString();
}

/** Runs `work` on a store of its own over the run's database, closed after. */
async function withStore(database: string, work: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore(
    database.startsWith('postgres') ? { kind: 'postgres', url: database } : { kind: 'sqlite', file: database, synchronous: 'normal' },
  );
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

/** Adele's group chat with 10,000 messages, written straight to the store (teamgraph has migrated it). */
function seedFilterChat(database: string): Promise<void> {
  return withStore(database, async (store) => {
    const now = new Date(filterStart).toISOString();
    await store.db
      .insertInto('chats')
      .values({
        id: filterChatId,
        tenant_id: tenantId,
        chat_type: 'group',
        topic: 'Bench filter chat',
        created_by_user_id: adele,
        created_by_app_id: null,
        is_hidden_for_all_members: 0,
        migration_mode: null,
        original_created_date_time: null,
        created_date_time: now,
        last_updated_date_time: now,
      })
      .execute();
    await store.db
      .insertInto('chat_members')
      .values({
        chat_id: filterChatId,
        user_id: adele,
        tenant_id: tenantId,
        roles: '["owner"]',
        visible_history_start_date_time: '0001-01-01T00:00:00.000Z',
        created_date_time: now,
      })
      .execute();
    const rows: MessageTable[] = Array.from({ length: filterMessages }, (_unused, n) => {
      const at = new Date(filterStart + n * 60_000).toISOString();
      return {
        container_id: filterChatId,
        id: String(filterStart + n * 60_000),
        container_kind: 'chat',
        team_id: null,
        reply_to_id: null,
        message_type: 'message',
        from_user_id: adele,
        from_display_name: 'Adele Vance',
        from_tenant_id: tenantId,
        from_app_id: null,
        subject: null,
        body_content_type: 'text',
        body_content: `Filter bench message ${n}`,
        importance: 'normal',
        attachments: '[]',
        mentions: '[]',
        reactions: '[]',
        created_date_time: at,
        last_modified_date_time: at,
        last_edited_date_time: null,
        deleted_date_time: null,
      };
    });
    for (let at = 0; at < rows.length; at += 500)
      await store.db
        .insertInto('messages')
        .values(rows.slice(at, at + 500))
        .execute();
  });
}

/**
 * PostgreSQL's autovacuum takes statistics of a table within a minute of a load like the warm-up's; the
 * bench cannot wait, and may run where autovacuum is off. Without statistics the planner believes each
 * container holds one message, finds an unordered index and a sort as cheap as the ordered index, and
 * either side may then sort a whole channel per page (docs/benchmarks.md).
 */
async function analyze(database: string): Promise<void> {
  if (database.startsWith('postgres')) await withStore(database, (store) => sql`analyze`.execute(store.db).then(() => undefined));
}

/** A webhook for the notify case: it answers validation, accepts every notification, and counts them. */
interface BenchReceiver {
  readonly url: string;
  /** Notification items received, and when the first and the latest came. */
  readonly received: { count: number; first: number; last: number };
  close(): void;
}

async function startBenchReceiver(): Promise<BenchReceiver> {
  const received = { count: 0, first: 0, last: 0 };
  const server = http.createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('validationToken');
    if (token !== null) return res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const now = Date.now();
      received.count += (JSON.parse(body) as { value: unknown[] }).value.length;
      if (received.first === 0) received.first = now;
      received.last = now;
      res.writeHead(202).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/notify`, received, close: () => server.close() };
}

/**
 * `count` subscriptions to the watched channel's messages, made through the API as an app would make
 * them. One caller may hold one per set of change types (Graph's 409): the delegated user, the app and
 * dev mode's caller each take the four sets that include `created`.
 */
/** The watched channel: a copy of the team's General channel under another id and name. */
function seedWatchedChannel(database: string): Promise<void> {
  return withStore(database, async (store) => {
    const general = await store.db.selectFrom('channels').selectAll().where('id', '=', generalChannelId).executeTakeFirstOrThrow();
    await store.db
      .insertInto('channels')
      .values({ ...general, id: watchedChannel.channelId, display_name: 'Watched', email: '' })
      .execute();
  });
}

async function subscribeWatchers(port: number, tokens: Tokens, receiver: BenchReceiver, count: number): Promise<void> {
  const changeTypes = ['created', 'created,updated', 'created,deleted', 'created,updated,deleted'];
  const callers = [tokens.delegated, tokens.app, tokens.dev];
  const resource = `/teams/${watchedChannel.teamId}/channels/${watchedChannel.channelId}/messages`;
  for (let n = 0; n < count; n++) {
    const token = callers[Math.floor(n / changeTypes.length)] ?? null;
    const response = await fetch(`http://127.0.0.1:${port}/v1.0/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({
        changeType: changeTypes[n % changeTypes.length],
        notificationUrl: receiver.url,
        resource,
        expirationDateTime: new Date(Date.now() + 55 * 60_000).toISOString(),
      }),
    });
    if (response.status !== 201) throw new Error(`subscription ${n + 1}: ${response.status} ${await response.text()}`);
  }
}

/** Waits until no notification has come for a second: the outbox has drained. */
async function drained(receiver: BenchReceiver): Promise<void> {
  for (;;) {
    const before = receiver.received.count;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (receiver.received.count === before) return;
  }
}

const startTeamgraph = (database: string, args: string[] = []) =>
  startProcess(['bin/teamgraph.js', '--database', database, '--port', '0', '--log-level', 'silent', ...args], /listening on http:\/\/127\.0\.0\.1:(\d+)/);

type Side = 'graph' | 'baseline';
const sides: readonly Side[] = ['baseline', 'graph'];
const defaultServers: Record<Side, Server> = { graph: 'teamgraph', baseline: 'baseline' };

async function benchStore(label: string, database: string): Promise<string[]> {
  const storeCases = selectedCases.filter((c) => label === 'sqlite' || c.isSqliteOnly !== true);
  if (storeCases.length === 0) return [];
  const teamgraph = await startTeamgraph(database);
  if (storeCases.some((c) => c.operation === 'chat-message-filter')) await seedFilterChat(database);
  const baseline = await startProcess(['--import', 'tsx', 'bench/baseline-server.ts', database], /listening (\d+)/);
  const needsFull = storeCases.some((c) => c.graph.server === 'teamgraph-full' || c.baseline.server === 'teamgraph-full');
  const teamgraphFull = needsFull ? await startTeamgraph(database, ['--sqlite-synchronous', 'full']) : null;
  const ports: Record<Server, number> = { teamgraph: teamgraph.port, baseline: baseline.port, 'teamgraph-full': teamgraphFull?.port ?? 0 };
  const summary: string[] = [];
  let receiver: BenchReceiver | null = null;
  try {
    const ratios = new Map<string, number[]>(storeCases.map((c) => [c.name, []]));
    const rates = new Map<string, { graph: number[]; base: number[] }>(storeCases.map((c) => [c.name, { graph: [], base: [] }]));
    const tokens = await tokensFrom(teamgraph.port);
    const watchers = Math.max(0, ...storeCases.map((c) => c.watchers ?? 0));
    if (watchers > 0) {
      await seedWatchedChannel(database);
      receiver = await startBenchReceiver();
      await subscribeWatchers(teamgraph.port, tokens, receiver, watchers);
    }
    const measure = (c: Case, side: Side) => operationsPerSecond(ports[c[side].server ?? defaultServers[side]], c[side], tokens);
    // Warm-up of both sides; the Graph side's also fills the channel past 50 messages.
    for (const c of storeCases) for (const side of sides) await measure(c, side);
    await analyze(database);
    for (let round = 1; round <= rounds; round++) {
      for (const c of storeCases) {
        // The baseline first in odd rounds, teamgraph first in even ones: neither side always runs second.
        const rate: Record<Side, number> = { graph: 0, baseline: 0 };
        for (const side of round % 2 === 1 ? sides : [...sides].reverse()) rate[side] = await measure(c, side);
        const { graph, baseline: base } = rate;
        ratios.get(c.name)?.push(graph / base);
        rates.get(c.name)?.graph.push(graph);
        rates.get(c.name)?.base.push(base);
        console.log(
          `${label} round ${round} ${c.name}: teamgraph ${graph.toFixed(0)} op/s, baseline ${base.toFixed(0)} op/s, ratio ${(graph / base).toFixed(2)}`,
        );
      }
    }
    for (const c of storeCases) {
      const r = ratios.get(c.name) ?? [];
      const rate = rates.get(c.name) ?? { graph: [], base: [] };
      console.log(
        `${label} ${c.name}: teamgraph median ${median(rate.graph).toFixed(0)} op/s, baseline median ${median(rate.base).toFixed(0)} op/s, ratio median ${median(r).toFixed(2)} (min ${Math.min(...r).toFixed(2)}, max ${Math.max(...r).toFixed(2)})`,
      );
      summary.push(`ratio ${c.name}${label === 'sqlite' ? '' : `-${label}`} ${median(r).toFixed(2)}`);
    }
    if (receiver !== null) {
      // Deliveries run beside the posts; what is still in the outbox after the last round is drained too.
      await drained(receiver);
      const { count, first, last } = receiver.received;
      const perSecond = count / Math.max(0.001, (last - first) / 1000);
      console.log(`${label} notifications: ${count} delivered to the local receiver, ${perSecond.toFixed(0)} per second`);
      summary.push(`deliveries-per-second${label === 'sqlite' ? '' : `-${label}`} ${perSecond.toFixed(0)}`);
    }
  } finally {
    receiver?.close();
    await Promise.all(
      [teamgraph, baseline, teamgraphFull].flatMap((server) => (server === null ? [] : [new Promise((resolve) => server.child.once('close', resolve).kill())])),
    );
  }
  return summary;
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-bench-'));
const summary: string[] = [];
try {
  if (onlyCases === undefined || onlyCases.includes('startup')) summary.push(...(await benchStartup(rounds)));
  summary.push(...(await benchStore('sqlite', path.join(workDir, 'bench.db'))));
  const pgUrl = selectedCases.length === 0 ? undefined : await postgresUrl();
  if (pgUrl === null) console.log('postgres: no server answers; skipped');
  else if (pgUrl !== undefined)
    summary.push(...(await benchStore('postgres', pgUrl).finally(() => adminQuery(`drop database if exists ${benchDatabase} with (force)`))));
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
for (const line of summary) console.log(line);
