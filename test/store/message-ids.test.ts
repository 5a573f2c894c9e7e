import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import type { Db, Store } from '../../src/store/db.ts';
import { messageRow } from '../../src/resources/messages/messages.schemas.ts';
import { MessageIdAllocator } from '../../src/store/message-ids.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { MessageTable } from '../../src/store/schema.ts';
import { testDialects } from '../helpers/databases.ts';
import { useSharedDatabase } from '../helpers/stores.ts';

const chatId = '19:allocator@thread.v2';

function message(id: number): MessageTable {
  const origin = {
    containerKind: 'chat',
    containerId: chatId,
    teamId: null,
    replyToId: null,
    fromUserId: null,
    appId: 'app',
    sender: null,
    createdAt: new Date(id),
  } as const;
  return messageRow(origin, { body: { content: 'hi' } });
}

/** The schema, and the chat the messages go to: a message needs its chat. */
async function migrateWithChat(store: Store): Promise<void> {
  await migrate(store);
  const at = new Date().toISOString();
  await store.db
    .insertInto('chats')
    .values({
      id: chatId,
      tenant_id: 't1',
      chat_type: 'group',
      topic: null,
      created_by_user_id: null,
      created_by_app_id: 'app',
      is_hidden_for_all_members: 0,
      migration_mode: null,
      original_created_date_time: null,
      created_date_time: at,
      last_updated_date_time: at,
    })
    .execute();
}

/** The database handle with a count of the statements run through it: writes report affected rows, reads do not. */
function counted(db: Db): { db: Db; inserts: () => number; selects: () => number } {
  const counts = { writes: 0, reads: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => node,
    transformResult: ({ result }) => {
      if (result.numAffectedRows === undefined) counts.reads++;
      else counts.writes++;
      return Promise.resolve(result);
    },
  };
  return { db: db.withPlugin(plugin), inserts: () => counts.writes, selects: () => counts.reads };
}

// The allocator gives each message of a conversation its own millisecond id; within one instance,
// concurrent posts claim ids before they insert, so none of them first tries a taken one.
for (const dialect of testDialects()) {
  describe(`message id allocation on ${dialect}`, () => {
    const { open } = useSharedDatabase(dialect);

    it('a burst of 300 posts in one millisecond takes 300 neighbouring ids with one insert each', async () => {
      const store = await open();
      await migrateWithChat(store);
      const { db, inserts, selects } = counted(store.db);
      const allocator = new MessageIdAllocator();
      const now = Date.now();
      const ids = await Promise.all(Array.from({ length: 300 }, () => allocator.insert(db, message(now))));
      assert.deepEqual(
        ids.map(Number).sort((a, b) => a - b),
        Array.from({ length: 300 }, (_, i) => now + i),
      );
      assert.equal(inserts(), 300);
      assert.equal(selects(), 0);
    });

    it('a live post follows the newest id however far a burst ran ahead of the clock, without a miss', async () => {
      const store = await open();
      await migrateWithChat(store);
      const allocator = new MessageIdAllocator();
      const ahead = Date.now() + 5000; // where 5,000 posts faster than one a millisecond would have left the newest id
      await allocator.insert(store.db, message(ahead));
      const { db, inserts, selects } = counted(store.db);
      assert.equal(await allocator.insert(db, message(Date.now())), String(ahead + 1));
      assert.deepEqual([inserts(), selects()], [1, 0]);
    });

    it('a back-dated import keeps its own time after live posts', async () => {
      const store = await open();
      await migrateWithChat(store);
      const allocator = new MessageIdAllocator();
      await allocator.insert(store.db, message(Date.now()));
      const dayAgo = Date.now() - 86_400_000;
      assert.equal(await allocator.insert(store.db, message(dayAgo)), String(dayAgo));
    });

    it('concurrent posts that all miss ids another instance took ahead of the clock go on to distinct ids, none starved', async () => {
      const store = await open();
      await migrateWithChat(store);
      const now = Date.now();
      const taken = 200; // another instance's burst: the next 200 milliseconds' ids
      for (let at = 0; at < taken; at += 50)
        await store.db
          .insertInto('messages')
          .values(Array.from({ length: 50 }, (_, i) => message(now + at + i)))
          .execute();
      const allocator = new MessageIdAllocator();
      const ids = await Promise.all(Array.from({ length: 40 }, () => allocator.insert(store.db, message(now))));
      assert.equal(new Set(ids).size, 40);
      assert.ok(ids.every((id) => Number(id) >= now + taken));
    });

    it('two stores on one database (two instances, at the store layer) posting in the same millisecond miss each other once and still get distinct ids', async () => {
      const [first, second] = [await open(), await open()];
      await migrateWithChat(first);
      const now = Date.now();
      const [a, b] = [new MessageIdAllocator(), new MessageIdAllocator()];
      const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a.insert(first.db, message(now)) : b.insert(second.db, message(now)))));
      assert.equal(new Set(ids).size, 40);
      const stored = await first.db.selectFrom('messages').select('id').where('container_id', '=', chatId).execute();
      assert.equal(stored.length, 40);
    });
  });
}
