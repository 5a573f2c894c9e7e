import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type Receiver, startReceiver } from '../../helpers/receiver.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';
import { architectureTeamId, generalChannelId } from '../channels/channels.fixtures.ts';
import { seededGroupChat, users } from '../chats/chat-fixtures.ts';
import { inMinutes, subscribe, subscriptionBody } from './subscriptions.fixtures.ts';

const chatMessages = `/chats/${seededGroupChat}/messages`;

for (const dialect of testDialects()) {
  describe(`subscription-create on ${dialect}`, () => {
    let server: TestServer;
    let receiver: Receiver;
    let lifecycle: Receiver;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    beforeEach(async () => {
      await server.request('POST', '/_teamgraph/reset');
      receiver = await startReceiver();
      lifecycle = await startReceiver();
    });
    afterEach(async () => {
      await receiver.close();
      await lifecycle.close();
    });

    it("201 answers Graph's subscription after the endpoint echoed the decoded validation token; GET reads it back", async () => {
      const response = await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, chatMessages, 'created,updated') });
      assertStatus(response, 201);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#subscriptions/$entity`);
      assert.match(response.body.id, /^[0-9a-f-]{36}$/);
      assert.equal(response.body.resource, chatMessages);
      assert.equal(response.body.changeType, 'created,updated');
      assert.equal(response.body.clientState, 'secretClientValue');
      assert.equal(response.body.creatorId, users.adele);
      assert.equal(response.body.latestSupportedTlsVersion, 'v1_2');
      assert.equal(response.body.notificationContentType, 'application/json');
      // The handshake: one POST with the token in the query, which the receiver decoded and echoed.
      assert.equal(receiver.validations.length, 1);
      assert.match(
        receiver.validations[0]?.query.get('validationToken') ?? '',
        /^Validation: Testing client application reachability for subscription Request-Id: /,
      );
      const read = await server.request('GET', `/v1.0/subscriptions/${response.body.id}`);
      assertStatus(read, 200);
      assert.deepEqual({ ...read.body, '@odata.context': undefined }, { ...response.body, '@odata.context': undefined });
    });

    it('400 InvalidRequest when the endpoint does not answer the validation request, and nothing is stored', async () => {
      receiver.behaviour.validates = false;
      const response = await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, chatMessages) });
      assertGraphError(response, 400, 'InvalidRequest', /^Subscription validation request failed\. HTTP '400'/);
      const listed = await server.request('GET', '/v1.0/subscriptions');
      assert.deepEqual(listed.body.value, []);
    });

    it('400 InvalidRequest when the endpoint cannot be reached', async () => {
      const closed = receiver.url;
      await receiver.close();
      const response = await server.request('POST', '/v1.0/subscriptions', { body: { ...subscriptionBody(receiver, chatMessages), notificationUrl: closed } });
      assertGraphError(response, 400, 'InvalidRequest', 'Subscription validation request failed. ECONNREFUSED');
    });

    it('over an hour on a Teams resource needs a lifecycle URL; with one, both URLs are validated', async () => {
      const long = { ...subscriptionBody(receiver, chatMessages), expirationDateTime: inMinutes(120) };
      assertGraphError(
        await server.request('POST', '/v1.0/subscriptions', { body: long }),
        400,
        'InvalidRequest',
        'lifecycleNotificationUrl is a required property for subscription creation on this resource when the expirationDateTime value is set to greater than 1 hour.',
      );
      const response = await server.request('POST', '/v1.0/subscriptions', { body: { ...long, lifecycleNotificationUrl: lifecycle.url } });
      assertStatus(response, 201);
      assert.equal(response.body.lifecycleNotificationUrl, lifecycle.url);
      assert.equal(lifecycle.validations.length, 1);
    });

    it("lifetimes: past the resource's maximum is refused, under 45 minutes is lengthened to 45", async () => {
      const tooLong = { ...subscriptionBody(receiver, chatMessages), expirationDateTime: inMinutes(4321), lifecycleNotificationUrl: lifecycle.url };
      assertGraphError(
        await server.request('POST', '/v1.0/subscriptions', { body: tooLong }),
        400,
        'InvalidRequest',
        'Subscription expiration can only be 4320 minutes in the future.',
      );
      const before = Date.now();
      const response = await server.request('POST', '/v1.0/subscriptions', {
        body: { ...subscriptionBody(receiver, chatMessages), expirationDateTime: inMinutes(5) },
      });
      assertStatus(response, 201);
      assert.ok(Date.parse(response.body.expirationDateTime) >= before + 45 * 60_000, response.body.expirationDateTime);
    });

    it('400 for what the resource does not take: a change type, a resource, a query option, a malformed body', async () => {
      const cases: [object, RegExp][] = [
        [subscriptionBody(receiver, `/chats/${seededGroupChat}`, 'deleted'), /^changeType 'deleted' is not supported on \/chats\/\{chatId\}/],
        [subscriptionBody(receiver, '/chats/x/photos'), /^Resource '\/chats\/x\/photos' is not supported/],
        [subscriptionBody(receiver, `/teams/${architectureTeamId}?$top=1`), /^The query option '\$top' is not supported/],
        [subscriptionBody(receiver, `${chatMessages}?$filter=importance eq 'high'`), /^Only \$filter=mentions/],
        [{ ...subscriptionBody(receiver, chatMessages), notificationUrl: 'ftp://example.com/' }, /^notificationUrl must be an absolute http or https URL/],
        [{ ...subscriptionBody(receiver, chatMessages), expirationDateTime: 'soon' }, /^expirationDateTime 'soon' is not a valid/],
        [{ ...subscriptionBody(receiver, chatMessages), includeResourceData: true }, /^encryptionCertificate is required/],
        [{ ...subscriptionBody(receiver, chatMessages), clientState: 'x'.repeat(256) }, /^clientState must be at most 255/],
        [
          { ...subscriptionBody(receiver, `/groups/${architectureTeamId}/conversations`, 'created'), includeResourceData: true },
          /^includeResourceData is not supported on \/groups\/\{groupId\}\/conversations/,
        ],
      ];
      for (const [body, message] of cases) assertGraphError(await server.request('POST', '/v1.0/subscriptions', { body }), 400, 'InvalidRequest', message);
      assertGraphError(await server.request('POST', '/v1.0/subscriptions', { body: { resource: chatMessages } }), 400, 'BadRequest');
      assert.deepEqual(receiver.validations, [], 'no endpoint is called for a subscription refused on its body');
    });

    it('409 for a second subscription of the same caller to the same resource and change types', async () => {
      const id = await subscribe(server, subscriptionBody(receiver, chatMessages, 'created'));
      const response = await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, chatMessages, 'created') });
      assertGraphError(response, 409, 'Conflict', `Subscription Id ${id} already exists for the requested combination`);
      // Another user's subscription to it is another combination.
      const megan = bearer(await userToken(server, 'MeganB@contoso.com'));
      assertStatus(await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, chatMessages, 'created'), headers: megan }), 201);
    });

    it("refusals: a chat the caller is not in, another user's chats, a tenant-wide resource for a user", async () => {
      const patti = bearer(await userToken(server, 'PattiF@contoso.com'));
      assertGraphError(
        await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, chatMessages), headers: patti }),
        403,
        'Forbidden',
        'The caller is not a member of the chat.',
      );
      assertGraphError(
        await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, `/users/${users.megan}/chats/getAllMessages`) }),
        403,
        'Forbidden',
        "A user can subscribe only to the user's own chats.",
      );
      assertGraphError(
        await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, '/chats/getAllMessages') }),
        403,
        'Forbidden',
        'This API does not support delegated permissions; call it with an application token.',
      );
      const app = bearer(await appToken(server));
      const allMessages = await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, '/chats/getAllMessages'), headers: app });
      assertStatus(allMessages, 201);
      assert.equal(allMessages.body.creatorId.length, 36, 'an application subscription is created by its service principal');
    });

    it('every resource of the Teams pages is accepted in path or key syntax, with me for the signed-in user', async () => {
      const app = bearer(await appToken(server));
      const resources = [
        [`chats('${seededGroupChat}')/messages`, {}],
        [`me/chats/getAllMessages`, {}],
        [`/teams/${architectureTeamId}/channels/${generalChannelId}/messages?$search=launch`, {}],
        ['/teams/getAllMessages', app],
        ['/chats', app],
        [`/teams/${architectureTeamId}`, {}],
        ['/teams', app],
        [`/teams/${architectureTeamId}/channels`, {}],
        ['/teams/getAllChannels', app],
        [`/chats/${seededGroupChat}/members`, {}],
        ['/chats/getAllMembers', app],
        [`/teams/${architectureTeamId}/members`, {}],
        ['/teams/getAllMembers', app],
        [`/teams/${architectureTeamId}/channels/${generalChannelId}/members`, {}],
        [`/groups/${architectureTeamId}/conversations`, {}],
      ] as const;
      for (const [resource, headers] of resources) {
        const changeType = resource.startsWith('/chats') && !resource.includes('members') && !resource.includes('getAll') ? 'created,updated' : 'created';
        const response = await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, resource, changeType), headers });
        assert.equal(response.status, 201, `${resource}: ${response.text}`);
      }
    });
  });
}
