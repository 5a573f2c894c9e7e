import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { conversationIdOf, newKey, newPostId, threadIdOf } from '../../src/resources/conversations/conversations.ids.ts';
import { systemSectionId } from '../../src/resources/teamwork/teamwork.schemas.ts';
import { loadSeed, readSeed } from '../../src/seed/loader.ts';
import { SeedFile } from '../../src/seed/seed.schemas.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { spawnServer } from '../helpers/processes.ts';

const bin = path.resolve('bin/teamgraph.js');
const demoFile = 'src/seed/demo-tenant.json';

// The demo tenant, changed by each test into the mistake it is about.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a seed edited freely, as a user would
const demo = (): Json => JSON.parse(fs.readFileSync(demoFile, 'utf8'));

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-seed-validation-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let written = 0;
function writeSeed(seed: Json): string {
  const file = path.join(dir, `seed-${++written}.json`);
  fs.writeFileSync(file, JSON.stringify(seed));
  return file;
}

/** The problems readSeed names for `seed`, as its one line lists them. */
async function problemsOf(seed: Json): Promise<string[]> {
  const file = writeSeed(seed);
  const error = await readSeed({ kind: 'file', path: file }).then(
    () => assert.fail('the seed was accepted'),
    (err: unknown) => err as Error,
  );
  const prefix = `invalid seed file ${file}: `;
  assert.ok(error.message.startsWith(prefix), error.message);
  return error.message.slice(prefix.length).split('; ');
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('seed cross-references', () => {
  it('ids of tenants, users, applications and groups are unique; a userPrincipalName whatever its case; every tenantId names a tenant', async () => {
    const seed = demo();
    const [contoso, fabrikam] = seed.tenants;
    const fabrikamId = fabrikam.id;
    fabrikam.id = contoso.id;
    const adele = seed.users[0];
    seed.users.push({ id: adele.id, tenantId: 'nowhere', userPrincipalName: 'adelev@CONTOSO.com', displayName: 'Twin' });
    seed.applications.push({ ...seed.applications[0], tenantId: 'nowhere' });
    seed.groups.push({ ...seed.groups[4] });
    assert.deepEqual(await problemsOf(seed), [
      `/tenants/1/id: "${contoso.id}" is already at /tenants/0/id (tenant ids are unique)`,
      `/users/13/tenantId: "${fabrikamId}" is not the id of a tenant of the seed`,
      `/users/14/id: "${adele.id}" is already at /users/0/id (user ids are unique)`,
      '/users/14/tenantId: "nowhere" is not the id of a tenant of the seed',
      '/users/14/userPrincipalName: "adelev@CONTOSO.com" is already at /users/0/userPrincipalName (userPrincipalNames are unique, whatever their case)',
    ]);
    fabrikam.id = fabrikamId;
    seed.users.pop();
    assert.deepEqual(await problemsOf(seed), [
      `/applications/1/clientId: "${seed.applications[0].clientId}" is already at /applications/0/clientId (client ids are unique)`,
      '/applications/1/tenantId: "nowhere" is not the id of a tenant of the seed',
      `/groups/5/id: "${seed.groups[4].id}" is already at /groups/4/id (group ids are unique)`,
    ]);
  });

  it('every user reference names a user of the seed, by id or by userPrincipalName whatever its case', async () => {
    const seed = demo();
    seed.defaultUser = 'adelev@CONTOSO.COM';
    seed.groups[4].owners[0] = 'nobody@contoso.com';
    seed.chats[0].createdBy = 'ghost';
    seed.communities[0].members.push('nobody@contoso.com');
    seed.teamwork[0].user = 'nobody@contoso.com';
    assert.deepEqual(await problemsOf(seed), [
      '/groups/4/owners/0: "nobody@contoso.com" is not the id or userPrincipalName of a user of the seed',
      '/chats/0/createdBy: "ghost" is not the id or userPrincipalName of a user of the seed',
      '/communities/0/members/3: "nobody@contoso.com" is not the id or userPrincipalName of a user of the seed',
      '/teamwork/0/user: "nobody@contoso.com" is not the id or userPrincipalName of a user of the seed',
    ]);
  });

  it("a team's internalId is the id of its General channel, which is standard; only a Microsoft 365 group is a team or has conversations", async () => {
    const seed = demo();
    seed.groups[1].team.internalId = '19:x@thread.tacv2';
    assert.deepEqual(await problemsOf(seed), [
      `/groups/1/team/internalId: "19:x@thread.tacv2" is not the id of one of the team's channels (its General channel must have the team's internalId as its id)`,
    ]);
    const privateGeneral = demo();
    privateGeneral.groups[0].team.internalId = privateGeneral.groups[0].team.channels[2].id;
    assert.deepEqual(await problemsOf(privateGeneral), [
      "/groups/0/team/channels/2/membershipType: the General channel (the one whose id is the team's internalId) is standard",
    ]);
    const security = demo();
    security.groups[1].groupTypes = [];
    assert.deepEqual(await problemsOf(security), [
      '/groups/1/conversations: only a Microsoft 365 group (groupTypes holding "Unified") has conversations',
      '/groups/1/team: only a Microsoft 365 group (groupTypes holding "Unified") can be a team',
    ]);
  });

  it('channel ids are unique across teams, their names in a team whatever the case; only private and shared channels have rosters', async () => {
    const seed = demo();
    const [architecture, mark8] = seed.groups.map((group: Json) => group.team);
    mark8.channels[1].id = architecture.channels[1].id;
    architecture.channels[1].displayName = 'GENERAL';
    architecture.channels[1].members = [{ user: 'AdeleV@contoso.com' }];
    architecture.channels[2].members.push({ user: 'IsaiahL@contoso.com' }, { user: 'adelev@contoso.com' });
    assert.deepEqual(await problemsOf(seed), [
      '/groups/0/team/channels/1/displayName: "GENERAL" is already at /groups/0/team/channels/0/displayName (channel names are unique in a team, whatever their case)',
      "/groups/0/team/channels/1/members: a standard channel has no roster of its own: its members are its team's",
      '/groups/0/team/channels/2/members/3/user: "adelev@contoso.com" is already at /groups/0/team/channels/2/members/0/user (a user is a member once)',
      `/groups/1/team/channels/1/id: "${architecture.channels[1].id}" is already at /groups/0/team/channels/1/id (channel ids are unique across teams)`,
    ]);
  });

  it('a oneOnOne chat has two members and no topic; chat ids are unique; a chat member is listed once', async () => {
    const seed = demo();
    seed.chats[1].topic = 'Us';
    seed.chats[1].members.push({ user: 'LeeG@contoso.com' });
    seed.chats[2].members.push({ user: seed.chats[2].members[0].user });
    seed.chats.push({ ...seed.chats[3] });
    assert.deepEqual(await problemsOf(seed), [
      '/chats/1/topic: a oneOnOne chat has no topic',
      '/chats/1/members: a oneOnOne chat has exactly two members, not 3',
      `/chats/2/members/3/user: "${seed.chats[2].members[0].user}" is already at /chats/2/members/0/user (a user is a member once)`,
      `/chats/4/id: "${seed.chats[3].id}" is already at /chats/3/id (chat ids are unique)`,
    ]);
  });

  it("what later API calls leave is no problem: a former member's message, a private roster beyond the team, an item whose chat is gone", async () => {
    const seed = demo();
    const megan = '8b081ef6-4792-4def-b2c9-c363a1bf41d5';
    seed.groups[0].team.channels[2].messages[0].from = megan;
    seed.groups[1].team.channels[0].messages[0].from = 'JohannaL@contoso.com';
    seed.chats[2].messages[0].from = megan;
    seed.groups[0].team.channels[2].members.push({ user: 'IsaiahL@contoso.com' });
    seed.teamwork[0].sections[0].items.push('19:deleted-since@thread.v2');
    // It is read, and it loads: nothing in the store refuses it either.
    const read = await readSeed({ kind: 'file', path: writeSeed(seed) });
    const store = await openStore({ kind: 'sqlite', file: ':memory:', synchronous: 'normal' });
    try {
      await migrate(store);
      assert.equal(await loadSeed(store, read, false), true);
    } finally {
      await store.close();
    }
    // A sender is still a user of the seed.
    seed.chats[2].messages[0].from = 'nobody@contoso.com';
    assert.deepEqual(await problemsOf(seed), ['/chats/2/messages/0/from: "nobody@contoso.com" is not the id or userPrincipalName of a user of the seed']);
  });

  it('message ids, unless given their times in epoch milliseconds, are unique in a chat or channel; a reply or a post comes after what it answers', async () => {
    const seed = demo();
    const general = seed.groups[0].team.channels[0];
    // 10:41+02:00 is 08:41Z, the time of the first reply: the same id, written another way.
    general.messages[1].createdDateTime = '2026-10-01T10:41:00+02:00';
    general.messages[0].replies[1].createdDateTime = '2026-10-01T08:00:00Z';
    const launch = seed.groups[1].conversations[0];
    launch.posts[2].createdDateTime = '2026-11-01T00:00:00Z';
    seed.groups[1].conversations.push({ ...launch, posts: [launch.posts[0]] });
    assert.deepEqual(await problemsOf(seed), [
      '/groups/0/team/channels/0/messages/0/replies/1/createdDateTime: "2026-10-01T08:00:00Z" is before "2026-10-01T08:30:00Z" of /groups/0/team/channels/0/messages/0, the message it replies to',
      '/groups/0/team/channels/0/messages/1/createdDateTime: "2026-10-01T10:41:00+02:00" is already at /groups/0/team/channels/0/messages/0/replies/0/createdDateTime (a message\'s id, unless given, is its createdDateTime in epoch milliseconds, unique in its channel)',
      '/groups/1/conversations/0/posts/2/createdDateTime: "2026-11-01T00:00:00Z" is before "2026-11-02T10:02:00Z" of /groups/1/conversations/0/posts/1, the post it answers',
      '/groups/1/conversations/1/topic: "Mark 8 launch readiness" is already at /groups/1/conversations/0/topic (a conversation\'s id, unless given, derives from its group and topic, unique in its group)',
    ]);
  });

  it('communities have unique ids, tenants of the seed and each member once', async () => {
    const seed = demo();
    const community = seed.communities[0];
    seed.communities.push({ ...community, tenantId: 'nowhere', members: [community.members[0], community.members[0]] });
    assert.deepEqual(await problemsOf(seed), [
      `/communities/1/id: "${community.id}" is already at /communities/0/id (community ids are unique)`,
      '/communities/1/tenantId: "nowhere" is not the id of a tenant of the seed',
      `/communities/1/members/1: "${community.members[0]}" is already at /communities/1/members/0 (a user is a member once)`,
    ]);
  });

  it('teamwork items are ids of chats, channels, meetings or communities, each in one section', async () => {
    const seed = demo();
    const [phoenix, favorites] = seed.teamwork[0].sections;
    const [leadership, community] = [seed.groups[0].team.channels[2].id, seed.communities[0].id];
    phoenix.items = ['not-a-conversation', leadership, community, favorites.items[0]];
    assert.deepEqual(await problemsOf(seed), [
      '/teamwork/0/sections/0/items/0: "not-a-conversation" is not the id of a chat, channel, meeting or community',
      `/teamwork/0/sections/1/items/0: "${favorites.items[0]}" is already at /teamwork/0/sections/0/items/3 (an item is in one section at most)`,
    ]);
  });

  it('teamwork: one set of sections per user, section ids unique across users, names unique and no system section name', async () => {
    const seed = demo();
    const [phoenix] = seed.teamwork[0].sections;
    seed.teamwork[0].sections.push(
      { id: phoenix.id, displayName: 'Favorites', createdDateTime: '2026-03-01T09:02:00Z', items: [] },
      { id: 'e5f6a7b8-0000-4000-8000-000000000001', displayName: 'RecentChats', createdDateTime: '2026-03-01T09:03:00Z', items: [] },
    );
    seed.teamwork.push({ user: 'adelev@contoso.com', sectionsVersion: 1, sections: [] });
    assert.deepEqual(await problemsOf(seed), [
      `/teamwork/0/sections/2/id: "${phoenix.id}" is already at /teamwork/0/sections/0/id (section ids are unique across users)`,
      '/teamwork/0/sections/2/displayName: "Favorites" is already at /teamwork/0/sections/1/displayName (a user\'s sections have distinct names)',
      '/teamwork/0/sections/3/displayName: "RecentChats" is the name of a system section',
      '/teamwork/1/user: "adelev@contoso.com" is already at /teamwork/0/user (a user has one set of sections)',
    ]);
  });

  it('a teamwork item is filed as the add-item request files it: a bare community id as its thread id', async () => {
    const seed = demo();
    const community = seed.communities[0].id;
    seed.teamwork[0].sections[0].items = [community, seed.groups[0].team.channels[0].id];
    const store = await openStore({ kind: 'sqlite', file: ':memory:', synchronous: 'normal' });
    try {
      await migrate(store);
      await loadSeed(store, await readSeed({ kind: 'file', path: writeSeed(seed) }), false);
      const items = await store.db
        .selectFrom('teamwork_section_items')
        .select(['id', 'item_type'])
        .where('section_id', '=', seed.teamwork[0].sections[0].id)
        .orderBy('position')
        .execute();
      assert.deepEqual(items, [
        { id: `19:${community}@EngageCommunity`, item_type: 'community' },
        { id: seed.groups[0].team.channels[0].id, item_type: 'channel' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('a password or a client secret is given once, as itself or as its hash as teamgraph stores it', async () => {
    const seed = demo();
    const hash = 'scrypt$c2FsdHNhbHQ$aGFzaGhhc2g';
    seed.users[0].passwordHash = hash;
    seed.users[0].password = 'Another1!';
    seed.users[1].passwordHash = 'Passw0rd!';
    const app = seed.applications[0];
    const { clientSecret, ...withoutSecret } = app;
    seed.applications.push(
      { ...app, clientId: '00000000-0000-4000-8000-000000000001', clientSecretHash: hash },
      { ...withoutSecret, clientId: '00000000-0000-4000-8000-000000000002' },
      { ...withoutSecret, clientId: '00000000-0000-4000-8000-000000000003', clientSecretHash: `sha256$${clientSecret}` },
    );
    assert.deepEqual(await problemsOf(seed), [
      '/users/0/passwordHash: a user has a password or its hash, not both',
      '/users/1/passwordHash: is not a hash as teamgraph stores it (scrypt$<salt>$<hash>, both base64url)',
      '/applications/1: an application has exactly one of clientSecret and clientSecretHash',
      '/applications/2: an application has exactly one of clientSecret and clientSecretHash',
      '/applications/3/clientSecretHash: is not a hash as teamgraph stores it (scrypt$<salt>$<hash>, both base64url)',
    ]);
  });

  it("a shared channel's teams are teams of the seed, each once, its own team the host and no other", async () => {
    const seed = demo();
    const [architecture, mark8, allCompany] = seed.groups;
    const at = '2026-04-01T09:00:00Z';
    architecture.team.channels[1].sharedWithTeams = [{ teamId: mark8.id, isHostTeam: false, createdDateTime: at }];
    Object.assign(mark8.team.channels[1], {
      membershipType: 'shared',
      messages: [],
      sharedWithTeams: [
        { teamId: mark8.id, isHostTeam: true, createdDateTime: at },
        { teamId: allCompany.id, isHostTeam: false, createdDateTime: at },
        { teamId: architecture.id, isHostTeam: true, createdDateTime: at },
        { teamId: mark8.id, isHostTeam: true, createdDateTime: at },
      ],
    });
    const shares = '/groups/1/team/channels/1/sharedWithTeams';
    assert.deepEqual(await problemsOf(seed), [
      '/groups/0/team/channels/1/sharedWithTeams: only a shared channel is shared with teams',
      `${shares}/1/teamId: "${allCompany.id}" is not the id of a team of the seed`,
      `${shares}/2/isHostTeam: the host team of a channel is its own team, "${mark8.id}", and no other`,
      `${shares}/3/teamId: "${mark8.id}" is already at ${shares}/0/teamId (a channel is shared with a team once)`,
    ]);
  });

  it("a conversation's id is one of its group, it has posts or threads or else its summary, and its threads' ids are its own", async () => {
    const seed = demo();
    const [allCompany, sales] = [seed.groups[2], seed.groups[3]];
    const post = { from: 'adelev@contoso.com', body: 'Hello', createdDateTime: '2026-04-01T09:00:00Z' };
    const key = newKey();
    const elsewhere = conversationIdOf(sales.id, newKey());
    const strayThread = threadIdOf(allCompany.id, newKey(), newKey());
    allCompany.conversations = [
      { topic: 'Both', posts: [post], threads: [] },
      { topic: 'Nothing' },
      { topic: 'Elsewhere', id: elsewhere, lastDeliveredDateTime: '2026-04-01T09:00:00Z' },
      { topic: 'Stray', id: conversationIdOf(allCompany.id, key), threads: [{ id: strayThread, topic: 'Stray', posts: [post] }] },
    ];
    assert.deepEqual(await problemsOf(seed), [
      '/groups/2/conversations/0: a conversation has posts (its one thread) or threads, not both',
      '/groups/2/conversations/1: a conversation without posts or threads has the summary it was created with (lastDeliveredDateTime)',
      `/groups/2/conversations/2/id: "${elsewhere}" is not the id of a conversation of group "${allCompany.id}"`,
      `/groups/2/conversations/3/threads/0/id: "${strayThread}" is not the id of a thread of conversation "${conversationIdOf(allCompany.id, key)}"`,
    ]);
  });

  it("thread and post ids are unique and of their kind; a post's sender is a user of the seed; inReplyToId names a post of its thread", async () => {
    const seed = demo();
    const allCompany = seed.groups[2];
    const key = newKey();
    const thread = threadIdOf(allCompany.id, key, newKey());
    const postId = newPostId(allCompany.id);
    const at = '2026-04-01T09:00:00Z';
    allCompany.conversations = [
      {
        topic: 'Threads',
        id: conversationIdOf(allCompany.id, key),
        threads: [
          {
            id: thread,
            topic: 'First',
            posts: [
              { from: 'adelev@contoso.com', body: 'a', createdDateTime: at, id: postId },
              { from: 'ghost', body: 'b', createdDateTime: at, id: postId, inReplyToId: 'nope' },
            ],
          },
          { id: thread, topic: 'Again', posts: [{ from: { emailAddress: { address: 'x@fabrikam.com' } }, body: 'c', createdDateTime: at, id: 'not-a-post' }] },
        ],
      },
    ];
    const threads = '/groups/2/conversations/0/threads';
    assert.deepEqual(await problemsOf(seed), [
      `${threads}/0/posts/1/id: "${postId}" is already at ${threads}/0/posts/0/id (post ids are unique)`,
      `${threads}/0/posts/1/from: "ghost" is not the id or userPrincipalName of a user of the seed`,
      `${threads}/0/posts/1/inReplyToId: "nope" is not the id of a post of its thread`,
      `${threads}/1/id: "${thread}" is already at ${threads}/0/id (thread ids are unique)`,
      `${threads}/1/posts/0/id: "not-a-post" is not a post id`,
    ]);
  });

  it('given message ids are unique in their chat or channel, an application sends without a user; chat member tenants, installed apps and operations', async () => {
    const seed = demo();
    const general = seed.groups[0].team.channels[0];
    general.messages[0].id = '1';
    general.messages[1].id = '1';
    const chat = seed.chats[0];
    delete chat.messages[0].from;
    chat.messages[0].fromAppId = seed.applications[0].clientId;
    chat.members[0].tenantId = 'nowhere';
    const app = { id: 'app', teamsAppId: 'teams-app', createdDateTime: '2026-04-01T09:00:00Z' };
    chat.installedApps = [app, app];
    const operation = {
      id: 'op',
      tenantId: seed.tenants[0].id,
      parentKind: 'chat',
      parentId: chat.id,
      operationType: 'installApp',
      status: 'succeeded',
      payload: {},
      attemptsCount: 1,
      createdDateTime: '2026-04-01T09:00:00Z',
      lastActionDateTime: '2026-04-01T09:00:00Z',
      runAfter: '2026-04-01T09:00:00Z',
    };
    seed.operations = [operation, { ...operation, tenantId: 'nowhere' }];
    assert.deepEqual(await problemsOf(seed), [
      '/groups/0/team/channels/0/messages/1/id: "1" is already at /groups/0/team/channels/0/messages/0/id (a message\'s id, unless given, is its createdDateTime in epoch milliseconds, unique in its channel)',
      '/chats/0/members/0/tenantId: "nowhere" is not the id of a tenant of the seed',
      '/chats/0/installedApps/1/id: "app" is already at /chats/0/installedApps/0/id (an app is installed in a chat once)',
      '/operations/1/id: "op" is already at /operations/0/id (operation ids are unique)',
      '/operations/1/tenantId: "nowhere" is not the id of a tenant of the seed',
    ]);
  });

  it('a system-defined section is one of the six, once, named and identified as the service provisions it, with its sort types and no items', async () => {
    const seed = demo();
    const { sections } = seed.teamwork[0];
    const owner = seed.users.find((user: Json) => user.id === seed.teamwork[0].user);
    const system = (name: string) => ({
      id: systemSectionId(owner.tenantId, owner.id, name as never),
      displayName: name,
      createdDateTime: '2026-03-01T08:00:00Z',
      items: [],
      sectionType: 'systemDefined',
      systemName: name,
    });
    sections.push(
      { ...system('RecentChats'), sortType: 'nameAlphabetical' },
      { ...system('MutedChats'), id: 'e5f6a7b8-0000-4000-8000-000000000002', displayName: 'Muted' },
      { ...system('Bogus'), id: 'e5f6a7b8-0000-4000-8000-000000000003' },
    );
    assert.deepEqual(await problemsOf(seed), [
      '/teamwork/0/sections/2/sortType: "nameAlphabetical" is not a sort type of this section',
      '/teamwork/0/sections/3/displayName: a system section is named as its systemName, "MutedChats"',
      `/teamwork/0/sections/3/id: the MutedChats section of "AdeleV@contoso.com" has the id "${system('MutedChats').id}"`,
      '/teamwork/0/sections/4/systemName: a system-defined section has the name of a system section (QuickViews, RecentChats, TeamsAndChannels, MeetingChats, MutedChats, EngageCommunities)',
    ]);
    const items = demo();
    const [phoenix, favorites] = items.teamwork[0].sections;
    phoenix.systemName = 'QuickViews';
    phoenix.items = [{ id: 'not-a-conversation' }];
    favorites.items = [{ id: favorites.items[0], itemType: 'community', position: 0 }];
    items.teamwork[0].sections.push({ ...system('QuickViews'), items: ['19:x@thread.v2'] });
    assert.deepEqual(await problemsOf(items), [
      '/teamwork/0/sections/0/systemName: only a system-defined section (sectionType "systemDefined") has a systemName',
      '/teamwork/0/sections/0/items/0/id: "not-a-conversation" is not the id of a chat, channel, meeting or community',
      `/teamwork/0/sections/1/items/0/itemType: "community" is not the kind of "${favorites.items[0].id}", which is a chat`,
      '/teamwork/0/sections/2/items: a system-defined section lists no items',
    ]);
  });

  it('names at most five problems in its one line', async () => {
    const seed = demo();
    seed.groups[4].members = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    assert.deepEqual(
      await problemsOf(seed),
      ['a', 'b', 'c', 'd', 'e'].map((ref, m) => `/groups/4/members/${m}: "${ref}" is not the id or userPrincipalName of a user of the seed`),
    );
  });
});

describe('seed file', () => {
  it('may name its JSON Schema in "$schema", which is no part of the tenant', async () => {
    const seed = demo();
    assert.equal(seed.$schema, '../../seed.schema.json');
    const loaded = await readSeed({ kind: 'file', path: writeSeed(seed) });
    assert.ok(loaded !== null && !('$schema' in loaded));
    assert.deepEqual(await problemsOf({ ...seed, $schema: 42 }), ['/$schema must be string']);
  });

  it('a seed that would not load stops the server before anything is written; the same data directory then takes the fixed seed', async () => {
    const data = path.join(dir, 'data');
    const seed = demo();
    seed.chats[0].members.push({ user: 'MeganB@contoso.com' });
    const file = writeSeed(seed);
    const refused = await run(['--data', data, '--seed', file, '--port', '0', '--log-level', 'silent']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.equal(
      refused.stderr.trim(),
      `teamgraph: invalid seed file ${file}: /chats/0/members/3/user: "MeganB@contoso.com" is already at /chats/0/members/1/user (a user is a member once)`,
    );
    assert.ok(!fs.existsSync(path.join(data, 'teamgraph.db')), 'no database was made');
    seed.chats[0].members.pop();
    fs.writeFileSync(file, JSON.stringify(seed));
    const server = await spawnServer(['--data', data, '--seed', file]);
    try {
      const members = await server.request('GET', `/v1.0/chats/${encodeURIComponent(seed.chats[0].id)}/members`);
      assert.equal(members.status, 200, members.text);
      assert.equal(members.body.value.length, 3);
    } finally {
      await server.stop();
    }
  });
});

describe('seed JSON Schema', () => {
  it('seed.schema.json is the schema the server checks seeds against (npm run sync:seed-schema writes it again)', () => {
    assert.deepEqual(JSON.parse(fs.readFileSync('seed.schema.json', 'utf8')), JSON.parse(JSON.stringify(SeedFile)));
  });

  it('teamgraph seed-schema prints it: a JSON Schema that accepts the demo tenant and refuses a broken seed', async () => {
    const { code, stdout, stderr } = await run(['seed-schema']);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    assert.equal(stdout, fs.readFileSync('seed.schema.json', 'utf8'));
    const ajv = new Ajv({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(stdout));
    assert.equal(validate(demo()), true, ajv.errorsText(validate.errors));
    assert.equal(validate({ tenants: [], users: 'nobody' }), false);
  });

  it('teamgraph seed-schema takes no options', async () => {
    const { code, stdout, stderr } = await run(['seed-schema', '--memory']);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^teamgraph: Unknown option '--memory'/);
  });
});
