import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BatchRequestContent as ClientBatchRequestContent, BatchResponseContent as ClientBatchResponseContent } from '@microsoft/microsoft-graph-client';
import { createGraphServiceClient } from '@microsoft/msgraph-sdk';
import { BatchRequestContent } from '@microsoft/msgraph-sdk-core';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import '@microsoft/msgraph-sdk-chats';
import '@microsoft/msgraph-sdk-users';
import { testDialects } from '../helpers/databases.ts';
import { graphClientOverHttp, kiotaAdapterOverHttp } from '../helpers/graph-client.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/tokens.ts';

const lee = '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca';
const isaiah = '82fe7758-5bb3-4f0d-a43f-e555fd399c6f';
const johanna = '3626a173-f2bc-4883-bcf7-01514c3bfb82';
const member = (userId: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
});

for (const dialect of testDialects()) {
  describe(`$batch through the official SDKs on ${dialect}`, () => {
    let server: TestServer;
    let token: string;
    before(async () => {
      server = await startTestServer(dialect);
      token = await userToken(server, 'LeeG@contoso.com');
    });
    after(() => server.close());

    it('graph-client v3 BatchRequestContent creates a chat, then reads it back; BatchResponseContent parses both', async () => {
      const client = graphClientOverHttp(server.url, token);
      // In Node a Request needs an absolute URL; the client sends its path, /v1.0/… included.
      const batch = new ClientBatchRequestContent([
        {
          id: 'create',
          request: new Request(`${server.url}/v1.0/chats`, {
            method: 'POST',
            body: JSON.stringify({ chatType: 'group', topic: 'Batched by v3', members: [lee, isaiah, johanna].map(member) }),
            headers: { 'Content-Type': 'application/json' },
          }),
        },
        { id: 'list', request: new Request(`${server.url}/v1.0/me/chats?$select=topic`) },
        { id: 'missing', request: new Request(`${server.url}/v1.0/chats/19:nothing@thread.v2`) },
      ]);
      batch.addDependency('list', 'create');
      batch.addDependency('missing', 'create');
      const responses = new ClientBatchResponseContent((await client.api('/$batch').post(await batch.getContent())) as { responses: object[] });

      const created = responses.getResponseById('create');
      assert.equal(created.status, 201);
      const chat = (await created.json()) as { id: string; topic: string };
      assert.equal(chat.topic, 'Batched by v3');
      const listed = (await responses.getResponseById('list').json()) as { value: { id: string; topic: string }[] };
      assert.ok(listed.value.some((c) => c.id === chat.id && c.topic === 'Batched by v3'));
      const missing = responses.getResponseById('missing');
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NotFound');
    });

    it('Kiota BatchRequestContent posts request informations built by the fluent client and reads each status', async () => {
      const adapter = kiotaAdapterOverHttp(`${server.url}/v1.0`, token);
      const client = createGraphServiceClient(adapter);
      const batch = new BatchRequestContent(adapter, { XXX: createODataErrorFromDiscriminatorValue });
      const me = batch.addBatchRequest(client.me.toGetRequestInformation());
      const chats = batch.addBatchRequest(client.me.chats.toGetRequestInformation());
      const missing = batch.addBatchRequest(client.chats.byChatId('19:nothing@thread.v2').toGetRequestInformation());
      const response = await batch.postAsync();
      const statuses = await response?.getResponsesStatusCodes();
      assert.deepEqual(
        statuses,
        new Map([
          [me.id, 200],
          [chats.id, 200],
          [missing.id, 404],
        ]),
      );
    });
  });
}
