import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { messageRow } from '../../src/resources/messages/messages.schemas.ts';
import { readSeed, loadSeed } from '../../src/seed/loader.ts';
import { allOf } from '../../src/store/columns.ts';
import type { Store } from '../../src/store/db.ts';
import { StoreParentMissing } from '../../src/store/errors.ts';
import { migrate, migratorOf, migrations } from '../../src/store/migrate.ts';
import { type Database, type MessageTable, tenantTables } from '../../src/store/schema.ts';
import { type Handle, withSingleWrite, withTransaction } from '../../src/store/transaction.ts';
import { testDialects } from '../helpers/databases.ts';
import { useSharedDatabase } from '../helpers/stores.ts';

// The demo tenant's rows these tests lean on.
const chatId = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
const teamId = '57fb72d0-d811-46f4-8947-305e6072eaa5';
const channelId = '19:6a2c9e4b1d8f4c7ab0e5d3f2a1b4c6d8@thread.tacv2';

/** Any table, untyped: the tests copy rows of every table with a few columns changed. */
type Rows = Kysely<Record<string, Record<string, unknown>>>;
const untyped = (h: Store | Handle) => ('db' in h ? h.db : h) as unknown as Rows;

async function seeded(store: Store): Promise<void> {
  await loadSeed(store, await readSeed({ kind: 'demo' }), false);
}

/** A stored row of `table` (the first that `where` names, if given), as every column reads. */
async function rowOf(store: Store | Handle, table: keyof Database, where: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  let query = untyped(store)
    .selectFrom(table)
    .select(allOf(table) as never);
  for (const [column, value] of Object.entries(where)) query = query.where(column as never, '=', value as never);
  return await query.limit(1).executeTakeFirstOrThrow();
}

/** Inserts a copy of a stored row of `table` with `changes`. */
async function copy(store: Store | Handle, table: keyof Database, changes: Record<string, unknown>, where: Record<string, unknown> = {}): Promise<void> {
  await untyped(store)
    .insertInto(table)
    .values({ ...(await rowOf(store, table, where)), ...changes })
    .execute();
}

// The tables of change notifications (migration 0015) come after the release the upgrade starts from.
const notificationTables: readonly string[] = ['notifications', 'subscriptions', 'changes'];

async function counts(store: Store, tables: readonly (typeof tenantTables)[number][] = tenantTables): Promise<Record<(typeof tenantTables)[number], number>> {
  const entries = await Promise.all(
    tables.map(async (table) => {
      const row = await untyped(store)
        .selectFrom(table)
        .select(sql<number | string>`count(*)`.as('count'))
        .executeTakeFirstOrThrow();
      return [table, Number(row.count)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<(typeof tenantTables)[number], number>;
}

async function indexNames(store: Store): Promise<string[]> {
  const { rows } =
    store.kind === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' order by name`.execute(store.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() order by indexname`.execute(store.db);
  return rows.map((row) => row.name);
}

/** An app installed in the seeded chat and a shared team of the seeded channel: children the seed has none of. */
async function insertAppAndSharedTeam(store: Store): Promise<void> {
  const now = new Date().toISOString();
  await store.db
    .insertInto('chat_installed_apps')
    .values({ chat_id: chatId, id: 'app-1', teams_app_id: 'app', consented_permission_set: null, created_date_time: now })
    .execute();
  await store.db
    .insertInto('channel_shared_teams')
    .values({ channel_id: channelId, team_id: teamId, tenant_id: 't', is_host_team: 1, created_date_time: now })
    .execute();
}

/** A message as teamgraph builds one (its id is its creation time), from an application. */
function message(containerId: string, kind: 'chat' | 'channel', id: string, replyToId: string | null = null): MessageTable {
  const origin = { containerKind: kind, containerId, teamId: null, replyToId, fromUserId: null, appId: 'app', sender: null, createdAt: new Date(Number(id)) };
  return messageRow(origin, { body: { content: 'hi' } });
}

// Every row lives under its parent, enforced by the database on both dialects (docs/decisions.md 93).
for (const dialect of testDialects()) {
  describe(`foreign keys on ${dialect}`, () => {
    const { open } = useSharedDatabase(dialect);

    it('a write under a parent that is gone is refused, and surfaces as StoreParentMissing', async () => {
      const store = await open();
      await migrate(store);
      await seeded(store);
      const writes = [
        (h: Store['db']) =>
          h
            .insertInto('messages')
            .values(message('19:gone@thread.v2', 'chat', '1700000000000'))
            .execute(),
        (h: Store['db']) =>
          h
            .insertInto('messages')
            .values(message('19:gone@thread.tacv2', 'channel', '1700000000000'))
            .execute(),
        (h: Store['db']) =>
          h
            .insertInto('messages')
            .values(message(channelId, 'channel', '1700000000001', '1600000000000'))
            .execute(),
      ];
      for (const write of writes) {
        await assert.rejects(
          withTransaction(store, (tx) => write(tx)),
          StoreParentMissing,
        );
        await assert.rejects(
          withSingleWrite(store, (h) => write(h as Store['db'])),
          StoreParentMissing,
        );
        await assert.rejects(write(store.db), (err: unknown) => store.errorKind(err) === 'foreignKey');
      }
      await assert.rejects(
        withTransaction(store, (tx) => copy(tx, 'chat_members', { chat_id: '19:gone@thread.v2' })),
        StoreParentMissing,
      );
      // A message of neither kind would name no parent at all: the schema refuses it too.
      await assert.rejects(
        untyped(store)
          .insertInto('messages')
          .values({ ...message(chatId, 'chat', '1700000000002'), container_kind: 'meeting' })
          .execute(),
      );
    });

    it('deleting a chat, a channel, a conversation or a section removes what lives under it, and nothing else', async () => {
      const store = await open();
      await migrate(store);
      await seeded(store);
      await insertAppAndSharedTeam(store);
      const root = await rowOf(store, 'messages', { container_id: channelId }); // the channel's one message, a root
      await store.db
        .insertInto('messages')
        .values({ ...message(channelId, 'channel', '1700000000000', root.id as string), team_id: teamId })
        .execute();
      const before = await counts(store);
      const under = async () => ({
        chatMembers: (await store.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).execute()).length,
        chatMessages: (await store.db.selectFrom('messages').select('id').where('container_id', '=', chatId).execute()).length,
        channelMessages: (await store.db.selectFrom('messages').select('id').where('container_id', '=', channelId).execute()).length,
      });
      const removed = await under();
      assert.ok(removed.chatMembers > 0 && removed.chatMessages > 0 && removed.channelMessages > 1, JSON.stringify(removed));
      const conversation = await rowOf(store, 'group_conversations');
      const threads = (
        await store.db
          .selectFrom('group_threads')
          .select('id')
          .where('conversation_id', '=', conversation.id as string)
          .execute()
      ).map((row) => row.id);
      const posts = (await store.db.selectFrom('group_posts').select('id').where('thread_id', 'in', threads).execute()).length;
      const item = await rowOf(store, 'teamwork_section_items');
      const items = (
        await store.db
          .selectFrom('teamwork_section_items')
          .select('id')
          .where('section_id', '=', item.section_id as string)
          .execute()
      ).length;

      await store.db.deleteFrom('chats').where('id', '=', chatId).execute();
      await store.db.deleteFrom('channels').where('id', '=', channelId).execute();
      await store.db
        .deleteFrom('group_conversations')
        .where('id', '=', conversation.id as string)
        .execute();
      await store.db
        .deleteFrom('teamwork_sections')
        .where('id', '=', item.section_id as string)
        .execute();

      assert.deepEqual(await under(), { chatMembers: 0, chatMessages: 0, channelMessages: 0 });
      assert.deepEqual(await counts(store), {
        ...before,
        chats: before.chats - 1,
        chat_members: before.chat_members - removed.chatMembers,
        chat_installed_apps: before.chat_installed_apps - 1,
        channels: before.channels - 1,
        channel_shared_teams: before.channel_shared_teams - 1,
        messages: before.messages - removed.chatMessages - removed.channelMessages,
        group_conversations: before.group_conversations - 1,
        group_threads: before.group_threads - threads.length,
        group_posts: before.group_posts - posts,
        teamwork_sections: before.teamwork_sections - 1,
        teamwork_section_items: before.teamwork_section_items - items,
      });
    });

    it('an upgrade removes the rows earlier releases kept without their parent, and keeps the rest and its indexes', async () => {
      const store = await open();
      const released = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0014'));
      assert.equal((await migratorOf(store, released).migrateToLatest()).error, undefined);
      // Today's seed loader empties the change log, which that release lacks: a stand-in holds nothing meanwhile.
      await sql`create table changes (seq integer)`.execute(store.db);
      await seeded(store);
      await sql`drop table changes`.execute(store.db);
      await insertAppAndSharedTeam(store);
      const olderTables = tenantTables.filter((table) => !notificationTables.includes(table));
      const kept = await counts(store, olderTables);
      const indexesBefore = await indexNames(store);

      // What 0013 let live on without its parent, and what lives under that.
      const gone = { chat: '19:gone@thread.v2', channel: '19:gone@thread.tacv2', team: 'gone-team', group: 'gone-group' };
      await store.db
        .insertInto('messages')
        .values([message(gone.chat, 'chat', '1700000000000'), message(gone.channel, 'channel', '1700000000000')])
        .execute();
      // A reply whose root is gone, and a reply to that reply.
      await store.db
        .insertInto('messages')
        .values([message(channelId, 'channel', '1700000000001', '1600000000000'), message(channelId, 'channel', '1700000000002', '1700000000001')])
        .execute();
      await copy(store, 'chat_members', { chat_id: gone.chat });
      await copy(store, 'chat_installed_apps', { chat_id: gone.chat });
      await copy(store, 'channel_members', { channel_id: gone.channel });
      await copy(store, 'channel_shared_teams', { channel_id: gone.channel });
      await copy(store, 'channel_shared_teams', { team_id: gone.team });
      // A channel of a team that is gone, and a message in it: both go.
      await copy(store, 'channels', { id: '19:orphan@thread.tacv2', team_id: gone.team, display_name: 'Orphan' });
      await store.db
        .insertInto('messages')
        .values(message('19:orphan@thread.tacv2', 'channel', '1700000000000'))
        .execute();
      await copy(store, 'teams', { id: gone.group, internal_id: '19:orphan-general@thread.tacv2' });
      await copy(store, 'group_members', { group_id: gone.group });
      await copy(store, 'group_conversations', { id: 'orphan-conversation', group_id: gone.group });
      await copy(store, 'group_threads', { id: 'orphan-thread', conversation_id: 'orphan-conversation' });
      await copy(store, 'group_posts', { id: 'orphan-post', thread_id: 'orphan-thread' });
      await copy(store, 'group_threads', { id: 'orphan-thread-2', conversation_id: 'gone-conversation' });
      await copy(store, 'group_posts', { id: 'orphan-post-2', thread_id: 'gone-thread' });
      await copy(store, 'teamwork_sections', { id: 'orphan-section', user_id: 'gone-user', display_name: 'Orphan' });
      await copy(store, 'teamwork_section_items', { user_id: 'gone-user', section_id: 'orphan-section' });
      await copy(store, 'teamwork_section_items', { id: 'orphan-item', section_id: 'gone-section' });
      await copy(store, 'engage_community_members', { community_id: 'gone-community' });
      assert.notDeepEqual(await counts(store, olderTables), kept);

      await migrate(store);
      assert.deepEqual(await counts(store, olderTables), kept);
      const indexesAfter = await indexNames(store);
      assert.deepEqual(
        indexesAfter.filter((name) => !indexesBefore.includes(name) && !notificationTables.some((table) => name.includes(table))),
        ['messages_channel_id', 'messages_chat_id'],
      );
      assert.deepEqual(
        indexesBefore.filter((name) => !indexesAfter.includes(name)),
        [],
      );
      // The rows kept read as they did, and the keys hold from now on.
      assert.equal((await rowOf(store, 'messages', { container_id: chatId })).container_kind, 'chat');
      await assert.rejects(
        withTransaction(store, (tx) =>
          tx
            .insertInto('messages')
            .values(message(gone.chat, 'chat', '1700000000003'))
            .execute(),
        ),
        StoreParentMissing,
      );
    });
  });
}
