import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GraphRequestAdapter, createGraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-teams';
import { testDialects } from '../helpers/databases.ts';
import { kiotaAdapterOverHttp } from '../helpers/graph-client.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';

const teamId = '57fb72d0-d811-46f4-8947-305e6072eaa5';

// The Kiota v1.0 SDK, unmodified, pointed at teamgraph (../shared/reference/sdk-clients.md 4.2).
for (const dialect of testDialects()) {
  describe(`Kiota SDK on channels on ${dialect}`, () => {
    let server: TestServer;
    let adapter: GraphRequestAdapter;
    before(async () => {
      server = await startTestServer(dialect, ['--operation-delay-ms', '5']);
      // No token: the dev-mode caller (Adele) acts, as an unmodified app does against `npm start`.
      adapter = kiotaAdapterOverHttp(`${server.url}/v1.0`, '');
    });
    after(() => server.close());

    it('creates a channel, posts a message and a reply, and lists them', async () => {
      const client = createGraphServiceClient(adapter);
      const channel = await client.teams
        .byTeamId(teamId)
        .channels.post({ displayName: 'SDK channel', description: 'made by Kiota', membershipType: 'standard' });
      assert.match(channel?.id ?? '', /^19:[0-9a-f]{32}@thread\.tacv2$/);
      const messages = client.teams.byTeamId(teamId).channels.byChannelId(channel?.id ?? '').messages;
      const message = await messages.post({ body: { content: 'Hello from the SDK' } });
      assert.equal(message?.body?.content, 'Hello from the SDK');
      const reply = await messages.byChatMessageId(message?.id ?? '').replies.post({ body: { content: 'And a reply' } });
      assert.equal(reply?.replyToId, message?.id);
      const listed = await messages.get({ queryParameters: { expand: ['replies'] } });
      assert.deepEqual(
        listed?.value?.map((item) => item.id),
        [message?.id],
      );
      assert.deepEqual(
        listed?.value?.[0]?.replies?.map((item) => item.id),
        [reply?.id],
      );
      const replies = await messages.byChatMessageId(message?.id ?? '').replies.get();
      assert.deepEqual(
        replies?.value?.map((item) => item.body?.content),
        ['And a reply'],
      );
    });

    it('polls a shared-channel operation to completion through the Content-Location of the 202', async () => {
      const client = createGraphServiceClient(adapter);
      // Kiota's typed channels.post expects a body; Graph answers a shared channel with an empty 202,
      // so the request goes through the adapter as raw bytes and the header is read from the response.
      const request = client.teams.byTeamId(teamId).channels.toPostRequestInformation({
        displayName: 'SDK shared',
        membershipType: 'shared',
        members: [
          {
            odataType: '#microsoft.graph.aadUserConversationMember',
            roles: ['owner'],
            additionalData: { 'user@odata.bind': "https://graph.microsoft.com/v1.0/users('7640023f-fe43-573f-9ff4-84a9efe4acd6')" },
          },
        ],
      });
      let location = '';
      request.addRequestOptions([
        {
          getKey: () => 'ResponseHandlerOptionKey',
          responseHandler: {
            handleResponse: (response: Response) => {
              assert.equal(response.status, 202);
              location = response.headers.get('content-location') ?? '';
              return Promise.resolve(undefined);
            },
          },
        } as never,
      ]);
      await adapter.sendNoResponseContent(request, undefined);
      assert.match(location, /^\/teams\/[0-9a-f-]{36}\/operations\/[0-9a-f-]{36}$/);
      const operationId = location.split('/').at(-1) ?? '';
      let status: string | null | undefined;
      for (let attempt = 0; attempt < 200 && status !== 'succeeded'; attempt++) {
        const operation = await client.teams.byTeamId(teamId).operations.byTeamsAsyncOperationId(operationId).get();
        status = operation?.status;
        if (status !== 'succeeded') await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(status, 'succeeded');
    });
  });
}
