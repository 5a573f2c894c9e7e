// `npm run bench`: load benchmarks that report every figure as a ratio against a baseline measured in
// the same run, in interleaved rounds, because these machines are shared and noisy (docs/benchmarks.md).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { type Store, openStore } from '../src/store/db.ts';
import type { MessageTable } from '../src/store/schema.ts';

interface Target {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** A fresh body per request (a new chat topic each time), or none. */
  readonly body?: () => unknown;
  /**
   * The server it runs on: by default teamgraph for the Graph side and the bare baseline server for the
   * baseline; `teamgraph-full` is teamgraph with `--sqlite-synchronous full` on the same SQLite file.
   */
  readonly server?: Server;
  /** How many requests make one operation; rates are operations per second. */
  readonly requestsPerOperation?: number;
}

type Server = 'baseline' | 'teamgraph' | 'teamgraph-full';

interface Case {
  readonly name: string;
  readonly graph: Target;
  readonly baseline: Target;
  /** A case about an SQLite setting, not run on PostgreSQL. */
  readonly isSqliteOnly?: boolean;
}

const adele = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
const chatId = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
const teamId = '57fb72d0-d811-46f4-8947-305e6072eaa5';
const channelId = '19:6a2c9e4b1d8f4c7ab0e5d3f2a1b4c6d8@thread.tacv2';
const channelMessages = `/v1.0/teams/${teamId}/channels/${encodeURIComponent(channelId)}/messages`;
let sequence = 0;
const member = (userId: string) => ({ '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: ['owner'], 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')` });
const groupChat = () => ({
  chatType: 'group',
  topic: `Bench chat ${process.pid}-${++sequence}`,
  members: [member(adele), member('8b081ef6-4792-4def-b2c9-c363a1bf41d5'), member('8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca')],
});
const message = () => ({ body: { contentType: 'text', content: `Bench message ${++sequence}` } });
// One $batch of 20 user reads against the same 20 reads sent one by one to teamgraph.
const batchSize = 20;
const batchOfUserGets = { requests: Array.from({ length: batchSize }, (_, index) => ({ id: String(index + 1), method: 'GET', url: `/users/${adele}` })) };
// The chat the chat-message-filter case fills with 10,000 messages, one a minute from this instant.
const filterChatId = '19:bench-filter-chat@thread.v2';
const filterStart = Date.parse('2026-01-01T00:00:00Z');
const filterMessages = 10_000;
const filterAfter = new Date(filterStart + (filterMessages / 2) * 60_000).toISOString();

const cases: Case[] = [
  { name: 'user-get', graph: { method: 'GET', path: `/v1.0/users/${adele}` }, baseline: { method: 'GET', path: `/users/${adele}` } },
  { name: 'team-get', graph: { method: 'GET', path: `/v1.0/teams/${teamId}` }, baseline: { method: 'GET', path: `/teams/${teamId}` } },
  { name: 'chat-create', graph: { method: 'POST', path: '/v1.0/chats', body: groupChat }, baseline: { method: 'POST', path: '/rows', body: groupChat } },
  {
    name: 'chat-get-members',
    graph: { method: 'GET', path: `/v1.0/chats/${encodeURIComponent(chatId)}?$expand=members` },
    baseline: { method: 'GET', path: `/chats/${encodeURIComponent(chatId)}` },
  },
  {
    name: 'batch-get-20',
    graph: { method: 'POST', path: '/v1.0/$batch', body: () => batchOfUserGets },
    baseline: { method: 'GET', path: `/v1.0/users/${adele}`, server: 'teamgraph', requestsPerOperation: batchSize },
  },
  { name: 'channel-message-create', graph: { method: 'POST', path: channelMessages, body: message }, baseline: { method: 'POST', path: '/rows', body: message } },
  {
    name: 'channel-message-list',
    graph: { method: 'GET', path: `${channelMessages}?$top=50` },
    baseline: { method: 'GET', path: `/messages/${encodeURIComponent(channelId)}` },
  },
  {
    // chat-list-messages.md's filter: lastModifiedDateTime gt …, with $orderby on the same property.
    name: 'chat-message-filter',
    graph: {
      method: 'GET',
      path: `/v1.0/chats/${encodeURIComponent(filterChatId)}/messages?$filter=${encodeURIComponent(`lastModifiedDateTime gt ${filterAfter}`)}&$orderby=${encodeURIComponent('lastModifiedDateTime desc')}&$top=50`,
    },
    baseline: { method: 'GET', path: `/chat-messages/${encodeURIComponent(filterChatId)}?after=${encodeURIComponent(filterAfter)}` },
  },
  {
    // What syncing every commit costs (decision 96): the same channel post, teamgraph with FULL against
    // teamgraph with the default NORMAL, on one SQLite file.
    name: 'sqlite-synchronous-full',
    graph: { method: 'POST', path: channelMessages, body: message, server: 'teamgraph-full' },
    baseline: { method: 'POST', path: channelMessages, body: message, server: 'teamgraph' },
    isSqliteOnly: true,
  },
];
const onlyCases = process.env.BENCH_CASES?.split(',');
const selectedCases = onlyCases === undefined ? cases : cases.filter((c) => onlyCases.includes(c.name));
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 3);
const connections = 10;

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

async function operationsPerSecond(port: number, target: Target): Promise<number> {
  const { body } = target;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: durationSeconds,
    requests: [
      {
        method: target.method,
        path: target.path,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { setupRequest: (request: autocannon.Request) => ({ ...request, body: JSON.stringify(body()) }) }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target.method} ${target.path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
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
  const store = await openStore(database.startsWith('postgres') ? { kind: 'postgres', url: database } : { kind: 'sqlite', file: database, synchronous: 'normal' });
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
      .values({ id: filterChatId, tenant_id: 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f', chat_type: 'group', topic: 'Bench filter chat', created_by_user_id: adele, created_by_app_id: null,
        is_hidden_for_all_members: 0, migration_mode: null, original_created_date_time: null, created_date_time: now, last_updated_date_time: now })
      .execute();
    await store.db.insertInto('chat_members').values({ chat_id: filterChatId, user_id: adele, tenant_id: 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f', roles: '["owner"]', visible_history_start_date_time: '0001-01-01T00:00:00.000Z', created_date_time: now }).execute();
    const rows: MessageTable[] = Array.from({ length: filterMessages }, (_unused, n) => {
      const at = new Date(filterStart + n * 60_000).toISOString();
      return { container_id: filterChatId, id: String(filterStart + n * 60_000), container_kind: 'chat', team_id: null, reply_to_id: null, message_type: 'message', from_user_id: adele,
        from_display_name: 'Adele Vance', from_tenant_id: 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f', from_app_id: null,
        subject: null, body_content_type: 'text', body_content: `Filter bench message ${n}`, importance: 'normal', attachments: '[]', mentions: '[]', reactions: '[]',
        created_date_time: at, last_modified_date_time: at, last_edited_date_time: null, deleted_date_time: null };
    });
    for (let at = 0; at < rows.length; at += 500) await store.db.insertInto('messages').values(rows.slice(at, at + 500)).execute();
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

const startTeamgraph = (database: string, args: string[] = []) =>
  startProcess(['bin/teamgraph.js', '--database', database, '--port', '0', '--log-level', 'silent', ...args], /listening on http:\/\/127\.0\.0\.1:(\d+)/);

async function benchStore(label: string, database: string): Promise<string[]> {
  const storeCases = selectedCases.filter((c) => label === 'sqlite' || c.isSqliteOnly !== true);
  if (storeCases.length === 0) return [];
  const teamgraph = await startTeamgraph(database);
  if (storeCases.some((c) => c.name === 'chat-message-filter')) await seedFilterChat(database);
  const baseline = await startProcess(['--import', 'tsx', 'bench/baseline-server.ts', database], /listening (\d+)/);
  const needsFull = storeCases.some((c) => c.graph.server === 'teamgraph-full' || c.baseline.server === 'teamgraph-full');
  const teamgraphFull = needsFull ? await startTeamgraph(database, ['--sqlite-synchronous', 'full']) : null;
  const ports: Record<Server, number> = { teamgraph: teamgraph.port, baseline: baseline.port, 'teamgraph-full': teamgraphFull?.port ?? 0 };
  const summary: string[] = [];
  try {
    const ratios = new Map<string, number[]>(storeCases.map((c) => [c.name, []]));
    const rates = new Map<string, { graph: number[]; base: number[] }>(storeCases.map((c) => [c.name, { graph: [], base: [] }]));
    for (const c of storeCases) await operationsPerSecond(ports[c.graph.server ?? 'teamgraph'], c.graph); // warm-up; also fills the channel past 50 messages
    await analyze(database);
    for (let round = 1; round <= rounds; round++) {
      for (const c of storeCases) {
        const base = await operationsPerSecond(ports[c.baseline.server ?? 'baseline'], c.baseline);
        const graph = await operationsPerSecond(ports[c.graph.server ?? 'teamgraph'], c.graph);
        ratios.get(c.name)?.push(graph / base);
        rates.get(c.name)?.graph.push(graph);
        rates.get(c.name)?.base.push(base);
        console.log(`${label} round ${round} ${c.name}: teamgraph ${graph.toFixed(0)} op/s, baseline ${base.toFixed(0)} op/s, ratio ${(graph / base).toFixed(2)}`);
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
  } finally {
    await Promise.all([teamgraph, baseline, teamgraphFull].flatMap((server) => (server === null ? [] : [new Promise((resolve) => server.child.once('close', resolve).kill())])));
  }
  return summary;
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-bench-'));
const summary: string[] = [];
try {
  summary.push(...(await benchStore('sqlite', path.join(workDir, 'bench.db'))));
  const pgUrl = await postgresUrl();
  if (pgUrl === null) console.log('postgres: no server answers; skipped');
  else summary.push(...(await benchStore('postgres', pgUrl).finally(() => adminQuery(`drop database if exists ${benchDatabase} with (force)`))));
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
for (const line of summary) console.log(line);
