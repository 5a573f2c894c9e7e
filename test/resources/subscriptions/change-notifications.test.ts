import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { assertGraphType } from '../../helpers/graph-schema.ts';
import { type Receiver, startReceiver } from '../../helpers/receiver.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, demoTenantId, userToken } from '../../helpers/tokens.ts';
import {
  architectureTeamId,
  awaitOperation,
  generalChannelId,
  leadership,
  leadershipChannelId,
  member,
  meganId,
  resetToLeeInLeadership,
} from '../channels/channels.fixtures.ts';
import { createConversation, threadPath } from '../../helpers/conversations.ts';
import { member as chatMember, seededGroupChat, seededOneOnOne, users } from '../chats/chat-fixtures.ts';
import { awaitItems, chatPath, itemsOf, subscribe, subscriptionBody } from './subscriptions.fixtures.ts';

const general = `/v1.0/teams/${architectureTeamId}/channels/${generalChannelId}`;
const team = `/v1.0/teams/${architectureTeamId}`;
const text = (content: string) => ({ body: { content } });
const kinds = (items: readonly { changeType: string; resource: string }[]) => items.map((item) => `${item.changeType} ${item.resource}`);

// Each resource of Graph's Teams change-notification pages raises its change types, whichever route
// made the change (concepts/teams-changenotifications-*.md).
for (const dialect of testDialects()) {
  describe(`change notifications of each resource on ${dialect}`, () => {
    let server: TestServer;
    let receiver: Receiver;
    let app: Record<string, string>;
    before(async () => {
      server = await startTestServer(dialect, ['--operation-delay-ms', '20']);
      app = bearer(await appToken(server));
    });
    after(() => server.close());
    beforeEach(async () => {
      await server.request('POST', '/_teamgraph/reset');
      receiver = await startReceiver();
    });
    afterEach(() => receiver.close());

    it('chat messages: created, updated, and deleted by a soft delete, in Graph shape with clientState and tenant', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, `/chats/${seededGroupChat}/messages`));
      const sent = await server.request('POST', `${chatPath}/messages`, { body: text('Hello') });
      assertStatus(sent, 201);
      assertStatus(await server.request('PATCH', `${chatPath}/messages/${sent.body.id}`, { body: text('Hello again') }), 204);
      assertStatus(
        await server.request('POST', `/v1.0/users/${users.adele}/chats/${encodeURIComponent(seededGroupChat)}/messages/${sent.body.id}/softDelete`),
        204,
      );
      const items = await awaitItems(receiver, id, 3);
      const resource = `chats('${seededGroupChat}')/messages('${sent.body.id}')`;
      assert.deepEqual(kinds(items), [`created ${resource}`, `updated ${resource}`, `deleted ${resource}`]);
      assert.deepEqual(items[0], {
        subscriptionId: id,
        subscriptionExpirationDateTime: items[0].subscriptionExpirationDateTime,
        changeType: 'created',
        resource,
        resourceData: { id: sent.body.id, '@odata.type': '#Microsoft.Graph.chatMessage', '@odata.id': resource },
        clientState: 'secretClientValue',
        tenantId: demoTenantId,
      });
      for (const received of receiver.notifications) assertGraphType('microsoft.graph.changeNotificationCollection', received.body);
    });

    it('channel messages and their replies (a replies segment), from a user and from a $batch item', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, `/teams/${architectureTeamId}/channels/${generalChannelId}/messages`, 'created'));
      const root = await server.request('POST', `${general}/messages`, { body: text('Root') });
      const reply = await server.request('POST', `${general}/messages/${root.body.id}/replies`, { body: text('Reply') });
      const batch = await server.request('POST', '/v1.0/$batch', {
        body: {
          requests: [
            {
              id: '1',
              method: 'POST',
              url: `/teams/${architectureTeamId}/channels/${generalChannelId}/messages`,
              headers: { 'content-type': 'application/json' },
              body: text('Batched'),
            },
          ],
        },
      });
      assertStatus(batch, 200);
      const batched = batch.body.responses[0].body.id as string;
      const channel = `teams('${architectureTeamId}')/channels('${generalChannelId}')`;
      const items = await awaitItems(receiver, id, 3);
      assert.deepEqual(kinds(items), [
        `created ${channel}/messages('${root.body.id}')`,
        `created ${channel}/messages('${root.body.id}')/replies('${reply.body.id}')`,
        `created ${channel}/messages('${batched}')`,
      ]);
    });

    it('/chats: an application hears of a new chat and of a topic change', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, '/chats', 'created,updated'), app);
      const chat = await server.request('POST', '/v1.0/chats', {
        body: { chatType: 'group', topic: 'Plans', members: [chatMember(users.adele), chatMember(users.lee), chatMember(users.megan)] },
      });
      assertStatus(chat, 201);
      assertStatus(await server.request('PATCH', `/v1.0/chats/${encodeURIComponent(chat.body.id)}`, { body: { topic: 'Renamed' } }), 200);
      const items = await receiver.waitFor(() => itemsOf(receiver, id).some((item) => item.changeType === 'updated'));
      const mine = items.filter((item) => item.resourceData.id === chat.body.id);
      assert.deepEqual(mine.map((item) => item.changeType).slice(0, 1), ['created']);
      assert.equal(mine.at(-1).changeType, 'updated');
      assert.equal(mine[0].resource, `chats('${chat.body.id}')`);
      assert.equal(mine[0].resourceData['@odata.type'], '#Microsoft.Graph.chat');
    });

    it('/chats/{id}: a member of the chat hears of its topic changing', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, `/chats/${seededGroupChat}`, 'updated'));
      assertStatus(await server.request('PATCH', chatPath, { body: { topic: 'New topic' } }), 200);
      const items = await awaitItems(receiver, id, 1);
      assert.deepEqual(kinds(items), [`updated chats('${seededGroupChat}')`]);
    });

    it('/teams/{id}: a PATCH and an archive that completes through its operation are updates', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, `/teams/${architectureTeamId}`, 'updated'));
      assertStatus(await server.request('PATCH', team, { body: { description: 'Changed' } }), 204);
      await awaitItems(receiver, id, 1);
      const archive = await server.request('POST', `${team}/archive`);
      assertStatus(archive, 202);
      await awaitOperation(server, archive.headers.get('location') ?? '');
      const items = await awaitItems(receiver, id, 2);
      assert.deepEqual(kinds(items), [`updated teams('${architectureTeamId}')`, `updated teams('${architectureTeamId}')`]);
      assert.equal(items[0].resourceData['@odata.type'], '#Microsoft.Graph.Team');
    });

    it('/teams/{id}/channels: created, updated, deleted; a refused write raises nothing', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, `/teams/${architectureTeamId}/channels`));
      const created = await server.request('POST', `${team}/channels`, { body: { displayName: 'Launch' } });
      assertStatus(created, 201);
      assertGraphError(await server.request('POST', `${team}/channels`, { body: { displayName: 'Launch' } }), 409, 'NameAlreadyExists');
      assertStatus(await server.request('PATCH', `${team}/channels/${created.body.id}`, { body: { description: 'Go' } }), 204);
      assertStatus(await server.request('DELETE', `${team}/channels/${created.body.id}`), 204);
      const items = await awaitItems(receiver, id, 3);
      const resource = `teams('${architectureTeamId}')/channels('${created.body.id}')`;
      assert.deepEqual(kinds(items), [`created ${resource}`, `updated ${resource}`, `deleted ${resource}`]);
      assert.equal(items[0].resourceData['@odata.type'], '#Microsoft.Graph.Channel');
    });

    it('members of a chat, a team and a channel: added is created, removed is deleted', async () => {
      const chatMembers = await subscribe(server, subscriptionBody(receiver, `/chats/${seededGroupChat}/members`, 'created,deleted'));
      const teamMembers = await subscribe(server, subscriptionBody(receiver, `/teams/${architectureTeamId}/members`, 'created,deleted'));
      const channelMembers = await subscribe(
        server,
        subscriptionBody(receiver, `/teams/${architectureTeamId}/channels/${leadershipChannelId}/members`, 'created'),
      );
      const added = await server.request('POST', `${chatPath}/members`, { body: chatMember(users.patti) });
      assertStatus(added, 201);
      assertStatus(await server.request('DELETE', `${chatPath}/members/${encodeURIComponent(added.body.id)}`), 204);
      const teamMember = await server.request('POST', `${team}/members`, { body: member(users.patti, []) });
      assertStatus(teamMember, 201);
      assertStatus(await server.request('DELETE', `${team}/members/${encodeURIComponent(teamMember.body.id)}`), 204);
      const channelMember = await server.request('POST', `${leadership}/members`, { body: member(meganId, []) });
      assertStatus(channelMember, 201);
      const chatItems = await awaitItems(receiver, chatMembers, 2);
      assert.deepEqual(kinds(chatItems), [
        `created chats('${seededGroupChat}')/members('${added.body.id}')`,
        `deleted chats('${seededGroupChat}')/members('${added.body.id}')`,
      ]);
      assert.equal(chatItems[0].resourceData['@odata.type'], '#Microsoft.Graph.aadUserConversationMember');
      const teamItems = await awaitItems(receiver, teamMembers, 2);
      assert.deepEqual(kinds(teamItems), [
        `created teams('${architectureTeamId}')/members('${teamMember.body.id}')`,
        `deleted teams('${architectureTeamId}')/members('${teamMember.body.id}')`,
      ]);
      const channelItems = await awaitItems(receiver, channelMembers, 1);
      assert.deepEqual(kinds(channelItems), [`created teams('${architectureTeamId}')/channels('${leadershipChannelId}')/members('${channelMember.body.id}')`]);
    });

    it('/groups/{id}/conversations: a new conversation is created', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, `/groups/${architectureTeamId}/conversations`, 'created'));
      const conversation = await server.request('POST', `/v1.0/groups/${architectureTeamId}/conversations`, {
        body: { topic: 'Plans', threads: [{ posts: [{ body: { contentType: 'text', content: 'Hi' } }] }] },
      });
      assertStatus(conversation, 201);
      const items = await awaitItems(receiver, id, 1);
      assert.deepEqual(kinds(items), [`created groups('${architectureTeamId}')/conversations('${conversation.body.id}')`]);
    });

    it("a user's chats: messages of the chats the user is in, not of others'; $search keeps those holding its words", async () => {
      const all = await subscribe(server, subscriptionBody(receiver, '/me/chats/getAllMessages', 'created'));
      const searched = await subscribe(server, subscriptionBody(receiver, `/chats/${seededGroupChat}/messages?$search=launch`, 'created'));
      const megan = bearer(await userToken(server, 'MeganB@contoso.com'));
      const elsewhere = await server.request('POST', '/v1.0/chats', {
        body: { chatType: 'oneOnOne', members: [chatMember(users.megan), chatMember(users.lee)] },
        headers: megan,
      });
      assertStatus(elsewhere, 201);
      assertStatus(
        await server.request('POST', `/v1.0/chats/${encodeURIComponent(elsewhere.body.id)}/messages`, { body: text('Not for Adele'), headers: megan }),
        201,
      );
      const oneOnOne = await server.request('POST', `/v1.0/chats/${encodeURIComponent(seededOneOnOne)}/messages`, { body: text('For Adele'), headers: megan });
      const plain = await server.request('POST', `${chatPath}/messages`, { body: text('Lunch?') });
      const launch = await server.request('POST', `${chatPath}/messages`, { body: text('The LAUNCH is on') });
      const items = await awaitItems(receiver, all, 3);
      assert.deepEqual(
        items.map((item) => item.resourceData.id),
        [oneOnOne.body.id, plain.body.id, launch.body.id],
      );
      assert.deepEqual(
        (await awaitItems(receiver, searched, 1)).map((item) => item.resourceData.id),
        [launch.body.id],
      );
    });

    it("an application's tenant-wide subscriptions hear of every chat's and channel's messages, new teams, channels and members", async () => {
      const watch = async (resource: string) => subscribe(server, subscriptionBody(receiver, resource, 'created'), app);
      const chatMessages = await watch('/chats/getAllMessages');
      const channelMessages = await watch('/teams/getAllMessages');
      const teams = await watch('/teams');
      const channels = await watch('/teams/getAllChannels');
      const chatMembers = await watch('/chats/getAllMembers');
      const teamMembers = await watch('/teams/getAllMembers');
      const chatMessage = await server.request('POST', `${chatPath}/messages`, { body: text('Tenant-wide') });
      const channelMessage = await server.request('POST', `${general}/messages`, { body: text('Tenant-wide') });
      const channel = await server.request('POST', `${team}/channels`, { body: { displayName: 'Everywhere' } });
      const chatMemberAdded = await server.request('POST', `${chatPath}/members`, { body: chatMember(users.patti) });
      const teamMember = await server.request('POST', `${team}/members`, { body: member(users.patti, []) });
      const created = await server.request('POST', '/v1.0/teams', {
        body: { 'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('standard')", displayName: 'Watched team' },
      });
      assertStatus(created, 202);
      const expected: [string, string][] = [
        [chatMessages, chatMessage.body.id],
        [channelMessages, channelMessage.body.id],
        [channels, channel.body.id],
        [chatMembers, chatMemberAdded.body.id],
        [teamMembers, teamMember.body.id],
      ];
      for (const [id, resourceId] of expected) {
        await receiver.waitFor(() => itemsOf(receiver, id).some((item) => item.resourceData.id === resourceId));
      }
      // The team exists once its createTeam operation has run; then its creation is a change like any other.
      const teamId = /teams\('([^']+)'\)/.exec(created.headers.get('location') ?? '')?.[1];
      await receiver.waitFor(() => itemsOf(receiver, teams).some((item) => item.resource === `teams('${teamId}')`));
    });

    it("the other change types: a channel member's roles changed and removed; a conversation replied to and deleted", async () => {
      const members = await subscribe(
        server,
        subscriptionBody(receiver, `/teams/${architectureTeamId}/channels/${leadershipChannelId}/members`, 'updated,deleted'),
      );
      const conversations = await subscribe(server, subscriptionBody(receiver, `/groups/${architectureTeamId}/conversations`, 'updated,deleted'));
      const lee = await resetToLeeInLeadership(server);
      // The reset removed the subscriptions with everything else: they are made again after it.
      const [memberWatch, conversationWatch] = [
        await subscribe(server, subscriptionBody(receiver, `/teams/${architectureTeamId}/channels/${leadershipChannelId}/members`, 'updated,deleted')),
        await subscribe(server, subscriptionBody(receiver, `/groups/${architectureTeamId}/conversations`, 'updated,deleted')),
      ];
      assert.ok(members !== memberWatch && conversations !== conversationWatch);
      assertStatus(await server.request('PATCH', lee, { body: { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: ['owner'] } }), 200);
      assertStatus(await server.request('DELETE', lee), 204);
      const { conversationId, threadId } = await createConversation(server, architectureTeamId);
      assertStatus(
        await server.request('POST', `${threadPath(architectureTeamId, threadId)}/reply`, { body: { post: { body: { contentType: 'text', content: 'Re' } } } }),
        202,
      );
      assertStatus(await server.request('DELETE', `/v1.0/groups/${architectureTeamId}/conversations/${conversationId}`), 204);
      const memberItems = await awaitItems(receiver, memberWatch, 2);
      assert.deepEqual(
        memberItems.map((item) => item.changeType),
        ['updated', 'deleted'],
      );
      const conversationItems = await awaitItems(receiver, conversationWatch, 2);
      assert.deepEqual(kinds(conversationItems), [
        `updated groups('${architectureTeamId}')/conversations('${conversationId}')`,
        `deleted groups('${architectureTeamId}')/conversations('${conversationId}')`,
      ]);
      assert.deepEqual(itemsOf(receiver, members), [], 'a subscription removed by the reset hears nothing');
    });

    it('a deleted subscription gets nothing more', async () => {
      const megan = bearer(await userToken(server, 'MeganB@contoso.com'));
      const deleted = await subscribe(server, subscriptionBody(receiver, `/chats/${seededGroupChat}/messages`, 'created'));
      const kept = await subscribe(server, subscriptionBody(receiver, `/chats/${seededGroupChat}/messages`, 'created'), megan);
      assertStatus(await server.request('DELETE', `/v1.0/subscriptions/${deleted}`), 204);
      assertStatus(await server.request('POST', `${chatPath}/messages`, { body: text('After') }), 201);
      await awaitItems(receiver, kept, 1);
      assert.deepEqual(itemsOf(receiver, deleted), []);
    });
  });
}
