import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphRoute } from '../../src/wire/routes.ts';
import { testDialects } from '../helpers/databases.ts';
import { routeTableOf } from '../helpers/route-table.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { architectureTeamId, generalChannelId, mark8TeamId } from '../resources/channels/channels.fixtures.ts';
import { seededGroupChat, users } from '../resources/chats/chat-fixtures.ts';
import { adeleId, favoritesId } from '../resources/teamwork/fixtures.ts';

// Feeds random and mutated query strings to every collection route of the route table (so a new
// route is covered the day it is added): every answer must be a 200 with a JSON collection or a 4xx
// Graph envelope, never a 500, never a hang. Seeded, so a failure replays; bounded in time. The ids
// in the paths belong together and are the dev-mode user's (Adele's), so that every form of every
// route can answer 200: the test reports and asserts that reach.
const requestsPerDialect: Readonly<Record<string, number>> = { sqlite: 10_000, postgres: 2_000 };
const concurrency = 8;
const requestTimeoutMs = 5_000;

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const optionNames = [
  '$filter',
  '$orderby',
  '$top',
  '$skip',
  '$skiptoken',
  '$count',
  '$select',
  '$expand',
  '$search',
  '$format',
  'filter',
  'top',
  '$FILTER',
  '$bogus',
];
const operators = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'and',
  'or',
  'not',
  'in',
  'has',
  'add',
  'any',
  'all',
  'startswith',
  'endswith',
  'contains',
  'asc',
  'desc',
];
const literals = [
  "'x'",
  "'O''Neil'",
  "'",
  "''",
  '1',
  '-5',
  '3.14',
  '99999999999999999999',
  'true',
  'false',
  'null',
  '2026-01-01',
  '2026-01-01T00:00:00Z',
  '2026-13-99T99:99:99Z',
  '8b081ef6-4792-4def-b2c9-c363a1bf41d5',
  "'Member'",
  "'standard'",
  "'%'",
  "'_'",
  "'\\'",
  '%27',
  '%00',
  '\u00e9',
  '😀',
];
const punctuation = ['(', ')', ',', '/', ':', ' ', ' ', ' ', '  ', "'", '$', '&', '=', '%', '%2', '%zz', '+', '*', '.', '-'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Property names the route knows, so that many generated queries get past the first check. */
function vocabulary(route: GraphRoute): string[] {
  const support = route.odata;
  if (support === undefined) return ['id'];
  const fields = Object.entries(support.fields ?? {}).flatMap(([name, spec]) =>
    spec.type === 'collection' ? [name, ...Object.keys(spec.fields).map((inner) => `m/${inner}`)] : [name],
  );
  return [...support.properties, ...fields, ...(support.expand ?? []), 'unknownProperty'];
}

function randomExpression(random: () => number, words: readonly string[]): string {
  const length = 1 + Math.floor(random() * 12);
  const parts: string[] = [];
  for (let n = 0; n < length; n++) {
    const kind = random();
    if (kind < 0.35) parts.push(pick(random, words));
    else if (kind < 0.6) parts.push(pick(random, operators));
    else if (kind < 0.8) parts.push(pick(random, literals));
    else parts.push(pick(random, punctuation));
  }
  return parts.join(random() < 0.8 ? ' ' : '');
}

/** Well-formed queries of the kinds the routes accept, for the mutator to damage. */
function validSamples(route: GraphRoute): string[] {
  const support = route.odata;
  const samples = ['$top=1', '$select=id', '$count=true', '$top=2&$count=true'];
  for (const [name, spec] of Object.entries(support?.fields ?? {})) {
    if (spec.type === 'collection') {
      const [inner] = Object.keys(spec.fields);
      samples.push(`$filter=${name}/any(m: m/${inner ?? 'id'} eq 'x')`);
      continue;
    }
    const literal = { string: "'a'", enum: `'${spec.values?.[0] ?? 'a'}'`, boolean: 'true', dateTime: '2026-01-01T00:00:00Z', guid: users.megan }[spec.type];
    samples.push(
      `$filter=${name} eq ${literal}`,
      `$filter=${name} ne ${literal} or ${name} eq null`,
      `$filter=not (${name} in (${literal}, ${literal}))&$top=3`,
    );
    if (spec.type === 'string') samples.push(`$filter=startswith(${name}, 'a') and ${name} ne 'b'`);
  }
  for (const name of Object.keys(support?.orderby ?? {})) samples.push(`$orderby=${name} desc&$top=1`, `$orderby=${name}&$filter=id ne 'x'`);
  for (const name of support?.expand ?? []) samples.push(`$expand=${name}`);
  if (support?.skip === true) samples.push('$skip=1&$top=1');
  return samples;
}

function mutate(random: () => number, text: string): string {
  let result = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let n = 0; n < edits; n++) {
    const at = Math.floor(random() * (result.length + 1));
    const kind = random();
    if (kind < 0.3) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(random() * 4));
    else if (kind < 0.6) result = result.slice(0, at) + pick(random, [...punctuation, ...operators, ...literals]) + result.slice(at);
    else if (kind < 0.8) result = result.slice(0, at) + result.slice(at).replace(/./u, pick(random, punctuation));
    else result = result.slice(0, at) + result.slice(Math.max(0, at - 8), at) + result.slice(at);
  }
  return result;
}

function randomQuery(random: () => number, route: GraphRoute): string {
  const roll = random();
  if (roll < 0.45) return mutate(random, pick(random, validSamples(route)));
  if (roll < 0.55) return pick(random, validSamples(route));
  if (roll < 0.6) return `$filter=${'('.repeat(1 + Math.floor(random() * 200))}id eq 'x'${')'.repeat(Math.floor(random() * 200))}`;
  const options = 1 + Math.floor(random() * 3);
  return Array.from({ length: options }, () => `${pick(random, optionNames)}=${randomExpression(random, vocabulary(route))}`).join('&');
}

/** Encodes what a client would: spaces and quotes stay readable in the logs, the rest goes over the wire. */
function encodeQuery(query: string): string {
  return (
    query
      .split('&')
      // Mutations may split a surrogate pair; a client could not send half a character either.
      .map((raw) => raw.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?'))
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at === -1) return encodeURIComponent(pair);
        const value = pair.slice(at + 1);
        // Half the time send the value already encoded, half as raw as fetch allows (a real client's mistakes).
        return `${pair.slice(0, at)}=${value.length % 2 === 0 ? encodeURIComponent(value) : encodeURI(value)}`;
      })
      .join('&')
  );
}

for (const dialect of testDialects()) {
  describe(`query option fuzz on ${dialect}`, () => {
    let server: TestServer;
    let collections: { route: GraphRoute; path: string }[];
    before(async () => {
      server = await startTestServer(dialect);
      const routes = routeTableOf(server.store);
      // Ids that belong together: a conversation of the group and one of its threads, a message of
      // the chat and one of the team's General channel, whose replies the channel routes list.
      const first = async (path: string) => ((await server.request('GET', path)).body?.value?.[0]?.id as string | undefined) ?? 'none';
      const conversationId = await first(`/v1.0/groups/${mark8TeamId}/conversations?$top=1`);
      const params: Readonly<Record<string, string>> = {
        chatId: seededGroupChat,
        teamId: architectureTeamId,
        groupId: mark8TeamId,
        channelId: generalChannelId,
        userId: adeleId,
        conversationId,
        threadId: await first(`/v1.0/groups/${mark8TeamId}/conversations/${encodeURIComponent(conversationId)}/threads?$top=1`),
        chatMessageId: await first(`/v1.0/chats/${encodeURIComponent(seededGroupChat)}/messages?$top=1`),
        channelMessageId: await first(`/v1.0/teams/${architectureTeamId}/channels/${encodeURIComponent(generalChannelId)}/messages?$top=1`),
        sectionId: favoritesId,
      };
      const valueOf = (url: string, name: string) => params[name === 'messageId' ? (url.includes('/channels/') ? 'channelMessageId' : 'chatMessageId') : name];
      // Collections: GET routes that page or filter. Entity routes share the option parser.
      collections = routes
        .filter((route) => route.method === 'GET' && (route.odata?.top !== undefined || route.odata?.fields !== undefined))
        .flatMap((route) =>
          route.forms.map((url) => ({
            route,
            path: `/${(route.versions ?? ['v1.0'])[0] as string}${url.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(valueOf(url, name) ?? 'none'))}`,
          })),
        );
      assert.ok(collections.length >= 15, `only ${collections.length} collection routes found`);
    });
    after(() => server.close());

    it(
      `answers ${requestsPerDialect[dialect] ?? 0} random and mutated queries with a 200 or a Graph 4xx envelope, never a 500 or a hang`,
      { timeout: 120_000 },
      async (t) => {
        const random = prng(dialect === 'sqlite' ? 9 : 90);
        const total = requestsPerDialect[dialect] ?? 0;
        const statuses = new Map<number, number>();
        const reach = new Map(collections.map(({ path }) => [path, new Set<number>()]));
        let next = 0;
        const worker = async () => {
          while (next < total) {
            next++;
            const { route, path } = pick(random, collections);
            const query = randomQuery(random, route);
            const url = `${server.url}${path}?${encodeQuery(query)}`;
            const response = await fetch(url, { signal: AbortSignal.timeout(requestTimeoutMs) }).catch((err: unknown) => {
              throw new Error(`${route.operation} ?${query}: ${String(err)}`);
            });
            const text = await response.text();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            reach.get(path)?.add(response.status);
            const context = `${route.operation} ?${query} -> ${response.status} ${text.slice(0, 300)}`;
            assert.ok(response.status === 200 || (response.status >= 400 && response.status < 500), context);
            const body = JSON.parse(text) as { value?: unknown; error?: { code?: unknown; message?: unknown; innerError?: unknown } };
            if (response.status === 200) {
              assert.ok(Array.isArray(body.value), context);
            } else {
              assert.equal(typeof body.error?.code, 'string', context);
              assert.equal(typeof body.error?.message, 'string', context);
              assert.equal(typeof body.error?.innerError, 'object', context);
            }
          }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
        // Both kinds of answer occur, so the generator reaches past the first checks.
        assert.ok((statuses.get(200) ?? 0) > total / 50, JSON.stringify([...statuses]));
        assert.ok((statuses.get(400) ?? 0) > total / 5, JSON.stringify([...statuses]));
        // And they occur on every form of every collection route.
        for (const [path, seen] of reach) t.diagnostic(`${path}: ${[...seen].sort().join(' ')}`);
        const unreached = [...reach].filter(([, seen]) => !seen.has(200) || ![...seen].some((status) => status >= 400)).map(([path]) => path);
        t.diagnostic(`${reach.size - unreached.length} of ${reach.size} collection paths answered both a 200 and a 4xx`);
        assert.deepEqual(unreached, [], 'collection paths without both a 200 and a 4xx');
      },
    );
  });
}
