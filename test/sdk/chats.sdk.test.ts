import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-chats';
import { testDialects } from '../helpers/databases.ts';
import { graphClientOverHttp, kiotaAdapterOverHttp } from '../helpers/graph-client.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/tokens.ts';

const lee = '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca';
const isaiah = '82fe7758-5bb3-4f0d-a43f-e555fd399c6f';
const johanna = '3626a173-f2bc-4883-bcf7-01514c3bfb82';
const bind = (userId: string) => ({ 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')` });

for (const dialect of testDialects()) {
  describe(`chats through the official SDKs on ${dialect}`, () => {
    let server: TestServer;
    let token: string;
    before(async () => {
      server = await startTestServer(dialect);
      token = await userToken(server, 'LeeG@contoso.com');
    });
    after(() => server.close());

    it('Kiota v1.0 SDK creates a group chat, sends a message and lists both', async () => {
      const adapter = kiotaAdapterOverHttp(`${server.url}/v1.0`, token);
      const client = createGraphServiceClient(adapter);
      const chat = await client.chats.post({
        chatType: 'group',
        topic: 'Kiota chat',
        members: [lee, isaiah, johanna].map((userId) => ({
          odataType: '#microsoft.graph.aadUserConversationMember',
          roles: ['owner'],
          additionalData: bind(userId),
        })),
      });
      assert.match(chat?.id ?? '', /@thread\.v2$/);
      assert.ok(chat?.createdDateTime instanceof Date);
      const message = await client.chats.byChatId(chat?.id ?? '').messages.post({ body: { content: 'Hello from Kiota' } });
      assert.equal(message?.chatId, chat?.id);
      const messages = await client.chats.byChatId(chat?.id ?? '').messages.get();
      assert.deepEqual(
        messages?.value?.map((m) => m.body?.content),
        ['Hello from Kiota'],
      );
      const chats = await client.chats.get();
      assert.ok(chats?.value?.some((c) => c.id === chat?.id && c.topic === 'Kiota chat'));
    });

    it('graph-client v3 creates a one-on-one chat, sends a message and lists both', async () => {
      const client = graphClientOverHttp(server.url, token);
      const chat = (await client.api('/chats').post({
        chatType: 'oneOnOne',
        members: [lee, johanna].map((userId) => ({ '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: ['owner'], ...bind(userId) })),
      })) as { id: string };
      assert.equal(chat.id, `19:${johanna}_${lee}@unq.gbl.spaces`);
      const message = (await client.api(`/chats/${encodeURIComponent(chat.id)}/messages`).post({ body: { contentType: 'html', content: '<p>v3</p>' } })) as {
        id: string;
      };
      const listed = (await client.api(`/chats/${encodeURIComponent(chat.id)}/messages`).get()) as { value: { id: string }[] };
      assert.deepEqual(
        listed.value.map((m) => m.id),
        [message.id],
      );
      const chats = (await client.api('/me/chats').get()) as { value: { id: string }[] };
      assert.ok(chats.value.some((c) => c.id === chat.id));
    });
  });
}
