import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphRoute } from '../../src/wire/routes.ts';
import { testDialects } from '../helpers/databases.ts';
import { routeTableOf } from '../helpers/route-table.ts';
import { type TestResponse, type TestServer, assertStatus, describeResponse, startTestServer } from '../helpers/server.ts';

// Feeds random and mutated JSON bodies to every route that takes one, on ids that exist and belong
// together (a team of the caller's and its channel, a chat the caller is in, the caller's own
// sections with their current version in If-Match), so that the handlers (not only the 404 of an
// unknown parent) see them; the test reports and asserts that reach. Whatever the body, the answer is
// a 2xx or Graph's error envelope with a 4xx: never a 500, never a hang. The generator is seeded: a
// failure names the body that caused it and reruns the same way.
const bodiesPerRoute = { sqlite: 60, postgres: 20 } as const;
const requestTimeoutMs = 10_000;
const callerId = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';

/** Mulberry32: a small, seeded generator, so that every run sends the same bodies. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Names the routes' bodies use, so that random objects reach past "unknown property" checks.
const names = [
  'displayName',
  'description',
  'topic',
  'chatType',
  'members',
  'roles',
  'user@odata.bind',
  'group@odata.bind',
  'template@odata.bind',
  'teamsApp@odata.bind',
  '@odata.type',
  'tenantId',
  'visibleHistoryStartDateTime',
  'body',
  'content',
  'contentType',
  'subject',
  'importance',
  'createdDateTime',
  'from',
  'user',
  'id',
  'membershipType',
  'layoutType',
  'isFavoriteByDefault',
  'visibility',
  'memberSettings',
  'funSettings',
  'giphyContentRating',
  'installedApps',
  'channels',
  'threads',
  'posts',
  'topic',
  'newParticipants',
  'emailAddress',
  'address',
  'name',
  'comment',
  'toRecipients',
  'sectionType',
  'displayIcon',
  'sortType',
  'isHierarchicalViewEnabled',
  'resourceId',
  'reorderedItems',
  'sharedWithTeams',
  'policyViolation',
  'attachments',
  'mentions',
  'sourceSectionId',
  'targetSectionId',
  'shouldSetSpoAdminAsSecondaryOwner',
  'value',
  'requests',
  'method',
  'url',
  'headers',
  'dependsOn',
  'Content-Type',
  'atomicityGroup',
];
const strings = [
  '',
  ' ',
  'a',
  'x'.repeat(300),
  '%E0%A4%A',
  "users('%')",
  "https://graph.microsoft.com/v1.0/users('10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f')",
  "https://graph.microsoft.com/v1.0/groups('')",
  '#microsoft.graph.aadUserConversationMember',
  'owner',
  'guest',
  'group',
  'oneOnOne',
  'private',
  'shared',
  'standard',
  'html',
  'text',
  '2026-13-45T99:00:00Z',
  '1970-01-01T00:00:00Z',
  '\u0000',
  '💥'.repeat(40),
  'null',
  '{}',
  "'",
  '\\',
  'GET',
  'POST',
  'PATCH',
  '/me',
  'me/chats',
  '/v1.0/users?$top=1',
  '$batch',
  'application/json',
  'text/plain',
  '1',
  '2',
];

function randomValue(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const kind = Math.floor(next() * (depth > 3 ? 5 : 8));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), Number.MAX_VALUE]);
    case 3:
    case 4:
      return pick(strings);
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [pick(names), randomValue(next, depth + 1)]));
  }
}

/** A random body: mostly objects, sometimes anything JSON allows, sometimes not JSON at all. */
function randomBody(next: () => number): { body?: unknown; rawBody?: string } {
  const roll = next();
  if (roll < 0.05) return { rawBody: '{"displayName": ' };
  if (roll < 0.15) return { body: randomValue(next, 3) };
  return {
    body: Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 6) }, () => [names[Math.floor(next() * names.length)], randomValue(next, 1)])),
  };
}

async function withTimeout(promise: Promise<TestResponse>, what: string): Promise<TestResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${requestTimeoutMs} ms: ${what}`)), requestTimeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

for (const dialect of testDialects()) {
  describe(`body fuzz on ${dialect}`, () => {
    let server: TestServer;
    let routes: GraphRoute[];
    let ids: Record<string, string>;
    before(async () => {
      server = await startTestServer(dialect, ['--log-level', 'error']);
      routes = routeTableOf(server.store);
      // Ids that belong together and to the caller (the demo's default user, Adele): a team she is in,
      // that team's General channel and one of its messages, a chat she is in, her own section and item.
      const db = server.store.db;
      const team = await db
        .selectFrom('teams')
        .innerJoin('group_members', 'group_members.group_id', 'teams.id')
        .selectAll('teams')
        .where('group_members.user_id', '=', callerId)
        .where('teams.is_archived', '=', 0)
        .orderBy('teams.id')
        .executeTakeFirstOrThrow();
      const channelMessage = await db
        .selectFrom('messages')
        .selectAll()
        .where('container_id', '=', team.internal_id)
        .where('reply_to_id', 'is', null)
        .executeTakeFirst();
      const chatMessage = await db
        .selectFrom('messages')
        .innerJoin('chat_members', 'chat_members.chat_id', 'messages.container_id')
        .selectAll('messages')
        .where('chat_members.user_id', '=', callerId)
        .orderBy('messages.container_id')
        .executeTakeFirstOrThrow();
      const otherChatMember = await db
        .selectFrom('chat_members')
        .selectAll()
        .where('chat_id', '=', chatMessage.container_id)
        .where('user_id', '!=', callerId)
        .executeTakeFirstOrThrow();
      const otherTeamMember = await db
        .selectFrom('group_members')
        .selectAll()
        .where('group_id', '=', team.id)
        .where('user_id', '!=', callerId)
        .orderBy('user_id')
        .executeTakeFirstOrThrow();
      const thread = await db.selectFrom('group_threads').selectAll().orderBy('id').executeTakeFirstOrThrow();
      const item = await db.selectFrom('teamwork_section_items').selectAll().where('user_id', '=', callerId).orderBy('id').executeTakeFirstOrThrow();
      ids = {
        teamId: team.id,
        channelId: team.internal_id,
        channelMessageId: channelMessage?.id ?? '1',
        chatId: chatMessage.container_id,
        chatMessageId: chatMessage.id,
        chatMembershipId: Buffer.from(`0##${team.tenant_id}##${chatMessage.container_id}##${otherChatMember.user_id}`).toString('base64'),
        teamMembershipId: Buffer.from(`${team.id}##${otherTeamMember.user_id}`).toString('base64'),
        groupId: thread.group_id,
        conversationId: thread.conversation_id,
        threadId: thread.id,
        userId: callerId,
        sectionId: item.section_id,
        itemId: item.id,
      };
    });
    after(() => server.close());

    function concreteUrl(route: GraphRoute, url: string): string {
      const version = (route.versions ?? ['v1.0'])[0] as string;
      const path = url.replace(/\{(\w+)\}/g, (_match, name: string) => {
        const chatRoute = url.includes('/chats/');
        if (name === 'messageId') return encodeURIComponent((chatRoute ? ids.chatMessageId : ids.channelMessageId) as string);
        if (name === 'membershipId') return encodeURIComponent((chatRoute ? ids.chatMembershipId : ids.teamMembershipId) as string);
        return encodeURIComponent(ids[name] ?? `fuzz-${name}`);
      });
      return `/${version}${path}`;
    }

    /** Section writes need the caller's current version in If-Match, else all of them stop at 428 or 412. */
    async function headersFor(url: string): Promise<Record<string, string>> {
      if (!url.includes('/teamwork/sections')) return {};
      const list = await server.request('GET', `/beta/users/${callerId}/teamwork/sections`);
      return { 'if-match': `"${list.body['@microsoft.graph.sectionsVersion']}"` };
    }

    it('answers every random body to every route with a 2xx or a Graph error envelope', async (t) => {
      const writeRoutes = routes.filter((route) => route.method === 'POST' || route.method === 'PATCH' || route.method === 'PUT');
      assert.ok(writeRoutes.length > 20, 'the route table has write routes');
      // $batch is registered beside the route table; its items are bodies of their own.
      const targets = [
        ...writeRoutes.flatMap((route) => route.forms.map((url) => ({ method: route.method, route: url, url: concreteUrl(route, url) }))),
        { method: 'POST', route: '/$batch', url: '/v1.0/$batch' },
      ];
      const next = generator(20261123);
      const reach = new Map<string, Set<number>>();
      for (const { method, route, url } of targets) {
        // Each route meets the demo tenant as seeded, not as the bodies sent to the routes before it
        // left it (an archived team, say, once its operation has run): its reach does not vary by timing.
        assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
        const seen = new Set<number>();
        reach.set(`${method} ${route}`, seen);
        for (let i = 0; i < bodiesPerRoute[dialect]; i++) {
          const body = randomBody(next);
          const what = `${method} ${url} ${body.rawBody ?? JSON.stringify(body.body)}`;
          const headers = { ...(await headersFor(url)), ...(body.rawBody === undefined ? {} : { 'content-type': 'application/json' }) };
          const response = await withTimeout(server.request(method, url, { ...body, headers }), what);
          seen.add(response.status);
          assert.ok(response.status < 500, `${what}\n${describeResponse(response)}`);
          if (response.status >= 400) {
            const error = response.body?.error;
            assert.ok(
              typeof error?.code === 'string' && typeof error.message === 'string' && typeof error.innerError === 'object',
              `${what}\n${describeResponse(response)}`,
            );
          }
        }
      }
      const reached = [...reach].filter(([, statuses]) => [...statuses].some((status) => status < 300)).map(([key]) => key);
      const onlyMissing = [...reach].filter(([, statuses]) => [...statuses].every((status) => status === 404)).map(([key]) => key);
      t.diagnostic(`${reached.length} of ${reach.size} write routes answered a 2xx: ${reached.join(', ')}`);
      t.diagnostic(`routes that answered nothing but 404: ${onlyMissing.join(', ') || 'none'}`);
      for (const [key, statuses] of reach) t.diagnostic(`${key}: ${[...statuses].sort().join(' ')}`);
      // Reach: the ids resolve on every route (a route that only ever answers 404 never met a body),
      // and random bodies get past validation into the handlers of a fair share of the routes.
      assert.deepEqual(onlyMissing, [], 'routes whose ids never resolved');
      assert.ok(reached.length >= 10, `at least 10 write routes answer a 2xx to some random body, not ${reached.length}`);
    });
  });
}
