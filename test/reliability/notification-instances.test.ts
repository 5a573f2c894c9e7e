import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type TestDatabase, createTestDatabase, testDialects } from '../helpers/databases.ts';
import { type ServerProcess, databaseArgs, spawnServer } from '../helpers/processes.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';
import { seededGroupChat } from '../resources/chats/chat-fixtures.ts';
import { chatPath, subscriptionBody } from '../resources/subscriptions/subscriptions.fixtures.ts';

// Two server processes on one database share the outbox (docs/decisions.md 152): a healthy receiver
// gets each change once, whichever instance made it and whichever delivers it; a receiver whose
// delivering instance is killed with SIGKILL mid-POST gets the notification again from the other.
const posts = 30;

/** Polls an instance's control plane until `count` deliveries are all recorded as delivered. */
async function allDelivered(server: ServerProcess, count: number): Promise<{ status: string; attempts: number }[]> {
  const until = Date.now() + 30_000;
  for (;;) {
    const deliveries = (await server.request('GET', '/_teamgraph/notifications')).body.value as { status: string; attempts: number }[];
    if (deliveries.length === count && deliveries.every((delivery) => delivery.status === 'delivered')) return deliveries;
    if (Date.now() > until) assert.fail(`deliveries not all recorded: ${JSON.stringify(deliveries)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const dialect of testDialects()) {
  describe(`change notifications from two instances on one ${dialect} database`, () => {
    let dir: string;
    let database: TestDatabase;
    let receiver: Receiver;
    const servers: ServerProcess[] = [];
    const start = async () => {
      const server = await spawnServer([...databaseArgs(database.target), '--notification-retry-ms', '100']);
      servers.push(server);
      return server;
    };
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-notify-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    beforeEach(async () => {
      database = await createTestDatabase(dialect, path.join(dir, `teamgraph-${Date.now()}.db`));
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((server) => server.stop('SIGKILL')));
      await receiver.close();
      await database.drop();
    });

    const subscribeThrough = async (server: ServerProcess) => {
      const response = await server.request('POST', '/v1.0/subscriptions', {
        body: subscriptionBody(receiver, `/chats/${seededGroupChat}/messages`, 'created'),
      });
      assert.equal(response.status, 201, response.text);
      return response.body.id as string;
    };

    it(`a healthy receiver gets each of ${posts} messages posted through both instances exactly once`, { timeout: 120_000 }, async () => {
      const [first, second] = [await start(), await start()] as [ServerProcess, ServerProcess];
      await subscribeThrough(first);
      const sent = await Promise.all(
        Array.from({ length: posts }, async (_, at) => {
          const response = await (at % 2 === 0 ? first : second).request('POST', `${chatPath}/messages`, { body: { body: { content: `message ${at}` } } });
          assert.equal(response.status, 201, response.text);
          return response.body.id as string;
        }),
      );
      await receiver.waitFor((items) => new Set(items.map((item) => item.resourceData.id)).size === posts, 60_000);
      // Once every delivery is recorded, nothing is left that could be sent twice.
      await allDelivered(second, posts);
      const received = receiver.items().map((item) => item.resourceData.id as string);
      assert.deepEqual([...received].sort(), [...sent].sort(), 'each message once, none twice');
    });

    it('a notification whose delivering instance is killed mid-POST is delivered again by the other', { timeout: 120_000 }, async () => {
      const first = await start();
      const id = await subscribeThrough(first);
      receiver.behaviour.delayMs = 2_000; // the POST is held open: the instance is killed while it waits
      const sent = await first.request('POST', `${chatPath}/messages`, { body: { body: { content: 'in flight' } } });
      assert.equal(sent.status, 201, sent.text);
      await receiver.waitFor((items) => items.length === 1);
      const killed = await first.stop('SIGKILL');
      assert.equal(killed.signal, 'SIGKILL');
      receiver.behaviour.delayMs = 0;
      const second = await start();
      // The dead instance's lease runs out (15 s) and the other posts the notification again.
      const items = await receiver.waitFor((all) => all.length === 2, 60_000);
      assert.deepEqual(
        items.map((item) => [item.subscriptionId, item.resourceData.id]),
        [
          [id, sent.body.id],
          [id, sent.body.id],
        ],
      );
      const [delivery] = await allDelivered(second, 1);
      assert.equal(delivery?.attempts, 2);
    });
  });
}
