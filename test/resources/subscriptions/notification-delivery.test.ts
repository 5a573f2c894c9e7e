import assert from 'node:assert/strict';
import { constants, createDecipheriv, createHmac, privateDecrypt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import selfsigned from 'selfsigned';
import { testDialects } from '../../helpers/databases.ts';
import { spawnServer } from '../../helpers/processes.ts';
import { type Receiver, startReceiver } from '../../helpers/receiver.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, demoTenantId, userToken } from '../../helpers/tokens.ts';
import { seededGroupChat } from '../chats/chat-fixtures.ts';
import { awaitDeliveries, awaitItems, chatPath, inMinutes, itemsOf, subscribe, subscriptionBody } from './subscriptions.fixtures.ts';

const chatMessages = `/chats/${seededGroupChat}/messages`;
const text = (content: string) => ({ body: { content } });
const changeTrackingAppId = '0bf30f3b-4a52-48df-9a82-234910c4a086';

/** A self-signed certificate for 127.0.0.1, as a subscriber would make for its receiver or its rich notifications. */
async function certificate(): Promise<{ cert: string; key: string; base64: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const base64 = pems.cert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s/g, '');
  return { cert: pems.cert, key: pems.private, base64 };
}

// Delivery as change-notifications-delivery-webhooks.md describes it: retries with backoff within a
// window, then `missed`; expiry and reauthorization as lifecycle notifications; rich notifications.
for (const dialect of testDialects()) {
  describe(`notification delivery on ${dialect}`, () => {
    let server: TestServer;
    let receiver: Receiver;
    let lifecycle: Receiver;
    before(async () => {
      server = await startTestServer(dialect, ['--notification-retry-ms', '100', '--notification-retry-window-ms', '6000']);
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

    const withLifecycle = (changeType = 'created') => subscriptionBody(receiver, chatMessages, changeType, { lifecycleNotificationUrl: lifecycle.url });
    const setExpiration = (id: string, at: string) =>
      server.store.db.updateTable('subscriptions').set({ expiration_date_time: at }).where('id', '=', id).execute();

    it('a receiver that fails and then recovers gets the notification again; the control plane shows the attempts', async () => {
      receiver.behaviour.notificationStatus = 500;
      const id = await subscribe(server, subscriptionBody(receiver, chatMessages, 'created'));
      const sent = await server.request('POST', `${chatPath}/messages`, { body: text('Retry me') });
      await awaitDeliveries(server, id, (deliveries) => deliveries.some((delivery) => delivery.attempts >= 2 && delivery.lastResult === '500'));
      receiver.behaviour.notificationStatus = 202;
      const [delivered] = await awaitDeliveries(server, id, (deliveries) => deliveries.some((delivery) => delivery.status === 'delivered'));
      assert.equal(delivered?.lastResult, '202');
      const items = itemsOf(receiver, id);
      assert.ok(items.length >= 3, `${items.length} attempts`);
      for (const item of items) assert.equal(item.resourceData.id, sent.body.id, 'each attempt carries the same notification');
    });

    it('no answer within 3 seconds is a failed attempt, retried', async () => {
      receiver.behaviour.delayMs = 3_500;
      const id = await subscribe(server, subscriptionBody(receiver, chatMessages, 'created'));
      assertStatus(await server.request('POST', `${chatPath}/messages`, { body: text('Slow') }), 201);
      await awaitDeliveries(server, id, (deliveries) => deliveries.some((delivery) => delivery.lastResult === 'timeout'));
      receiver.behaviour.delayMs = 0;
      await awaitDeliveries(server, id, (deliveries) => deliveries.some((delivery) => delivery.status === 'delivered'));
    });

    it('past the retry window a notification is dropped, and the lifecycle URL is told some were missed', async () => {
      receiver.behaviour.notificationStatus = 503;
      const id = await subscribe(server, withLifecycle());
      assertStatus(await server.request('POST', `${chatPath}/messages`, { body: text('Lost') }), 201);
      await awaitDeliveries(server, id, (deliveries) => deliveries.some((delivery) => delivery.kind === 'change' && delivery.status === 'dropped'));
      const [missed] = await lifecycle.waitFor((items) => items.some((item) => item.lifecycleEvent === 'missed'));
      assert.deepEqual(Object.keys(missed).sort(), ['clientState', 'lifecycleEvent', 'subscriptionExpirationDateTime', 'subscriptionId', 'tenantId']);
      assert.equal(missed.subscriptionId, id);
    });

    it('an expired subscription is removed, its lifecycle URL is told, and it gets nothing more', async () => {
      const id = await subscribe(server, withLifecycle());
      await setExpiration(id, new Date(Date.now() - 1000).toISOString());
      const [removed] = await lifecycle.waitFor((items) => items.some((item) => item.lifecycleEvent === 'subscriptionRemoved'));
      assert.equal(removed.subscriptionId, id);
      assertGraphError(await server.request('GET', `/v1.0/subscriptions/${id}`), 404, 'NotFound');
      const megan = bearer(await userToken(server, 'MeganB@contoso.com'));
      const live = await subscribe(server, subscriptionBody(receiver, chatMessages, 'created'), megan);
      assertStatus(await server.request('POST', `${chatPath}/messages`, { body: text('After expiry') }), 201);
      await awaitItems(receiver, live, 1);
      assert.deepEqual(itemsOf(receiver, id), []);
    });

    it('a subscription about to expire is told once to reauthorize; a renewal starts the clock again', async () => {
      const id = await subscribe(server, withLifecycle());
      await setExpiration(id, inMinutes(10));
      await lifecycle.waitFor((items) => items.filter((item) => item.lifecycleEvent === 'reauthorizationRequired').length === 1);
      assertStatus(await server.request('PATCH', `/v1.0/subscriptions/${id}`, { body: { expirationDateTime: inMinutes(50) } }), 200);
      await setExpiration(id, inMinutes(10));
      const items = await lifecycle.waitFor((all) => all.filter((item) => item.lifecycleEvent === 'reauthorizationRequired').length === 2);
      assert.ok(items.every((item) => item.subscriptionId === id));
    });

    it("rich notifications decrypt with the subscriber's key by Graph's steps; the validation token verifies against the published keys", async () => {
      const { key, base64 } = await certificate();
      const created = await server.request('POST', '/v1.0/subscriptions', {
        body: subscriptionBody(receiver, chatMessages, 'created', {
          includeResourceData: true,
          encryptionCertificate: base64,
          encryptionCertificateId: 'test-cert',
        }),
      });
      assertStatus(created, 201);
      assert.equal(created.body.encryptionCertificate, '', 'the certificate is not sent back');
      const sent = await server.request('POST', `${chatPath}/messages`, { body: text('Secret') });
      const [item] = await awaitItems(receiver, created.body.id, 1);
      const { data, dataKey, dataSignature, encryptionCertificateId, encryptionCertificateThumbprint } = item.encryptedContent;
      assert.equal(encryptionCertificateId, 'test-cert');
      assert.match(encryptionCertificateThumbprint, /^[0-9A-F]{40}$/);
      // change-notifications-with-resource-data.md, "Decrypting resource data".
      const symmetricKey = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(dataKey, 'base64'));
      assert.equal(createHmac('sha256', symmetricKey).update(Buffer.from(data, 'base64')).digest('base64'), dataSignature);
      const decipher = createDecipheriv('aes-256-cbc', symmetricKey, symmetricKey.subarray(0, 16));
      const resource = JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8'));
      assert.equal(resource.id, sent.body.id);
      assert.deepEqual(resource.body, { contentType: 'text', content: 'Secret' });
      const [token] = receiver.notifications.at(-1)?.body.validationTokens ?? [];
      const keys = createRemoteJWKSet(new URL(`${server.url}/${demoTenantId}/discovery/v2.0/keys`));
      const { payload } = await jwtVerify(token, keys, { audience: created.body.applicationId, issuer: `https://sts.windows.net/${demoTenantId}/` });
      assert.equal(payload.appid, changeTrackingAppId);
      assert.equal(payload.tid, demoTenantId);
    });

    it('400 for a certificate that is not one', async () => {
      const body = subscriptionBody(receiver, chatMessages, 'created', {
        includeResourceData: true,
        encryptionCertificate: 'bm90IGEgY2VydA==',
        encryptionCertificateId: 'x',
      });
      assertGraphError(await server.request('POST', '/v1.0/subscriptions', { body }), 400, 'InvalidRequest', /^Certificate validation error/);
    });
  });
}

describe('https receivers', () => {
  let receiver: Receiver;
  let caFile: string;
  let dir: string;
  before(async () => {
    const { cert, key } = await certificate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-receiver-'));
    caFile = path.join(dir, 'receiver-ca.pem');
    fs.writeFileSync(caFile, cert);
    receiver = await startReceiver({ cert, key });
  });
  after(async () => {
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a receiver whose CA the server does not trust fails validation on its certificate', async () => {
    const server = await startTestServer('sqlite');
    try {
      const response = await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, chatMessages) });
      assertGraphError(response, 400, 'InvalidRequest', /^Subscription validation request failed\. .*CERT/);
    } finally {
      await server.close();
    }
  });

  it('with the CA in NODE_EXTRA_CA_CERTS, a server process validates the receiver and delivers to it', async () => {
    const server = await spawnServer(['--memory'], { NODE_EXTRA_CA_CERTS: caFile });
    try {
      const created = await server.request('POST', '/v1.0/subscriptions', { body: subscriptionBody(receiver, chatMessages, 'created') });
      assert.equal(created.status, 201, created.text);
      const sent = await server.request('POST', `${chatPath}/messages`, { body: text('Over TLS') });
      const [item] = await awaitItems(receiver, created.body.id, 1);
      assert.equal(item.resourceData.id, sent.body.id);
    } finally {
      await server.stop();
    }
  });
});
