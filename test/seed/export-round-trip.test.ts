import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { allCompanyId } from '../helpers/conversations.ts';
import { testDialects } from '../helpers/databases.ts';
import { databaseArgs } from '../helpers/processes.ts';
import { type TestResponse, type TestServer, assertStatus, startSharedTestServer, startTestServer } from '../helpers/server.ts';
import { appToken, bearer, userToken } from '../helpers/tokens.ts';
import { awaitOperation, member } from '../resources/channels/channels.fixtures.ts';
import { users } from '../resources/chats/chat-fixtures.ts';

// A state built through the API, exported (by the CLI beside the running server, and by the control
// route), loads into a fresh server that answers every GET the same. What does not round-trip, and
// is not asked here: the signing keys (not tenant data: tokens of the first server do not verify on
// the second), and the client secret of an application, which only its hash in the database knows:
// the export keeps the hash, so the same secret still signs in, but the seed cannot show it. User
// passwords are kept the same way; the default one is left implicit. Message reactions have no API
// that sets them, so none are made here; the seed carries them all the same.

const bin = path.resolve('bin/teamgraph.js');
const sectionsUrl = `/beta/users/${users.adele}/teamwork/sections`;

/** `teamgraph export` on the database a server is running on: its stdout, parsed. */
function cliExport(server: TestServer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'export', ...databaseArgs(server.database)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`teamgraph export exited ${code}: ${stderr}`))));
  });
}

function created(response: TestResponse, status = 201): TestResponse {
  assertStatus(response, status);
  return response;
}

/** Waits for the operation a 202 names in its Location (a shared channel's, in its Content-Location). */
async function accepted(server: TestServer, response: TestResponse): Promise<void> {
  assertStatus(response, 202);
  const operation = await awaitOperation(server, response.headers.get('location') ?? response.headers.get('content-location') ?? '');
  assert.equal(operation.body.status, 'succeeded', operation.text);
}

/** Changes state broadly through the API; returns the GET paths of everything it touched. */
async function buildState(server: TestServer): Promise<string[]> {
  const post = (url: string, body?: unknown, headers?: Record<string, string>) => server.request('POST', url, { body, headers });
  const patch = async (url: string, body: unknown, headers?: Record<string, string>) =>
    assertStatus(await server.request('PATCH', url, { body, headers }), 204);

  // A team with settings of its own, a standard and a private channel, and a roster changed twice.
  const team = await post('/v1.0/teams', {
    'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('standard')",
    displayName: 'Export Team',
    description: 'Built through the API',
    channels: [{ displayName: 'Roadmap', isFavoriteByDefault: true }],
  });
  await accepted(server, team);
  const teamId = /^\/teams\('([^']+)'\)$/.exec(team.headers.get('content-location') ?? '')?.[1] as string;
  const teamUrl = `/v1.0/teams/${teamId}`;
  await patch(teamUrl, { description: 'Changed', memberSettings: { allowCreateUpdateChannels: false }, funSettings: { allowGiphy: false } });
  const lee = created(await post(`${teamUrl}/members`, member(users.lee, [])));
  created(await post(`${teamUrl}/members`, member(users.patti, ['owner'])));
  created(await post(`${teamUrl}/members`, member(users.megan, [])));
  assertStatus(await server.request('DELETE', `${teamUrl}/members/${lee.body.id}`), 204);
  const roadmap = (await server.request('GET', `${teamUrl}/channels?$filter=displayName eq 'Roadmap'`)).body.value[0].id as string;
  const secret = created(
    await post(`${teamUrl}/channels`, {
      displayName: 'Secret',
      membershipType: 'private',
      members: [member(users.adele, ['owner']), member(users.megan, [])],
    }),
  ).body.id as string;
  // A shared channel, shared with another team too: its teams load after every team exists.
  const architecture = '57fb72d0-d811-46f4-8947-305e6072eaa5';
  await accepted(
    server,
    await post(`${teamUrl}/channels`, {
      displayName: 'Shared',
      membershipType: 'shared',
      members: [member(users.adele, ['owner'])],
      sharedWithTeams: [{ id: architecture }],
    }),
  );
  const shared = (await server.request('GET', `${teamUrl}/channels?$filter=displayName eq 'Shared'`)).body.value[0].id as string;
  // Megan leaves the team and stays on the private channel's roster, which removing a team member leaves as it is.
  const meganInTeam = (await server.request('GET', `${teamUrl}/members`)).body.value.find((m: { userId: string }) => m.userId === users.megan);
  assertStatus(await server.request('DELETE', `${teamUrl}/members/${meganInTeam.id}`), 204);
  const channel = (id: string) => `${teamUrl}/channels/${encodeURIComponent(id)}`;

  // Channel messages: a reply, an edit, a soft delete, an importance, one from an application.
  const root = created(await post(`${channel(roadmap)}/messages`, { subject: 'Plan', body: { content: 'Q1 plan' }, importance: 'high' })).body.id as string;
  const reply = created(await post(`${channel(roadmap)}/messages/${root}/replies`, { body: { content: 'Looks good' } })).body.id as string;
  await patch(`${channel(roadmap)}/messages/${root}`, { body: { contentType: 'html', content: '<p>Q1 plan, revised</p>' } });
  const doomed = created(await post(`${channel(roadmap)}/messages`, { body: { content: 'oops' } })).body.id as string;
  assertStatus(await post(`${channel(roadmap)}/messages/${doomed}/softDelete`), 204);
  created(await post(`${channel(secret)}/messages`, { body: { content: 'in private' } }));
  // An import in migration mode: two messages of one millisecond, so the second's id is not its time.
  const imported = created(
    await post(`${teamUrl}/channels`, {
      '@microsoft.graph.channelCreationMode': 'migration',
      displayName: 'Imported',
      createdDateTime: '2020-03-14T11:22:17.067Z',
    }),
  ).body.id as string;
  const app = bearer(await appToken(server));
  const importBody = {
    createdDateTime: '2020-03-15T09:00:00.000Z',
    from: { user: { id: users.megan, userIdentityType: 'aadUser' } },
    body: { content: 'old' },
  };
  created(await post(`${channel(imported)}/messages`, importBody, app));
  created(await post(`${channel(imported)}/messages`, importBody, app));
  assertStatus(await post(`${channel(imported)}/completeMigration`, undefined, app), 204);

  // Chats: a group chat whose roster changes, a 1:1 chat, and one an application created.
  const chat = created(
    await post('/v1.0/chats', { chatType: 'group', topic: 'Export chat', members: [member(users.adele), member(users.megan), member(users.lee)] }),
  ).body.id as string;
  const chatUrl = `/v1.0/chats/${encodeURIComponent(chat)}`;
  const chatMessage = created(await post(`${chatUrl}/messages`, { body: { content: 'hello group' } })).body.id as string;
  await patch(`${chatUrl}/messages/${chatMessage}`, { body: { content: 'hello, group' } });
  created(await post(`${chatUrl}/members`, { ...member(users.patti, ['owner']), visibleHistoryStartDateTime: '2026-01-01T00:00:00.000Z' }));
  // Lee writes, then leaves: the message stays, from someone no longer in the chat (as in Graph).
  created(await post(`${chatUrl}/messages`, { body: { content: 'bye from Lee' } }, bearer(await userToken(server, 'LeeG@contoso.com'))));
  const leeInChat = (await server.request('GET', `${chatUrl}/members`)).body.value.find((m: { userId: string }) => m.userId === users.lee);
  assertStatus(await server.request('DELETE', `${chatUrl}/members/${leeInChat.id}`), 204);
  const oneOnOne = created(await post('/v1.0/chats', { chatType: 'oneOnOne', members: [member(users.adele), member(users.isaiah)] })).body.id as string;
  const directMessage = created(await post(`/v1.0/chats/${encodeURIComponent(oneOnOne)}/messages`, { body: { content: 'hi Isaiah' } })).body.id as string;
  assertStatus(await post(`/v1.0/users/${users.adele}/chats/${encodeURIComponent(oneOnOne)}/messages/${directMessage}/softDelete`), 204);
  const appChat = created(await post('/v1.0/chats', { chatType: 'oneOnOne', members: [member(users.grady), member(users.johanna)] }, app)).body.id as string;

  // Group conversations: a reply to the thread, a reply to a post, a second thread, a lock, a reference.
  const conversation = created(
    await post(`/v1.0/groups/${allCompanyId}/conversations`, {
      topic: 'Offsite',
      threads: [{ posts: [{ body: { contentType: 'html', content: '<p>Where to?</p>' } }] }],
    }),
  ).body;
  const threadUrl = `/v1.0/groups/${allCompanyId}/threads/${conversation.threads[0].id}`;
  assertStatus(
    await post(`${threadUrl}/reply`, { post: { body: { content: 'The lake' }, newParticipants: [{ emailAddress: { address: 'x@fabrikam.com' } }] } }),
    202,
  );
  const firstPost = (await server.request('GET', `${threadUrl}/posts`)).body.value[0].id as string;
  assertStatus(await post(`${threadUrl}/posts/${firstPost}/reply`, { post: { body: { content: 'Or the hills' } } }), 202);
  const second = created(
    await post(`/v1.0/groups/${allCompanyId}/conversations/${conversation.id}/threads`, { topic: 'Offsite: travel', posts: [{ body: { content: 'Bus?' } }] }),
  ).body.id as string;
  await patch(threadUrl, { isLocked: true });
  created(
    await post(`/v1.0/groups/${allCompanyId}/conversations/$ref`, {
      topic: 'A reference',
      preview: 'kept as given',
      uniqueSenders: ['Someone'],
      lastDeliveredDateTime: '2026-05-01T10:00:00Z',
    }),
  );

  // Teamwork sections (beta): a new section, an item in it, the sections reordered.
  const sections = await server.request('GET', sectionsUrl);
  let version = Number(sections.body['@microsoft.graph.sectionsVersion']);
  const ifMatch = () => ({ 'if-match': `"${version}"` });
  const section = created(await post(sectionsUrl, { displayName: 'Exported', isExpanded: false }, ifMatch()));
  version += 10;
  created(await post(`${sectionsUrl}/${section.body.id}/items`, { id: chat }, ifMatch()));
  version += 10;
  // An item whose chat is deleted afterwards: the section keeps it.
  const gone = created(await post('/v1.0/chats', { chatType: 'group', topic: 'Short-lived', members: [member(users.adele), member(users.megan)] })).body
    .id as string;
  created(await post(`${sectionsUrl}/${section.body.id}/items`, { id: gone }, ifMatch()));
  version += 10;
  assertStatus(await server.request('DELETE', `/v1.0/chats/${encodeURIComponent(gone)}`), 204);
  const order = [...(await server.request('GET', sectionsUrl)).body['@microsoft.graph.sectionsOrder']] as string[];
  const reordered = [order[0] as string, section.body.id as string, ...order.slice(1).filter((id) => id !== section.body.id)];
  assertStatus(await post(`${sectionsUrl}/reorder`, { sectionsOrder: reordered }, ifMatch()), 200);

  // Archiving last: an archived channel, then an archived team, are read-only.
  await accepted(server, await post(`${channel(secret)}/archive`));
  await accepted(server, await post(`${teamUrl}/archive`));

  const operations = (await server.store.db.selectFrom('operations').select(['id', 'parent_kind', 'parent_id']).execute()).map(
    (op) => `/v1.0/${op.parent_kind === 'team' ? 'teams' : 'chats'}/${encodeURIComponent(op.parent_id)}/operations/${op.id}`,
  );
  return [
    '/v1.0/users',
    '/v1.0/me/joinedTeams',
    '/v1.0/groups',
    `/v1.0/groups/${teamId}`,
    teamUrl,
    `${teamUrl}/members`,
    `${teamUrl}/channels`,
    `${teamUrl}/allChannels`,
    channel(roadmap),
    channel(secret),
    `${channel(secret)}/members`,
    `${channel(roadmap)}/messages`,
    `${channel(roadmap)}/messages/${root}`,
    `${channel(roadmap)}/messages/${root}/replies`,
    `${channel(roadmap)}/messages/${root}/replies/${reply}`,
    `${channel(roadmap)}/messages/${doomed}`,
    `${channel(secret)}/messages`,
    `${channel(shared)}/sharedWithTeams`,
    `/v1.0/teams/${architecture}/incomingChannels`,
    channel(imported),
    `${channel(imported)}/messages`,
    '/v1.0/me/chats?$expand=members',
    '/beta/me/chats?$expand=lastMessagePreview',
    chatUrl,
    `${chatUrl}/members`,
    `${chatUrl}/messages`,
    `/v1.0/chats/${encodeURIComponent(oneOnOne)}/messages`,
    // Adele is not in it: an application reads it.
    `app:/beta/chats/${encodeURIComponent(appChat)}?$expand=members`,
    `/v1.0/groups/${allCompanyId}/conversations`,
    `/v1.0/groups/${allCompanyId}/conversations/${conversation.id}`,
    `/v1.0/groups/${allCompanyId}/threads`,
    `${threadUrl}/posts?$expand=inReplyTo`,
    `/v1.0/groups/${allCompanyId}/threads/${second}/posts`,
    `${sectionsUrl}?$expand=items`,
    `${sectionsUrl}/${section.body.id}/items`,
    ...operations,
  ];
}

/** Each path's body (`app:` reads as the demo application); the origin in links is the server's own, so it is left out. */
async function answers(server: TestServer, paths: readonly string[]): Promise<Record<string, unknown>> {
  const app = bearer(await appToken(server));
  const result: Record<string, unknown> = {};
  for (const url of paths) {
    const response = url.startsWith('app:') ? await server.request('GET', url.slice('app:'.length), { headers: app }) : await server.request('GET', url);
    assertStatus(response, 200);
    result[url] = JSON.parse(response.text.replaceAll(server.url, '<origin>'));
  }
  return result;
}

describe('teamgraph export without a database', () => {
  it('exits 1 with one line, and creates none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-export-none-'));
    try {
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, 'export', '--data', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('exit', (exitCode) => resolve({ code: exitCode, stderr }));
      });
      assert.equal(code, 1);
      assert.equal(stderr, `teamgraph: there is no database at ${path.join(dir, 'teamgraph.db')} (see --data and --database)\n`);
      assert.deepEqual(fs.readdirSync(dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const dialect of testDialects()) {
  describe(`export round trip on ${dialect}`, () => {
    let first: TestServer;
    let second: TestServer | undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-export-'));
    before(async () => {
      first = await startSharedTestServer(dialect);
    });
    after(async () => {
      await first.close();
      await second?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the export, by the CLI beside the server or the control route, loads into a server that answers every GET the same, and exports the same again', async () => {
      const paths = await buildState(first);
      const fromCli = await cliExport(first);
      const fromRoute = await first.request('GET', '/_teamgraph/export');
      assertStatus(fromRoute, 200);
      assert.deepEqual(fromCli, fromRoute.body);

      const file = path.join(dir, 'exported.json');
      fs.writeFileSync(file, JSON.stringify(fromRoute.body));
      second = await startTestServer(dialect, ['--seed', file]);
      assert.deepEqual(await answers(second, paths), await answers(first, paths));

      // Idempotent: the second server exports the seed it was loaded from.
      const again = await second.request('GET', '/_teamgraph/export');
      assert.deepEqual(again.body, fromRoute.body);
      // Secrets survive as hashes: the demo app's secret still signs in.
      assert.match(await appToken(second), /^ey/);
    });
  });
}
