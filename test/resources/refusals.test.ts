import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConversation, salesId, threadPath } from '../helpers/conversations.ts';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../helpers/server.ts';
import { bearer, demoTenantId, partnerTenantId, userToken } from '../helpers/tokens.ts';
import { architectureTeamId, leadership, mark8TeamId, meganId, member } from './channels/channels.fixtures.ts';
import { seededGroupChat, users } from './chats/chat-fixtures.ts';
import { adeleId, favoritesId, phoenixId, seedVersion } from './teamwork/fixtures.ts';

// Object-level refusals across the families (the coverage map's `refusal`, docs/test-coverage.md):
// for each operation, a caller whose token holds the permission but who may not see or change the
// object is refused, in Graph's envelope, while a caller who may is answered on the same path. Where
// Graph hides an object from a caller, the refusal is its 404.
type Caller = 'AdeleV' | 'MeganB' | 'JohannaL' | 'PattiF' | 'MiriamG';

/** Who is refused, how, and who is answered on the same path. */
interface Rule {
  /** None where the suite's own tests of the operation show a caller answered. */
  readonly allowed?: Caller;
  readonly refused: Caller;
  readonly status: 403 | 404;
  readonly code: string;
}

interface Refusal extends Rule {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const refusal = (operation: string, method: Refusal['method'], path: string, rule: Rule, sent: Pick<Refusal, 'body' | 'headers'> = {}): Refusal => ({
  operation,
  method,
  path,
  ...sent,
  ...rule,
});

// A private channel is hidden from the members of its team who are not its members.
const outsideChannel: Rule = { allowed: 'AdeleV', refused: 'MeganB', status: 404, code: 'NotFound' };
// A group's private conversations are refused to users outside the group.
const outsideGroup: Rule = { allowed: 'AdeleV', refused: 'PattiF', status: 403, code: 'ErrorAccessDenied' };
// A chat is refused to users outside it.
const outsideChat: Rule = { allowed: 'AdeleV', refused: 'JohannaL', status: 403, code: 'Forbidden' };
// A private team is refused to users outside it (a public one is open to its tenant).
const outsideTeam: Rule = { allowed: 'MeganB', refused: 'PattiF', status: 403, code: 'Forbidden' };
// A team's roster and archive state are changed by its owners, not its members.
const notOwner: Rule = { allowed: 'AdeleV', refused: 'MeganB', status: 403, code: 'Forbidden' };
// A team's conversations are added to through /me/joinedTeams by those who joined it.
const notJoined: Rule = { allowed: 'MeganB', refused: 'PattiF', status: 404, code: 'NotFound' };
// A user's sections are their own.
const notTheirs: Rule = { allowed: 'AdeleV', refused: 'MeganB', status: 403, code: 'Forbidden' };
// The directory is the caller's tenant's: another tenant's user or group does not exist for it.
const otherTenant: Rule = { allowed: 'MeganB', refused: 'MiriamG', status: 404, code: 'Request_ResourceNotFound' };

// Miriam is the partner tenant's (fabrikam.com); everyone else is the demo tenant's.
const upn = (caller: Caller) => `${caller}@${caller === 'MiriamG' ? 'fabrikam.com' : 'contoso.com'}`;
const chat = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}`;
const sections = `/beta/users/${adeleId}/teamwork/sections`;
const mark8 = `/v1.0/teams/${mark8TeamId}`;

for (const dialect of testDialects()) {
  describe(`refusals of the object itself on ${dialect}`, () => {
    let server: TestServer;
    const tokens = new Map<Caller, Record<string, string>>();
    let refusals: Refusal[];
    before(async () => {
      server = await startTestServer(dialect);
      for (const caller of ['AdeleV', 'MeganB', 'JohannaL', 'PattiF', 'MiriamG'] as const) {
        tokens.set(caller, bearer(await userToken(server, upn(caller), ['.default'], caller === 'MiriamG' ? partnerTenantId : demoTenantId)));
      }
      const as = (caller: Caller) => tokens.get(caller) ?? {};
      // What the rows name: a private channel's message, reply and member; a chat's message and
      // member; a private group's conversation, thread and post.
      const root = await server.request('POST', `${leadership}/messages`, { body: { body: { content: 'leadership only' } }, headers: as('AdeleV') });
      assertStatus(root, 201);
      const reply = await server.request('POST', `${leadership}/messages/${root.body.id}/replies`, {
        body: { body: { content: 'a reply' } },
        headers: as('AdeleV'),
      });
      assertStatus(reply, 201);
      const channelMembers = await server.request('GET', `${leadership}/members`, { headers: as('AdeleV') });
      const channelMember = channelMembers.body.value[0].id as string;
      const chatMessage = (await server.request('POST', `${chat}/messages`, { body: { body: { content: 'hello' } }, headers: as('AdeleV') })).body.id as string;
      const chatMember = (await server.request('GET', `${chat}/members`, { headers: as('AdeleV') })).body.value[0].id as string;
      const { conversationId, threadId } = await createConversation(server, salesId, 'Pipeline', 'numbers', as('AdeleV'));
      const post = (await server.request('GET', `${threadPath(salesId, threadId)}/posts`, { headers: as('AdeleV') })).body.value[0].id as string;
      const mark8General = (await server.request('GET', `${mark8}/primaryChannel`, { headers: as('MeganB') })).body.id as string;
      const mark8Members = (await server.request('GET', `${mark8}/members`, { headers: as('MeganB') })).body.value as { id: string; userId: string }[];
      const membership = (userId: string) => `${mark8}/members/${encodeURIComponent(mark8Members.find((m) => m.userId === userId)?.id ?? 'none')}`;
      const meganInMark8 = membership(meganId);
      const gradyInMark8 = membership('bfb5bb25-3a8d-487d-9828-7875ced51a30');
      const archived = await server.request('POST', `${mark8}/archive`, { headers: as('AdeleV') });
      assertStatus(archived, 202);
      const archiving = `/v1.0${archived.headers.get('location') ?? ''}`;
      const forward = { toRecipients: [{ emailAddress: { address: 'MeganB@contoso.com' } }] };
      refusals = [
        refusal('channel-member-list', 'GET', `${leadership}/members`, outsideChannel),
        refusal('channel-member-get', 'GET', `${leadership}/members/${encodeURIComponent(channelMember)}`, outsideChannel),
        refusal('channel-message-get', 'GET', `${leadership}/messages/${root.body.id}`, outsideChannel),
        refusal('channel-message-reply-list', 'GET', `${leadership}/messages/${root.body.id}/replies`, outsideChannel),
        refusal('channel-message-reply-get', 'GET', `${leadership}/messages/${root.body.id}/replies/${reply.body.id}`, outsideChannel),
        refusal('channel-message-reply-create', 'POST', `${leadership}/messages/${root.body.id}/replies`, outsideChannel, {
          body: { body: { content: 'me too' } },
        }),
        refusal('conversation-get', 'GET', `/v1.0/groups/${salesId}/conversations/${conversationId}`, outsideGroup),
        refusal('conversation-thread-list', 'GET', `/v1.0/groups/${salesId}/conversations/${conversationId}/threads`, outsideGroup),
        refusal('thread-list', 'GET', `/v1.0/groups/${salesId}/threads`, outsideGroup),
        refusal('thread-get', 'GET', threadPath(salesId, threadId), outsideGroup),
        refusal('post-list', 'GET', `${threadPath(salesId, threadId)}/posts`, outsideGroup),
        refusal('post-get', 'GET', `${threadPath(salesId, threadId)}/posts/${post}`, outsideGroup),
        refusal('post-reply', 'POST', `${threadPath(salesId, threadId)}/posts/${post}/reply`, outsideGroup, { body: { post: { body: { content: 'x' } } } }),
        refusal('post-forward', 'POST', `${threadPath(salesId, threadId)}/posts/${post}/forward`, outsideGroup, { body: forward }),
        refusal('chat-message-list', 'GET', `${chat}/messages`, outsideChat),
        refusal('chat-message-get', 'GET', `${chat}/messages/${chatMessage}`, outsideChat),
        refusal('chat-member-get', 'GET', `${chat}/members/${encodeURIComponent(chatMember)}`, outsideChat),
        refusal('chat-installed-app-list', 'GET', `${chat}/installedApps`, outsideChat),
        refusal('chat-update', 'PATCH', chat, outsideChat, { body: { topic: 'Renamed' } }),
        refusal('chat-member-add', 'POST', `${chat}/members`, outsideChat, { body: member(users.patti) }),
        refusal('channel-list', 'GET', `${mark8}/channels`, outsideTeam),
        refusal('all-channel-list', 'GET', `${mark8}/allChannels`, outsideTeam),
        refusal('incoming-channel-list', 'GET', `${mark8}/incomingChannels`, outsideTeam),
        refusal('primary-channel-get', 'GET', `${mark8}/primaryChannel`, outsideTeam),
        refusal('channel-shared-with-team-list', 'GET', `${mark8}/channels/${encodeURIComponent(mark8General)}/sharedWithTeams`, outsideTeam),
        refusal('team-get', 'GET', mark8, outsideTeam),
        refusal('team-member-get', 'GET', meganInMark8, outsideTeam),
        refusal('team-operation-get', 'GET', archiving, { ...outsideTeam, allowed: 'AdeleV' }),
        refusal('channel-unarchive', 'POST', `${mark8}/channels/${encodeURIComponent(mark8General)}/unarchive`, {
          refused: 'PattiF',
          status: 403,
          code: 'Forbidden',
        }),
        refusal('team-unarchive', 'POST', `${mark8}/unarchive`, notOwner),
        refusal('team-member-delete', 'DELETE', gradyInMark8, notOwner),
        refusal('joined-team-conversation-reference-add', 'POST', `/v1.0/me/joinedTeams/${architectureTeamId}/conversations/$ref`, notJoined, {
          body: { topic: 'Joined teams only', threads: [{ posts: [{ body: { contentType: 'text', content: 'hello' } }] }] },
        }),
        refusal('section-get', 'GET', `${sections}/${phoenixId}`, notTheirs),
        refusal('section-item-list', 'GET', `${sections}/${phoenixId}/items`, notTheirs),
        refusal(
          'section-reorder',
          'POST',
          `${sections}/reorder`,
          { refused: 'MeganB', status: 403, code: 'Forbidden' },
          {
            body: { sectionsOrder: [favoritesId, phoenixId] },
            headers: { 'if-match': `"${seedVersion}"` },
          },
        ),
        refusal('user-get', 'GET', `/v1.0/users/${adeleId}`, otherTenant),
        refusal('group-get', 'GET', `/v1.0/groups/${salesId}`, otherTenant),
      ];
    });
    after(() => server.close());

    it('refuses each caller who may not see or change the object, and answers one who may on the same path', async () => {
      const wrong: string[] = [];
      for (const refusal of refusals) {
        const send = (caller: Caller) =>
          server.request(refusal.method, refusal.path, {
            headers: { ...refusal.headers, ...tokens.get(caller) },
            ...(refusal.body === undefined ? {} : { body: refusal.body }),
          });
        const refused = await send(refusal.refused);
        if (refused.status !== refusal.status || refused.body?.error?.code !== refusal.code) {
          wrong.push(`${refusal.operation} as ${refusal.refused}: ${refused.status} ${refused.text}`);
        } else {
          assertGraphError(refused, refusal.status, refusal.code);
        }
        if (refusal.allowed === undefined) continue;
        const allowed = await send(refusal.allowed);
        if (allowed.status < 200 || allowed.status > 299) wrong.push(`${refusal.operation} as ${refusal.allowed}: ${allowed.status} ${allowed.text}`);
      }
      assert.deepEqual(wrong, []);
    });
  });
}
