import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type Receiver, startReceiver } from '../../helpers/receiver.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';
import { seededGroupChat } from '../chats/chat-fixtures.ts';
import { inMinutes, subscribe, subscriptionBody } from './subscriptions.fixtures.ts';

const chatMessages = `/chats/${seededGroupChat}/messages`;
const missing = '00000000-0000-4000-8000-000000000000';

// subscription-get.md, -list.md, -update.md, -delete.md, -reauthorize.md
for (const dialect of testDialects()) {
  describe(`subscription get, list, update, delete, reauthorize on ${dialect}`, () => {
    let server: TestServer;
    let receiver: Receiver;
    let megan: Record<string, string>;
    before(async () => {
      server = await startTestServer(dialect);
      megan = bearer(await userToken(server, 'MeganB@contoso.com'));
    });
    after(() => server.close());
    beforeEach(async () => {
      await server.request('POST', '/_teamgraph/reset');
      receiver = await startReceiver();
    });
    afterEach(() => receiver.close());

    it("GET /subscriptions lists the caller's own, clientState withheld; an application sees what it made for any user", async () => {
      // Both through the demo app: dev mode's tokenless caller is an application of its own.
      const adele = bearer(await userToken(server, 'AdeleV@contoso.com'));
      const mine = await subscribe(server, subscriptionBody(receiver, chatMessages, 'created'), adele);
      const hers = await subscribe(server, subscriptionBody(receiver, chatMessages, 'created'), megan);
      const listed = await server.request('GET', '/v1.0/subscriptions', { headers: adele });
      assertStatus(listed, 200);
      assert.equal(listed.body['@odata.context'], `${server.url}/v1.0/$metadata#subscriptions`);
      assert.deepEqual(
        listed.body.value.map((row: { id: string }) => row.id),
        [mine],
      );
      assert.equal(listed.body.value[0].clientState, null);
      const asApp = await server.request('GET', '/v1.0/subscriptions', { headers: bearer(await appToken(server)) });
      assert.deepEqual(asApp.body.value.map((row: { id: string }) => row.id).sort(), [mine, hers].sort());
    });

    it("GET one: 404 for an unknown id and for another user's subscription", async () => {
      const id = await subscribe(server, subscriptionBody(receiver, chatMessages));
      assertStatus(await server.request('GET', `/v1.0/subscriptions/${id}`), 200);
      assertGraphError(await server.request('GET', `/v1.0/subscriptions/${id}`, { headers: megan }), 404, 'NotFound', `Subscription '${id}' was not found.`);
      assertGraphError(await server.request('GET', `/v1.0/subscriptions/${missing}`), 404, 'NotFound');
    });

    it('PATCH renews (200, read back) and moves the notification URL, which is validated first', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, chatMessages));
      const renewed = inMinutes(55);
      const response = await server.request('PATCH', `/v1.0/subscriptions/${id}`, { body: { expirationDateTime: renewed } });
      assertStatus(response, 200);
      assert.equal(response.body.expirationDateTime, renewed);
      assert.equal((await server.request('GET', `/v1.0/subscriptions/${id}`)).body.expirationDateTime, renewed);

      const other = await startReceiver();
      try {
        other.behaviour.validates = false;
        assertGraphError(
          await server.request('PATCH', `/v1.0/subscriptions/${id}`, { body: { notificationUrl: other.url } }),
          400,
          'InvalidRequest',
          /^Subscription validation request failed/,
        );
        assert.equal((await server.request('GET', `/v1.0/subscriptions/${id}`)).body.notificationUrl, receiver.url);
        other.behaviour.validates = true;
        assertStatus(await server.request('PATCH', `/v1.0/subscriptions/${id}`, { body: { notificationUrl: other.url } }), 200);
        assert.equal((await server.request('GET', `/v1.0/subscriptions/${id}`)).body.notificationUrl, other.url);
      } finally {
        await other.close();
      }
    });

    it('PATCH: 400 without a property it changes or past the lifetime, 404 for an unknown id or another user', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, chatMessages));
      assertStatus(await server.request('GET', `/v1.0/subscriptions/${id}`), 200);
      assertGraphError(
        await server.request('PATCH', `/v1.0/subscriptions/${id}`, { body: {} }),
        400,
        'InvalidRequest',
        /must contain expirationDateTime or notificationUrl/,
      );
      assertGraphError(
        await server.request('PATCH', `/v1.0/subscriptions/${id}`, { body: { expirationDateTime: inMinutes(90) } }),
        400,
        'InvalidRequest',
        /^lifecycleNotificationUrl is a required property/,
      );
      assertGraphError(await server.request('PATCH', `/v1.0/subscriptions/${id}`, { body: { resource: '/chats' } }), 400, 'BadRequest');
      assertGraphError(await server.request('PATCH', `/v1.0/subscriptions/${missing}`, { body: { expirationDateTime: inMinutes(50) } }), 404, 'NotFound');
      assertGraphError(
        await server.request('PATCH', `/v1.0/subscriptions/${id}`, { body: { expirationDateTime: inMinutes(50) }, headers: megan }),
        404,
        'NotFound',
      );
    });

    it('DELETE: 204, then the subscription is gone; 404 for another user and after', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, chatMessages));
      assertGraphError(await server.request('DELETE', `/v1.0/subscriptions/${id}`, { headers: megan }), 404, 'NotFound');
      assertStatus(await server.request('DELETE', `/v1.0/subscriptions/${id}`), 204);
      assertGraphError(await server.request('GET', `/v1.0/subscriptions/${id}`), 404, 'NotFound');
      assertGraphError(await server.request('DELETE', `/v1.0/subscriptions/${id}`), 404, 'NotFound');
    });

    it('reauthorize: 204 while the caller may still watch the resource, 403 once it may not, 404 for another user', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, chatMessages), megan);
      assertStatus(await server.request('POST', `/v1.0/subscriptions/${id}/reauthorize`, { headers: megan }), 204);
      assert.equal((await server.request('GET', `/v1.0/subscriptions/${id}`, { headers: megan })).status, 200);
      assertGraphError(await server.request('POST', `/v1.0/subscriptions/${id}/reauthorize`), 404, 'NotFound');
      assertGraphError(await server.request('POST', `/v1.0/subscriptions/${missing}/reauthorize`), 404, 'NotFound');
      // Megan leaves the chat: the subscription can no longer be reauthorized.
      const members = await server.request('GET', `/v1.0/chats/${encodeURIComponent(seededGroupChat)}/members`);
      const membership = members.body.value.find((member: { displayName: string }) => member.displayName === 'Megan Bowen');
      assertStatus(await server.request('DELETE', `/v1.0/chats/${encodeURIComponent(seededGroupChat)}/members/${membership.id}`), 204);
      assertGraphError(await server.request('POST', `/v1.0/subscriptions/${id}/reauthorize`, { headers: megan }), 403, 'Forbidden');
    });
  });
}
