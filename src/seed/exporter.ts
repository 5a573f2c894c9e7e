import { verifySecret } from '../identity/passwords.ts';
import { allHistory } from '../resources/chats/chats.service.ts';
import { defaultTeamSettings } from '../resources/teams/teams.schemas.ts';
import { effectiveOrder } from '../resources/teamwork/teamwork.access.ts';
import { allOf } from '../store/columns.ts';
import type { Store } from '../store/db.ts';
import type { ChannelTable, GroupPostTable, MessageTable, TeamworkSectionItemTable } from '../store/schema.ts';
import type { Handle } from '../store/transaction.ts';
import { defaultPassword } from './seed-secrets.ts';
import type { SeedConversation, SeedFile, SeedMessage, SeedPost, SeedReply } from './seed.schemas.ts';

// `teamgraph export`, GET /_teamgraph/export and the embedded handle's export(): the tenant data as a
// seed that loads back to the same state (docs/seed-file.md, "Exporting the current state"). A field
// is written only when it differs from what the loader would put there without it, so an export of a
// database nothing has changed yet reads much like the seed it was loaded from.

class NothingToExport extends Error {}

const defaultUserKey = 'default_user_id';

/** Reads every tenant table in one transaction, so that a server writing meanwhile is seen at one instant. */
export async function exportSeed(store: Store): Promise<SeedFile> {
  const transaction = store.db.transaction();
  // SQLite's WAL gives a read transaction its snapshot by itself; PostgreSQL's needs repeatable read.
  const snapshot = store.kind === 'postgres' ? transaction.setIsolationLevel('repeatable read').setAccessMode('read only') : transaction;
  const seed = await snapshot.execute((tx) => readSeedFrom(tx));
  // As JSON holds it: a field left undefined is absent.
  return JSON.parse(JSON.stringify(seed)) as SeedFile;
}

async function readSeedFrom(h: Handle): Promise<SeedFile> {
  const defaultUser = (await h.selectFrom('meta').select('value').where('key', '=', defaultUserKey).executeTakeFirst())?.value;
  const users = await h.selectFrom('users').select(allOf('users')).orderBy('id').execute();
  const tenants = await h.selectFrom('tenants').select(allOf('tenants')).orderBy('id').execute();
  if (tenants.length === 0) throw new NothingToExport('the database holds no tenant: nothing to export');
  // The first tenant is the server's own; the database keeps no order, but the default user is one of its.
  const homeTenantId = users.find((user) => user.id === defaultUser)?.tenant_id;
  tenants.sort((a, b) => Number(b.id === homeTenantId) - Number(a.id === homeTenantId));

  const applications = await h.selectFrom('applications').select(allOf('applications')).orderBy('client_id').execute();
  const isDefaultPassword = defaultPasswordCheck();
  return {
    defaultUser,
    tenants: tenants.map((tenant) => ({ id: tenant.id, displayName: tenant.display_name, domain: tenant.domain })),
    applications: applications.map((app) => ({
      clientId: app.client_id,
      tenantId: app.tenant_id,
      displayName: app.display_name,
      applicationPermissions: JSON.parse(app.application_permissions) as string[],
      // Only the hash is stored: the secret itself cannot be exported.
      clientSecretHash: app.secret_hash,
    })),
    users: await Promise.all(
      users.map(async (user) => ({
        id: user.id,
        tenantId: user.tenant_id,
        userPrincipalName: user.user_principal_name,
        displayName: user.display_name,
        givenName: user.given_name ?? undefined,
        surname: user.surname ?? undefined,
        jobTitle: user.job_title ?? undefined,
        officeLocation: user.office_location ?? undefined,
        mail: unlessEqual(user.mail ?? undefined, user.user_type === 'Guest' ? undefined : user.user_principal_name),
        userType: unlessEqual(user.user_type, 'Member'),
        isAdmin: user.is_admin === 1 ? true : undefined,
        createdDateTime: user.created_date_time,
        // Only hashes are stored. The default password is left implicit, as a seed leaves it, so that it is
        // hashed afresh on load; any other is kept as its hash, which signs in with the same password.
        passwordHash: user.password_hash === null || (await isDefaultPassword(user.password_hash)) ? undefined : user.password_hash,
        preferredLanguage: unlessEqual(user.preferred_language ?? undefined, 'en-US'),
        mobilePhone: user.mobile_phone ?? undefined,
        businessPhones: user.business_phones === '[]' ? undefined : (JSON.parse(user.business_phones) as string[]),
        accountEnabled: user.account_enabled === 0 ? false : undefined,
      })),
    ),
    groups: await readGroups(h),
    chats: await readChats(h),
    communities: await readCommunities(h),
    teamwork: await readTeamwork(h),
    operations: (await h.selectFrom('operations').select(allOf('operations')).orderBy('created_date_time').orderBy('id').execute()).map((operation) => ({
      id: operation.id,
      tenantId: operation.tenant_id,
      parentKind: operation.parent_kind,
      parentId: operation.parent_id,
      operationType: operation.operation_type,
      status: operation.status,
      targetResourceId: operation.target_resource_id ?? undefined,
      targetResourceLocation: operation.target_resource_location ?? undefined,
      payload: JSON.parse(operation.payload) as unknown,
      error: operation.error === null ? undefined : (JSON.parse(operation.error) as unknown),
      attemptsCount: operation.attempts_count,
      createdDateTime: operation.created_date_time,
      lastActionDateTime: operation.last_action_date_time,
      runAfter: operation.run_after,
    })),
  };
}

/** Whether a hash is of the default password; a seed's load hashes each password with one salt, so each distinct hash is checked once. */
function defaultPasswordCheck(): (hash: string) => Promise<boolean> {
  const checked = new Map<string, Promise<boolean>>();
  return (hash) => {
    const answer = checked.get(hash) ?? verifySecret(defaultPassword, hash);
    checked.set(hash, answer);
    return answer;
  };
}

type SeedGroup = NonNullable<SeedFile['groups']>[number];

async function readGroups(h: Handle): Promise<SeedGroup[]> {
  const groups = await h.selectFrom('groups').select(allOf('groups')).orderBy('id').execute();
  const members = await h.selectFrom('group_members').select(allOf('group_members')).orderBy('group_id').orderBy('user_id').execute();
  const teams = new Map((await h.selectFrom('teams').select(allOf('teams')).execute()).map((team) => [team.id, team]));
  const channels = await h.selectFrom('channels').select(allOf('channels')).orderBy('created_date_time').orderBy('id').execute();
  const channelMembers = await h.selectFrom('channel_members').select(allOf('channel_members')).orderBy('channel_id').orderBy('user_id').execute();
  const sharedTeams = await h.selectFrom('channel_shared_teams').select(allOf('channel_shared_teams')).orderBy('channel_id').orderBy('team_id').execute();
  const messages = await readMessages(h, 'channel');
  const conversations = await readConversations(h);
  return groups.map((group) => {
    const team = teams.get(group.id);
    const roster = members.filter((member) => member.group_id === group.id);
    return {
      id: group.id,
      tenantId: group.tenant_id,
      displayName: group.display_name,
      description: group.description ?? undefined,
      mailNickname: group.mail_nickname,
      visibility: group.visibility,
      groupTypes: JSON.parse(group.group_types) as string[],
      securityEnabled: group.security_enabled === 1 ? true : undefined,
      createdDateTime: group.created_date_time,
      owners: roster.filter((member) => member.role === 'owner').map((member) => member.user_id),
      members: roster.filter((member) => member.role === 'member').map((member) => member.user_id),
      conversations: conversations.get(group.id),
      team:
        team === undefined
          ? undefined
          : {
              internalId: team.internal_id,
              channels: channels
                .filter((channel) => channel.team_id === team.id)
                .map((channel) => ({
                  id: channel.id,
                  displayName: channel.display_name,
                  description: channel.description ?? undefined,
                  membershipType: unlessEqual(channel.membership_type, 'standard'),
                  createdDateTime: channel.created_date_time,
                  members: nonEmpty(
                    channelMembers
                      .filter((member) => member.channel_id === channel.id)
                      .map((member) => ({
                        user: member.user_id,
                        roles: nonEmpty(JSON.parse(member.roles) as ('owner' | 'guest')[]),
                        createdDateTime: unlessEqual(member.created_date_time, channel.created_date_time),
                      })),
                  ),
                  messages: nonEmpty(messages.get(channel.id) ?? []),
                  layoutType: unlessEqual(channel.layout_type, 'post'),
                  isFavoriteByDefault: favoriteOf(channel, team.internal_id),
                  isArchived: channel.is_archived === 1 ? true : undefined,
                  email: unlessEqual(channel.email, ''),
                  migrationMode: channel.migration_mode ?? undefined,
                  originalCreatedDateTime: channel.original_created_date_time ?? undefined,
                  sharedWithTeams: nonEmpty(
                    sharedTeams
                      .filter((shared) => shared.channel_id === channel.id)
                      .map((shared) => ({ teamId: shared.team_id, isHostTeam: shared.is_host_team === 1, createdDateTime: shared.created_date_time })),
                  ),
                })),
              displayName: unlessEqual(team.display_name, group.display_name),
              description: team.description === group.description ? undefined : team.description,
              visibility: unlessEqual(team.visibility, group.visibility === 'Private' ? 'private' : 'public'),
              createdDateTime: unlessEqual(team.created_date_time, group.created_date_time),
              specialization: unlessEqual(team.specialization, 'none'),
              classification: team.classification ?? undefined,
              isArchived: team.is_archived === 1 ? true : undefined,
              settings: team.settings === JSON.stringify(defaultTeamSettings) ? undefined : (JSON.parse(team.settings) as Record<string, unknown>),
            },
    };
  });
}

/** The loader makes General a favourite and no other channel; anything else is written out, null included. */
function favoriteOf(channel: ChannelTable, internalId: string): boolean | null | undefined {
  const isDefault = channel.id === internalId ? 1 : 0;
  if (channel.is_favorite_by_default === isDefault) return undefined;
  return channel.is_favorite_by_default === null ? null : channel.is_favorite_by_default === 1;
}

/** Conversations by group; each names its threads, and each thread its posts, oldest first. */
async function readConversations(h: Handle): Promise<Map<string, SeedConversation[]>> {
  const conversations = await h.selectFrom('group_conversations').select(allOf('group_conversations')).orderBy('group_id').orderBy('id').execute();
  const threads = await h.selectFrom('group_threads').select(allOf('group_threads')).orderBy('id').execute();
  const posts = await h.selectFrom('group_posts').select(allOf('group_posts')).orderBy('created_date_time').orderBy('id').execute();
  const byGroup = new Map<string, SeedConversation[]>();
  for (const conversation of conversations) {
    const held = threads
      .filter((thread) => thread.conversation_id === conversation.id)
      .map((thread) => ({
        id: thread.id,
        topic: thread.topic,
        toRecipients: JSON.parse(thread.to_recipients) as SeedRecipient[],
        ccRecipients: thread.cc_recipients === '[]' ? undefined : (JSON.parse(thread.cc_recipients) as SeedRecipient[]),
        isLocked: thread.is_locked === 1 ? true : undefined,
        posts: postsOf(posts.filter((post) => post.thread_id === thread.id)),
      }));
    // Without threads, nothing recomputes the summary the conversation was created with.
    const summary =
      held.length > 0
        ? {}
        : {
            hasAttachments: conversation.has_attachments === 1 ? true : undefined,
            lastDeliveredDateTime: conversation.last_delivered_date_time,
            preview: unlessEqual(conversation.preview, ''),
            uniqueSenders: nonEmpty(JSON.parse(conversation.unique_senders) as string[]),
          };
    const list = byGroup.get(conversation.group_id) ?? [];
    list.push({ topic: conversation.topic, id: conversation.id, threads: nonEmpty(held), ...summary });
    byGroup.set(conversation.group_id, list);
  }
  return byGroup;
}

type SeedRecipient = Exclude<SeedPost['from'], string>;

/** A thread's posts, each naming the post it answers only when that is not the one before it. */
function postsOf(posts: readonly GroupPostTable[]): [SeedPost, ...SeedPost[]] {
  const seeded = posts.map((post, index): SeedPost => {
    const previous = index === 0 ? null : (posts[index - 1] as GroupPostTable).id;
    return {
      from: JSON.parse(post.from_recipient) as SeedRecipient,
      body: { contentType: post.body_content_type, content: post.body_content },
      createdDateTime: post.created_date_time,
      id: post.id,
      inReplyToId: post.in_reply_to_id === previous ? undefined : post.in_reply_to_id,
      newParticipants: nonEmpty(JSON.parse(post.new_participants) as SeedRecipient[]),
      categories: nonEmpty(JSON.parse(post.categories) as string[]),
      changeKey: post.change_key,
      lastModifiedDateTime: unlessEqual(post.last_modified_date_time, post.created_date_time),
      receivedDateTime: unlessEqual(post.received_date_time, post.created_date_time),
    };
  });
  return seeded as [SeedPost, ...SeedPost[]];
}

type SeedChat = NonNullable<SeedFile['chats']>[number];

async function readChats(h: Handle): Promise<SeedChat[]> {
  const chats = await h.selectFrom('chats').select(allOf('chats')).orderBy('id').execute();
  const members = await h.selectFrom('chat_members').select(allOf('chat_members')).orderBy('chat_id').orderBy('user_id').execute();
  const apps = await h.selectFrom('chat_installed_apps').select(allOf('chat_installed_apps')).orderBy('chat_id').orderBy('id').execute();
  const tenantOf = new Map((await h.selectFrom('users').select(['id', 'tenant_id']).execute()).map((user) => [user.id, user.tenant_id]));
  const messages = await readMessages(h, 'chat');
  return chats.map((chat) => ({
    id: chat.id,
    tenantId: chat.tenant_id,
    chatType: chat.chat_type,
    topic: chat.topic ?? undefined,
    createdBy: chat.created_by_user_id ?? undefined,
    createdDateTime: chat.created_date_time,
    members: members
      .filter((member) => member.chat_id === chat.id)
      .map((member) => ({
        user: member.user_id,
        roles: member.roles === '["owner"]' ? undefined : (JSON.parse(member.roles) as ('owner' | 'guest')[]),
        createdDateTime: unlessEqual(member.created_date_time, chat.created_date_time),
        tenantId: unlessEqual(member.tenant_id, tenantOf.get(member.user_id)),
        visibleHistoryStartDateTime: unlessEqual(member.visible_history_start_date_time, allHistory),
      })),
    messages: nonEmpty(messages.get(chat.id) ?? []),
    createdByAppId: chat.created_by_app_id ?? undefined,
    isHiddenForAllMembers: chat.is_hidden_for_all_members === 1 ? true : undefined,
    migrationMode: chat.migration_mode ?? undefined,
    originalCreatedDateTime: chat.original_created_date_time ?? undefined,
    lastUpdatedDateTime: chat.last_updated_date_time,
    installedApps: nonEmpty(
      apps
        .filter((app) => app.chat_id === chat.id)
        .map((app) => ({
          id: app.id,
          teamsAppId: app.teams_app_id,
          consentedPermissionSet: app.consented_permission_set === null ? undefined : (JSON.parse(app.consented_permission_set) as unknown),
          createdDateTime: app.created_date_time,
        })),
    ),
  }));
}

/** The messages of every chat or every channel, by container: roots oldest first, each with its replies. */
async function readMessages(h: Handle, kind: MessageTable['container_kind']): Promise<Map<string, SeedMessage[]>> {
  const rows = await h
    .selectFrom('messages')
    .select(allOf('messages'))
    .where('container_kind', '=', kind)
    .orderBy('container_id')
    .orderBy('created_date_time')
    .orderBy('id')
    .execute();
  const replies = new Map<string, SeedReply[]>();
  for (const row of rows.filter((candidate) => candidate.reply_to_id !== null)) {
    const key = `${row.container_id}/${row.reply_to_id}`;
    replies.set(key, [...(replies.get(key) ?? []), messageOf(row)]);
  }
  const byContainer = new Map<string, SeedMessage[]>();
  for (const row of rows.filter((candidate) => candidate.reply_to_id === null)) {
    const list = byContainer.get(row.container_id) ?? [];
    list.push({ ...messageOf(row), replies: replies.get(`${row.container_id}/${row.id}`) });
    byContainer.set(row.container_id, list);
  }
  return byContainer;
}

function messageOf(row: MessageTable): SeedReply {
  const json = (text: string) => (text === '[]' ? undefined : (JSON.parse(text) as unknown[]));
  return {
    from: row.from_user_id ?? undefined,
    body: { contentType: row.body_content_type, content: row.body_content },
    createdDateTime: row.created_date_time,
    subject: row.subject ?? undefined,
    id: unlessEqual(row.id, String(Date.parse(row.created_date_time))),
    fromAppId: row.from_app_id ?? undefined,
    messageType: unlessEqual(row.message_type, 'message'),
    importance: unlessEqual(row.importance, 'normal'),
    attachments: json(row.attachments),
    mentions: json(row.mentions),
    reactions: json(row.reactions),
    lastModifiedDateTime: unlessEqual(row.last_modified_date_time, row.created_date_time),
    lastEditedDateTime: row.last_edited_date_time ?? undefined,
    deletedDateTime: row.deleted_date_time ?? undefined,
  };
}

async function readCommunities(h: Handle): Promise<NonNullable<SeedFile['communities']>> {
  const communities = await h.selectFrom('engage_communities').select(allOf('engage_communities')).orderBy('id').execute();
  const members = await h.selectFrom('engage_community_members').select(allOf('engage_community_members')).orderBy('user_id').execute();
  return communities.map((community) => ({
    id: community.id,
    tenantId: community.tenant_id,
    displayName: community.display_name,
    members: members.filter((member) => member.community_id === community.id).map((member) => member.user_id),
  }));
}

async function readTeamwork(h: Handle): Promise<NonNullable<SeedFile['teamwork']>> {
  const hierarchies = await h.selectFrom('user_teamwork').select(allOf('user_teamwork')).orderBy('user_id').execute();
  const sections = await h.selectFrom('teamwork_sections').select(allOf('teamwork_sections')).orderBy('created_date_time').orderBy('id').execute();
  const items = await h.selectFrom('teamwork_section_items').select(allOf('teamwork_section_items')).orderBy('position').orderBy('id').execute();
  return hierarchies.map((teamwork) => {
    const own = sections.filter((section) => section.user_id === teamwork.user_id);
    const byId = new Map(own.map((section) => [section.id, section]));
    return {
      user: teamwork.user_id,
      sectionsVersion: Number(teamwork.sections_version),
      // The order the user sees, which the loader stores as the order.
      sections: effectiveOrder(teamwork.sections_order, own).map((id) => {
        const section = byId.get(id) as (typeof own)[number];
        return {
          id: section.id,
          displayName: section.display_name,
          createdDateTime: section.created_date_time,
          items: items.filter((item) => item.user_id === teamwork.user_id && item.section_id === section.id).map(itemOf),
          displayIcon: section.display_icon ?? undefined,
          isExpanded: section.is_expanded === 0 ? false : undefined,
          sortType: unlessEqual(section.sort_type, 'userDefinedCustomOrder'),
          sectionType: unlessEqual(section.section_type, 'userDefined'),
          systemName: section.system_name ?? undefined,
          lastModifiedDateTime: unlessEqual(section.last_modified_date_time, section.created_date_time),
        };
      }),
    };
  });
}

function itemOf(item: TeamworkSectionItemTable) {
  return {
    id: item.id,
    itemType: item.item_type,
    position: item.position,
    createdDateTime: item.created_date_time,
    lastModifiedDateTime: item.last_modified_date_time ?? undefined,
  };
}

/** The value, or nothing when it is what the loader puts there anyway. */
function unlessEqual<T>(value: T, loaderDefault: T | undefined): T | undefined {
  return value === loaderDefault ? undefined : value;
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length === 0 ? undefined : list;
}
