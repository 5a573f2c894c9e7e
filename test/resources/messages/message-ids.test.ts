import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type ServerProcess, spawnSecondInstance } from '../../helpers/processes.ts';
import { type TestServer, startSharedTestServer } from '../../helpers/server.ts';
import { allOf } from '../../../src/store/columns.ts';

const chatId = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
const channelPath = `/v1.0/teams/57fb72d0-d811-46f4-8947-305e6072eaa5/channels/${encodeURIComponent('19:6a2c9e4b1d8f4c7ab0e5d3f2a1b4c6d8@thread.tacv2')}/messages`;

// Message ids are creation times in epoch milliseconds, unique per conversation: messages sent in the
// same millisecond, to any instance, still get distinct ids and all succeed.
for (const dialect of testDialects()) {
  describe(`message ids under concurrent senders on ${dialect}`, () => {
    let first: TestServer;
    let second: ServerProcess;
    let servers: Pick<TestServer, 'request'>[];
    // Two processes on one database: ids are unique across instances, not only within one.
    before(async () => {
      first = await startSharedTestServer(dialect);
      second = await spawnSecondInstance(first);
      servers = [first, second];
    });
    after(async () => {
      await second.stop();
      await first.close();
    });

    for (const [label, path] of [
      ['chat', `/v1.0/chats/${encodeURIComponent(chatId)}/messages`],
      ['channel', channelPath],
    ] as const) {
      it(`201 for 30 simultaneous ${label} messages, each with its own id`, async () => {
        const responses = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            (servers[i % servers.length] as Pick<TestServer, 'request'>).request('POST', path, { body: { body: { content: `burst ${i}` } } }),
          ),
        );
        assert.deepEqual(
          responses.map((response) => response.status),
          Array.from({ length: 30 }, () => 201),
        );
        const ids = responses.map((response) => response.body.id as string);
        assert.equal(new Set(ids).size, 30);
        for (const id of ids) assert.match(id, /^\d{13}$/);
      });
    }

    it('201 when a burst has taken the next 5,000 milliseconds: the new id skips past them', async () => {
      const server = first;
      const channelId = '19:6a2c9e4b1d8f4c7ab0e5d3f2a1b4c6d8@thread.tacv2';
      const template = await server.store.db
        .selectFrom('messages')
        .select(allOf('messages'))
        .where('container_id', '=', channelId)
        .limit(1)
        .executeTakeFirstOrThrow();
      // The posts of the test before may have run a few milliseconds ahead of the clock: the burst starts past them.
      const newest = await server.store.db
        .selectFrom('messages')
        .select('id')
        .where('container_id', '=', channelId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const start = Math.max(Date.now(), Number(newest.id) + 1);
      const taken = Array.from({ length: 5000 }, (_, i) => ({ ...template, id: String(start + i), reply_to_id: null }));
      for (let i = 0; i < taken.length; i += 100)
        await server.store.db
          .insertInto('messages')
          .values(taken.slice(i, i + 100))
          .execute();
      const response = await server.request('POST', channelPath, { body: { body: { content: 'after the burst' } } });
      assert.equal(response.status, 201, response.text);
      assert.ok(Number(response.body.id) >= start + 5000, `${response.body.id} is past the burst`);
    });
  });
}
