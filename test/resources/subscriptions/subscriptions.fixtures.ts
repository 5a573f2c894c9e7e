import assert from 'node:assert/strict';
import type { Receiver } from '../../helpers/receiver.ts';
import type { TestServer } from '../../helpers/server.ts';
import { seededGroupChat } from '../chats/chat-fixtures.ts';

export const chatPath = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}`;
export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** A subscription body for `resource`, posting to the receiver, for 50 minutes (under the hour that needs a lifecycle URL). */
export function subscriptionBody(receiver: Receiver, resource: string, changeType = 'created,updated,deleted', extra: Record<string, unknown> = {}) {
  return { changeType, notificationUrl: receiver.url, resource, expirationDateTime: inMinutes(50), clientState: 'secretClientValue', ...extra };
}

/** Creates a subscription and answers its id; fails the test unless Graph's 201 comes back. */
export async function subscribe(server: TestServer, body: object, headers: Record<string, string> = {}): Promise<string> {
  const response = await server.request('POST', '/v1.0/subscriptions', { body, headers });
  assert.equal(response.status, 201, response.text);
  return response.body.id as string;
}

/** The notification items the receiver got for one subscription. */
export const itemsOf = (receiver: Receiver, subscriptionId: string) => receiver.items().filter((item) => item.subscriptionId === subscriptionId);

/** Waits until the subscription has received `count` items, and answers them. */
export async function awaitItems(receiver: Receiver, subscriptionId: string, count: number) {
  await receiver.waitFor(() => itemsOf(receiver, subscriptionId).length >= count);
  return itemsOf(receiver, subscriptionId);
}

/** The control plane's deliveries of one subscription. */
export async function deliveriesOf(server: TestServer, subscriptionId: string) {
  const response = await server.request('GET', '/_teamgraph/notifications');
  assert.equal(response.status, 200, response.text);
  return (response.body.value as { subscriptionIds: string[]; kind: string; status: string; attempts: number; lastResult: string | null }[]).filter(
    (delivery) => delivery.subscriptionIds.includes(subscriptionId),
  );
}

/** Polls the control plane until `predicate` holds of a subscription's deliveries (what a test waits on instead of sleeping). */
export async function awaitDeliveries(
  server: TestServer,
  subscriptionId: string,
  predicate: (deliveries: Awaited<ReturnType<typeof deliveriesOf>>) => boolean,
  timeoutMs = 10_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const deliveries = await deliveriesOf(server, subscriptionId);
    if (predicate(deliveries)) return deliveries;
    if (Date.now() > until) assert.fail(`deliveries never came to what was awaited: ${JSON.stringify(deliveries, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
