import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConversation, salesId, threadPath } from '../helpers/conversations.ts';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../helpers/server.ts';
import { bearer, demoTenantId, userToken } from '../helpers/tokens.ts';
import { architectureTeamId, channels, leadershipChannelId, mark8TeamId } from './channels/channels.fixtures.ts';
import { seededGroupChat } from './chats/chat-fixtures.ts';
import { adeleId, favoritesId, phoenixId, seedVersion } from './teamwork/fixtures.ts';

// Object-level refusals across the families (the coverage map's `refusal`, docs/test-coverage.md):
// for each operation, a caller whose token holds the permission but who may not see or change the
// object is refused, in Graph's envelope, while a caller who may is answered on the same path; a
// refused write changes nothing. Where Graph hides an object from a caller, the refusal is its 404.
type Caller = 'AdeleV' | 'MeganB' | 'JohannaL' | 'PattiF' | 'MiriamG';

interface Refusal {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A caller answered 2xx on the same path; none where the suite's own tests of the operation show it. */
  readonly allowed?: Caller;
  readonly refused: Caller;
  readonly status: 403 | 404;
  readonly code: string;
}

// Miriam is the partner tenant's (fabrikam.com); everyone else is the demo tenant's.
const partnerTenantId = '4dc1fe35-8ac6-4f0d-904a-7ebcd364bea1';
const upn = (caller: Caller) => `${caller}@${caller === 'MiriamG' ? 'fabrikam.com' : 'contoso.com'}`;
const leadership = `${channels}/${leadershipChannelId}`;
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
      const meganInMark8 = membership('8b081ef6-4792-4def-b2c9-c363a1bf41d5');
      const gradyInMark8 = membership('bfb5bb25-3a8d-487d-9828-7875ced51a30');
      const archived = await server.request('POST', `${mark8}/archive`, { headers: as('AdeleV') });
      assertStatus(archived, 202);
      const archiving = `/v1.0${archived.headers.get('location') ?? ''}`;
      const pattiAsMember = {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        'user@odata.bind': "https://graph.microsoft.com/v1.0/users('6d1e1501-7a3d-45b7-b71b-68d372e5ce14')",
        roles: ['owner'],
      };
      const forward = { toRecipients: [{ emailAddress: { address: 'MeganB@contoso.com' } }] };
      /** Rows where Adele is answered and `refused` gets `status` and `code`. */
      const refusing =
        (refused: Caller, status: Refusal['status'], code: string) =>
        (operation: string, method: Refusal['method'], path: string, body?: unknown): Refusal => ({
          operation,
          method,
          path,
          ...(body === undefined ? {} : { body }),
          allowed: 'AdeleV',
          refused,
          status,
          code,
        });
      const hidden = refusing('MeganB', 404, 'NotFound');
      const outsideGroup = refusing('PattiF', 403, 'ErrorAccessDenied');
      refusals = [
        // A private channel is hidden from the members of its team who are not its members.
        hidden('channel-member-list', 'GET', `${leadership}/members`),
        hidden('channel-member-get', 'GET', `${leadership}/members/${encodeURIComponent(channelMember)}`),
        hidden('channel-message-get', 'GET', `${leadership}/messages/${root.body.id}`),
        hidden('channel-message-reply-list', 'GET', `${leadership}/messages/${root.body.id}/replies`),
        hidden('channel-message-reply-get', 'GET', `${leadership}/messages/${root.body.id}/replies/${reply.body.id}`),
        hidden('channel-message-reply-create', 'POST', `${leadership}/messages/${root.body.id}/replies`, { body: { content: 'me too' } }),
        // A group's private conversations are refused to users outside the group.
        outsideGroup('conversation-get', 'GET', `/v1.0/groups/${salesId}/conversations/${conversationId}`),
        outsideGroup('conversation-thread-list', 'GET', `/v1.0/groups/${salesId}/conversations/${conversationId}/threads`),
        outsideGroup('thread-list', 'GET', `/v1.0/groups/${salesId}/threads`),
        outsideGroup('thread-get', 'GET', threadPath(salesId, threadId)),
        outsideGroup('post-list', 'GET', `${threadPath(salesId, threadId)}/posts`),
        outsideGroup('post-get', 'GET', `${threadPath(salesId, threadId)}/posts/${post}`),
        outsideGroup('post-reply', 'POST', `${threadPath(salesId, threadId)}/posts/${post}/reply`, { post: { body: { content: 'x' } } }),
        outsideGroup('post-forward', 'POST', `${threadPath(salesId, threadId)}/posts/${post}/forward`, forward),
        // A chat is refused to users outside it.
        ...[
          { operation: 'chat-message-list', method: 'GET', path: `${chat}/messages` },
          { operation: 'chat-message-get', method: 'GET', path: `${chat}/messages/${chatMessage}` },
          { operation: 'chat-member-get', method: 'GET', path: `${chat}/members/${encodeURIComponent(chatMember)}` },
          { operation: 'chat-installed-app-list', method: 'GET', path: `${chat}/installedApps` },
          { operation: 'chat-update', method: 'PATCH', path: chat, body: { topic: 'Renamed' } },
        ].map((row): Refusal => ({
          ...(row as Pick<Refusal, 'operation' | 'method' | 'path' | 'body'>),
          allowed: 'AdeleV',
          refused: 'JohannaL',
          status: 403,
          code: 'Forbidden',
        })),
        // A private team is refused to users outside it (a public one is open to its tenant).
        ...[
          ['channel-list', `${mark8}/channels`],
          ['all-channel-list', `${mark8}/allChannels`],
          ['incoming-channel-list', `${mark8}/incomingChannels`],
          ['primary-channel-get', `${mark8}/primaryChannel`],
          ['channel-shared-with-team-list', `${mark8}/channels/${encodeURIComponent(mark8General)}/sharedWithTeams`],
          ['team-get', mark8],
        ].map(([operation, path]): Refusal => ({
          operation: operation as string,
          method: 'GET',
          path: path as string,
          allowed: 'MeganB',
          refused: 'PattiF',
          status: 403,
          code: 'Forbidden',
        })),
        // A private team's roster and archive state: its members see them, its owners change them.
        { operation: 'team-member-get', method: 'GET', path: meganInMark8, allowed: 'MeganB', refused: 'PattiF', status: 403, code: 'Forbidden' },
        { operation: 'team-operation-get', method: 'GET', path: archiving, allowed: 'AdeleV', refused: 'PattiF', status: 403, code: 'Forbidden' },
        { operation: 'team-unarchive', method: 'POST', path: `${mark8}/unarchive`, allowed: 'AdeleV', refused: 'MeganB', status: 403, code: 'Forbidden' },
        { operation: 'team-member-delete', method: 'DELETE', path: gradyInMark8, allowed: 'AdeleV', refused: 'MeganB', status: 403, code: 'Forbidden' },
        {
          operation: 'channel-unarchive',
          method: 'POST',
          path: `${mark8}/channels/${encodeURIComponent(mark8General)}/unarchive`,
          refused: 'PattiF',
          status: 403,
          code: 'Forbidden',
        },
        {
          operation: 'chat-member-add',
          method: 'POST',
          path: `${chat}/members`,
          body: pattiAsMember,
          allowed: 'AdeleV',
          refused: 'JohannaL',
          status: 403,
          code: 'Forbidden',
        },
        // A team's conversations are added to by those who joined it.
        {
          operation: 'joined-team-conversation-reference-add',
          method: 'POST',
          path: `/v1.0/me/joinedTeams/${architectureTeamId}/conversations/$ref`,
          body: { topic: 'Joined teams only', threads: [{ posts: [{ body: { contentType: 'text', content: 'hello' } }] }] },
          allowed: 'MeganB',
          refused: 'PattiF',
          status: 404,
          code: 'NotFound',
        },
        // A user's sections are their own.
        { operation: 'section-get', method: 'GET', path: `${sections}/${phoenixId}`, allowed: 'AdeleV', refused: 'MeganB', status: 403, code: 'Forbidden' },
        {
          operation: 'section-item-list',
          method: 'GET',
          path: `${sections}/${phoenixId}/items`,
          allowed: 'AdeleV',
          refused: 'MeganB',
          status: 403,
          code: 'Forbidden',
        },
        {
          operation: 'section-reorder',
          method: 'POST',
          path: `${sections}/reorder`,
          body: { sectionsOrder: [favoritesId, phoenixId] },
          headers: { 'if-match': `"${seedVersion}"` },
          refused: 'MeganB',
          status: 403,
          code: 'Forbidden',
        },
        // The directory is the caller's tenant's: another tenant's user or group does not exist for it.
        {
          operation: 'user-get',
          method: 'GET',
          path: `/v1.0/users/${adeleId}`,
          allowed: 'MeganB',
          refused: 'MiriamG',
          status: 404,
          code: 'Request_ResourceNotFound',
        },
        {
          operation: 'group-get',
          method: 'GET',
          path: `/v1.0/groups/${salesId}`,
          allowed: 'MeganB',
          refused: 'MiriamG',
          status: 404,
          code: 'Request_ResourceNotFound',
        },
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
