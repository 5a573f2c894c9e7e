import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-subscriptions';
import { testDialects } from '../helpers/databases.ts';
import { graphClientOverHttp, kiotaAdapterOverHttp } from '../helpers/graph-client.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/tokens.ts';
import { seededGroupChat } from '../resources/chats/chat-fixtures.ts';
import { chatPath } from '../resources/subscriptions/subscriptions.fixtures.ts';

const resource = `/chats/${seededGroupChat}/messages`;
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);

// The official SDKs create, renew and delete subscriptions (subscription-post-subscriptions.md,
// subscription-update.md, subscription-delete.md), and the subscription they made delivers.
for (const dialect of testDialects()) {
  describe(`subscriptions through the official SDKs on ${dialect}`, () => {
    let server: TestServer;
    let receiver: Receiver;
    let token: string;
    before(async () => {
      server = await startTestServer(dialect);
      receiver = await startReceiver();
      token = await userToken(server, 'MeganB@contoso.com');
    });
    after(async () => {
      await server.close();
      await receiver.close();
    });

    it('Kiota v1.0 SDK creates a subscription, which delivers; renews it; deletes it', async () => {
      const client = createGraphServiceClient(kiotaAdapterOverHttp(`${server.url}/v1.0`, token));
      const created = await client.subscriptions.post({
        changeType: 'created',
        notificationUrl: receiver.url,
        resource,
        expirationDateTime: inMinutes(50),
        clientState: 'kiota',
      });
      assert.match(created?.id ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(created?.expirationDateTime instanceof Date);
      const sent = await server.request('POST', `${chatPath}/messages`, { body: { body: { content: 'For Kiota' } } });
      await receiver.waitFor((items) => items.some((item) => item.clientState === 'kiota' && item.resourceData.id === sent.body.id));
      const renewedTo = inMinutes(55);
      const renewed = await client.subscriptions.bySubscriptionId(created?.id ?? '').patch({ expirationDateTime: renewedTo });
      assert.equal(renewed?.expirationDateTime?.getTime(), renewedTo.getTime());
      const read = await client.subscriptions.bySubscriptionId(created?.id ?? '').get();
      assert.equal(read?.expirationDateTime?.getTime(), renewedTo.getTime());
      await client.subscriptions.bySubscriptionId(created?.id ?? '').delete();
      const listed = await client.subscriptions.get();
      assert.deepEqual(listed?.value ?? [], []);
    });

    it('graph-client v3 creates, renews, reauthorizes and deletes a subscription', async () => {
      const client = graphClientOverHttp(server.url, token);
      const created = (await client.api('/subscriptions').post({
        changeType: 'created,updated',
        notificationUrl: receiver.url,
        resource,
        expirationDateTime: inMinutes(50).toISOString(),
      })) as { id: string; changeType: string };
      assert.equal(created.changeType, 'created,updated');
      const renewedTo = inMinutes(55).toISOString();
      const renewed = (await client.api(`/subscriptions/${created.id}`).patch({ expirationDateTime: renewedTo })) as { expirationDateTime: string };
      assert.equal(renewed.expirationDateTime, renewedTo);
      await client.api(`/subscriptions/${created.id}/reauthorize`).post({});
      const listed = (await client.api('/subscriptions').get()) as { value: { id: string }[] };
      assert.deepEqual(
        listed.value.map((row) => row.id),
        [created.id],
      );
      await client.api(`/subscriptions/${created.id}`).delete();
      const after = (await client.api('/subscriptions').get()) as { value: unknown[] };
      assert.deepEqual(after.value, []);
    });
  });
}
