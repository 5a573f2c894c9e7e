import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type TestResponse, type TestServer, startTestServer } from '../helpers/server.ts';
import { bearer, userToken } from '../helpers/tokens.ts';
import { architectureTeamId, awaitOperation, channels, generalChannelId, leadershipChannelId } from './channels/channels.fixtures.ts';
import { member, users } from './chats/chat-fixtures.ts';

// The same requests, refusals included, answered the same with remembered facts on and off
// (docs/decisions.md 105–107). Each request that may be decided on remembered facts is sent twice, and
// the facts it is refused on are read by an ordinary request first, so that the warm server decides on
// remembered facts that already hold the change: a rule that lived outside the access decision would
// let the warm server answer otherwise than the cold one.

const team = `/v1.0/teams/${architectureTeamId}`;
const general = `${channels}/${generalChannelId}`;
const leadership = `${channels}/${leadershipChannelId}`;
const post = (content: string) => ({ body: { body: { content } } });
const groupChat = (...members: ReturnType<typeof member>[]) => ({ body: { chatType: 'group', topic: 'Warm and cold', members } });

interface Answer {
  readonly step: string;
  readonly status: number;
  readonly body: unknown;
}

// Values that differ between two servers for the same request: ids, times, links, request ids.
const volatileKey = /^(id|etag|email|webUrl|innerError|@odata\.(context|nextLink|etag))$|(Id|DateTime)$/;

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, volatileKey.test(key) ? '…' : stable(inner)]));
  if (typeof value === 'string') return value.replace(/19:[^\s'"]+?@thread\.[a-z0-9]+/g, '19:…@thread').replace(/\b\d{13}\b/g, '…');
  return value;
}

async function scenario(server: TestServer): Promise<Answer[]> {
  const answers: Answer[] = [];
  const send = async (
    step: string,
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<TestResponse> => {
    const response = await server.request(method, path, options);
    answers.push({ step, status: response.status, body: stable(response.body) });
    return response;
  };
  const twice = async (step: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => {
    for (const time of ['first', 'again']) await send(`${step} (${time})`, method, path, options);
  };
  const operation = async (step: string, path: string) => {
    const accepted = await send(step, 'POST', path);
    const done = await awaitOperation(server, accepted.headers.get('location') ?? '');
    answers.push({ step: `${step}: done`, status: done.status, body: stable(done.body) });
  };
  const megan = bearer(await userToken(server, 'MeganB@contoso.com'));
  const isaiah = bearer(await userToken(server, 'IsaiahL@contoso.com'));

  // Channel posts and pages by a member, and by a user outside the team and outside a private channel.
  await twice('post by a member', 'POST', `${general}/messages`, { ...post('hello'), headers: megan });
  await twice('page by a member', 'GET', `${general}/messages?$top=1`, { headers: megan });
  await twice('page by a non-member of a public team', 'GET', `${general}/messages?$top=1`, { headers: isaiah });
  await twice('post by a non-member of the team', 'POST', `${general}/messages`, { ...post('not mine'), headers: isaiah });
  await twice('post by a non-member of a private channel', 'POST', `${leadership}/messages`, { ...post('not mine'), headers: megan });
  await twice('page by a non-member of a private channel', 'GET', `${leadership}/messages?$top=1`, { headers: megan });

  // An archived channel: read, its facts remembered, then refused posts and changes; reopened.
  const created = await send('create a channel', 'POST', channels, { body: { displayName: 'Warm and cold' } });
  const channel = `${channels}/${encodeURIComponent(String(created.body?.id))}`;
  await twice('post in the new channel', 'POST', `${channel}/messages`, post('before archiving'));
  const [first] = (await send('page of the new channel', 'GET', `${channel}/messages?$top=1`)).body?.value ?? [];
  await operation('archive the channel', `${channel}/archive`);
  await send('read the archived channel', 'GET', channel);
  await twice('post in the archived channel', 'POST', `${channel}/messages`, post('while archived'));
  await twice('page of the archived channel', 'GET', `${channel}/messages?$top=1`);
  await send('edit a message of the archived channel', 'PATCH', `${channel}/messages/${String(first?.id)}`, { body: { body: { content: 'edited' } } });
  await send('change the archived channel', 'PATCH', channel, { body: { description: 'changed' } });
  await operation('unarchive the channel', `${channel}/unarchive`);
  await twice('post in the reopened channel', 'POST', `${channel}/messages`, post('reopened'));

  // A deleted channel.
  await send('delete the channel', 'DELETE', channel);
  await twice('post in the deleted channel', 'POST', `${channel}/messages`, post('gone'));
  await twice('page of the deleted channel', 'GET', `${channel}/messages?$top=1`);

  // Group chats: made, and refused (the caller not among the members, a guest as owner, nobody found).
  await twice('create a group chat', 'POST', '/v1.0/chats', groupChat(member(users.adele), member(users.lee), member(users.isaiah)));
  await twice('create a group chat without its caller', 'POST', '/v1.0/chats', groupChat(member(users.lee), member(users.isaiah)));
  await twice('create a group chat with a guest as owner', 'POST', '/v1.0/chats', groupChat(member(users.adele), member(users.guest)));
  await twice(
    'create a group chat with an unknown user',
    'POST',
    '/v1.0/chats',
    groupChat(member(users.adele), member('00000000-0000-0000-0000-00000000dead')),
  );
  await twice('create a group chat as a member', 'POST', '/v1.0/chats', { ...groupChat(member(users.megan), member(users.lee)), headers: megan });

  // An archived team: read, its facts remembered, then refused posts; pages still read; reopened.
  await operation('archive the team', `${team}/archive`);
  await send('read a channel of the archived team', 'GET', general);
  await twice('post in the archived team', 'POST', `${general}/messages`, { ...post('while archived'), headers: megan });
  await twice('page in the archived team', 'GET', `${general}/messages?$top=1`, { headers: megan });
  await operation('unarchive the team', `${team}/unarchive`);
  await twice('post in the reopened team', 'POST', `${general}/messages`, { ...post('reopened'), headers: megan });
  return answers;
}

for (const dialect of testDialects()) {
  describe(`the same requests with remembered facts on and off on ${dialect}`, () => {
    let warm: TestServer;
    let cold: TestServer;
    before(async () => {
      warm = await startTestServer(dialect, ['--operation-delay-ms', '20', '--remembered-facts', 'on']);
      cold = await startTestServer(dialect, ['--operation-delay-ms', '20', '--remembered-facts', 'off']);
    });
    after(async () => {
      await warm.close();
      await cold.close();
    });

    it('answer with the same statuses and bodies, ids and times aside', async () => {
      const warmAnswers = await scenario(warm);
      const coldAnswers = await scenario(cold);
      assert.deepEqual(warmAnswers, coldAnswers);
      // The refusals the scenario is for are refusals, not equal successes.
      const statusOf = (step: string) => coldAnswers.find((answer) => answer.step === step)?.status;
      assert.equal(statusOf('post in the archived channel (again)'), 403);
      assert.equal(statusOf('post in the archived team (again)'), 403);
      assert.equal(statusOf('post in the deleted channel (again)'), 404);
      assert.equal(statusOf('post by a non-member of the team (again)'), 403);
      assert.equal(statusOf('create a group chat without its caller (again)'), 403);
      assert.equal(statusOf('post in the reopened team (again)'), 201);
    });
  });
}
