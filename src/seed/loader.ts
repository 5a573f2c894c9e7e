import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { Value } from 'typebox/value';
import type { SeedSource } from '../config.ts';
import { allHistory } from '../resources/chats/chats.service.ts';
import { conversationIdOf, parseConversationId, threadIdOf } from '../resources/conversations/conversations.ids.ts';
import { newPostRow, summaryOf } from '../resources/conversations/posts.compose.ts';
import { defaultTeamSettings } from '../resources/teams/teams.schemas.ts';
import { type ConversationRef, conversationRef } from '../resources/teamwork/teamwork.schemas.ts';
import { sectionTime } from '../resources/teamwork/teamwork.access.ts';
import type { Store } from '../store/db.ts';
import { type Handle, withTransaction } from '../store/transaction.ts';
import { type GroupPostTable, tenantTables } from '../store/schema.ts';
import { referenceProblems, seededConversationKey, seedUserIds } from './seed.references.ts';
import { type SeedConversation, SeedFile, type SeedMessage, type SeedPost, type SeedReply, type SeedThread } from './seed.schemas.ts';
import { allOf } from '../store/columns.ts';
import { defaultPassword, secretHash, seedFileOf, seedSecrets } from './seed-secrets.ts';

const seedMarker = 'seed';
const seedDigestKey = 'seed_digest';
const defaultUserKey = 'default_user_id';

class SeedInvalid extends Error {}

/** How many problems of an invalid seed its one line names. */
const problemsShown = 5;

/**
 * Reads and validates a tenant file, its shape and then its references (seed.references.ts), before
 * anything is written; fails with one line that names the first problems.
 */
export async function readSeed(source: SeedSource): Promise<SeedFile | null> {
  if (source.kind === 'none') return null;
  const file = seedFileOf(source);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new SeedInvalid(`cannot read seed file ${file}: ${(err as Error).message}`);
  }
  const invalid = (problems: readonly string[]) => new SeedInvalid(`invalid seed file ${file}: ${problems.slice(0, problemsShown).join('; ')}`);
  if (!Value.Check(SeedFile, parsed)) throw invalid([...Value.Errors(SeedFile, parsed)].map((error) => `${error.instancePath || '/'} ${error.message}`));
  const problems = referenceProblems(parsed);
  if (problems.length > 0) throw invalid(problems);
  // The editor's schema is no part of the tenant: adding it to a file leaves its fingerprint as it was.
  const { $schema, ...seed } = parsed;
  const valid = withStoredTimes(seed) as SeedFile;
  // Loading it into an empty database needs its secrets hashed, slow by design: begun now, in Node's
  // thread pool, while the database opens. A database that holds it already leaves them unused.
  passwordHashes(valid).catch(() => undefined);
  return valid;
}

/**
 * Every `…DateTime` of the seed in the stored form, ISO 8601 UTC with milliseconds, as the services
 * write them: text order is then time order, which $filter and $orderby rely on (decision 74).
 */
function withStoredTimes(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => withStoredTimes(item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, withStoredTimes(inner, name)]));
  if (typeof value !== 'string' || !key.endsWith('DateTime')) return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** The database holds a seed other than the one the server was started with. */
class SeedMismatch extends Error {}

/**
 * Loads the seed into an empty database, once: the marker row, the seed's fingerprint and the data
 * commit together, and a second instance starting at the same moment waits on the marker's key and
 * then skips. A database that holds another seed is refused, unless `reseed` says to replace what it
 * holds with this one. Returns whether this call loaded the seed.
 */
export async function loadSeed(store: Store, seed: SeedFile | null, reseed: boolean): Promise<boolean> {
  if (seed === null) return false;
  const digest = seedDigest(seed);
  const held = await heldSeed(store.db);
  if (held !== null) {
    await keepOrReplace(store, seed, held, digest, reseed);
    return false;
  }
  const hashes = await passwordHashes(seed);
  const loaded = await withTransaction(store, async (tx) => {
    const inserted = await tx
      .insertInto('meta')
      .values({ key: seedMarker, value: new Date().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await tx.insertInto('meta').values({ key: seedDigestKey, value: digest }).execute();
    await insertSeed(tx, seed, hashes);
    await forgetChanges(tx);
    return true;
  });
  // Another instance loaded a seed first: it is checked as any seed found loaded.
  const winner = loaded ? null : await heldSeed(store.db);
  if (winner !== null) await keepOrReplace(store, seed, winner, digest, reseed);
  return loaded;
}

interface HeldSeed {
  readonly loadedAt: string;
  /** Absent in a database seeded before seeds were fingerprinted (2026-12-07). */
  readonly digest: string | undefined;
}

async function heldSeed(db: Store['db']): Promise<HeldSeed | null> {
  const rows = await db.selectFrom('meta').select(['key', 'value']).where('key', 'in', [seedMarker, seedDigestKey]).execute();
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  const loadedAt = value(seedMarker);
  return loadedAt === undefined ? null : { loadedAt, digest: value(seedDigestKey) };
}

/** A database holding this seed is kept; one holding another is refused, or with `reseed` reset to this one. */
async function keepOrReplace(store: Store, seed: SeedFile, held: HeldSeed, digest: string, reseed: boolean): Promise<void> {
  if (held.digest === digest) return;
  if (held.digest === undefined) {
    // Seeded before fingerprints: the seed it holds is taken to be this one, and fingerprinted now.
    await store.db
      .insertInto('meta')
      .values({ key: seedDigestKey, value: digest })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return;
  }
  if (reseed) {
    await resetToSeed(store, seed);
    return;
  }
  throw new SeedMismatch(
    `the database holds another seed (loaded ${held.loadedAt}) than the one given; start with --memory or a new --data directory, or add --reseed to replace what it holds with this seed`,
  );
}

/** The seed's fingerprint: SHA-256 of its JSON with every object's keys sorted, so a reformatted file is the same seed. */
function seedDigest(seed: SeedFile): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([key, inner]) => [key, canonical(inner)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(seed)))
    .digest('base64url');
}

/** Empties every tenant table and loads the seed again, in one transaction; then this process forgets what it remembered of the old data. */
export async function resetToSeed(store: Store, seed: SeedFile | null): Promise<void> {
  const hashes = seed === null ? new Map<string, string>() : await passwordHashes(seed);
  await withTransaction(store, async (tx) => {
    for (const table of tenantTables) await tx.deleteFrom(table).execute();
    await tx.deleteFrom('meta').where('key', 'in', [seedMarker, seedDigestKey, defaultUserKey]).execute();
    if (seed !== null) {
      await tx.insertInto('meta').values({ key: seedMarker, value: new Date().toISOString() }).execute();
      await tx
        .insertInto('meta')
        .values({ key: seedDigestKey, value: seedDigest(seed) })
        .execute();
      await insertSeed(tx, seed, hashes);
    }
    await forgetChanges(tx);
  });
  store.resetDone();
}

/** A seed is where the data starts, not a change to it: loading one raises no change notification. */
async function forgetChanges(tx: Handle): Promise<void> {
  await tx.deleteFrom('changes').execute();
}

/** The hash of every secret of the seed (seed-secrets.ts), each made once per process. */
async function passwordHashes(seed: SeedFile): Promise<Map<string, string>> {
  return new Map(await Promise.all(seedSecrets(seed).map(async (secret) => [secret, await secretHash(secret)] as const)));
}

/** Writes a seed that readSeed checked: every user and tenant it names is one of its own. */
async function insertSeed(tx: Handle, seed: SeedFile, hashes: Map<string, string>): Promise<void> {
  const seedUserId = seedUserIds(seed);
  const userId = (ref: string) => seedUserId(ref) as string;
  const domains = new Map(seed.tenants.map((tenant) => [tenant.id, tenant.domain]));
  const now = new Date().toISOString();

  await tx
    .insertInto('tenants')
    .values(seed.tenants.map((t) => ({ id: t.id, display_name: t.displayName, domain: t.domain })))
    .execute();
  await tx
    .insertInto('users')
    .values(
      seed.users.map((u) => ({
        id: u.id,
        tenant_id: u.tenantId,
        user_principal_name: u.userPrincipalName,
        upn_key: u.userPrincipalName.toLowerCase(),
        display_name: u.displayName,
        given_name: u.givenName ?? null,
        surname: u.surname ?? null,
        mail: u.mail ?? (u.userType === 'Guest' ? null : u.userPrincipalName),
        job_title: u.jobTitle ?? null,
        office_location: u.officeLocation ?? null,
        preferred_language: u.preferredLanguage ?? 'en-US',
        mobile_phone: u.mobilePhone ?? null,
        business_phones: JSON.stringify(u.businessPhones ?? []),
        user_type: u.userType ?? 'Member',
        account_enabled: u.accountEnabled === false ? 0 : 1,
        is_admin: u.isAdmin === true ? 1 : 0,
        // An exported seed keeps the hash (the password is not known; readSeed refuses both); a user with neither has the default password.
        password_hash: u.passwordHash ?? hashes.get(u.password ?? defaultPassword) ?? null,
        created_date_time: u.createdDateTime ?? now,
      })),
    )
    .execute();
  const defaultUser = seed.defaultUser ?? seed.users.find((u) => u.isAdmin === true)?.id;
  if (defaultUser !== undefined)
    await tx
      .insertInto('meta')
      .values({ key: defaultUserKey, value: userId(defaultUser) })
      .execute();

  for (const app of seed.applications ?? []) {
    // readSeed checked that an application has its secret or the secret's hash.
    const hash = (app.clientSecret === undefined ? app.clientSecretHash : hashes.get(app.clientSecret)) as string;
    await tx
      .insertInto('applications')
      .values({
        client_id: app.clientId,
        tenant_id: app.tenantId,
        display_name: app.displayName,
        secret_hash: hash,
        application_permissions: JSON.stringify(app.applicationPermissions),
      })
      .execute();
  }
  for (const group of seed.groups ?? []) await insertGroup(tx, group, domains.get(group.tenantId) as string, userId);
  // A shared channel names teams of other groups: every team exists by now.
  for (const channel of (seed.groups ?? []).flatMap((group) => (group.team?.channels ?? []).map((c) => ({ ...c, tenantId: group.tenantId })))) {
    for (const shared of channel.sharedWithTeams ?? []) {
      await tx
        .insertInto('channel_shared_teams')
        .values({
          channel_id: channel.id,
          team_id: shared.teamId,
          tenant_id: channel.tenantId,
          is_host_team: shared.isHostTeam ? 1 : 0,
          created_date_time: shared.createdDateTime,
        })
        .execute();
    }
  }
  for (const chat of seed.chats ?? []) await insertChat(tx, chat, userId);
  for (const community of seed.communities ?? []) {
    await tx.insertInto('engage_communities').values({ id: community.id, tenant_id: community.tenantId, display_name: community.displayName }).execute();
    for (const member of community.members) {
      await tx
        .insertInto('engage_community_members')
        .values({ community_id: community.id, user_id: userId(member) })
        .execute();
    }
  }
  for (const teamwork of seed.teamwork ?? []) await insertTeamwork(tx, teamwork, userId, seed);
  for (const operation of seed.operations ?? []) {
    await tx
      .insertInto('operations')
      .values({
        id: operation.id,
        tenant_id: operation.tenantId,
        parent_kind: operation.parentKind,
        parent_id: operation.parentId,
        operation_type: operation.operationType,
        status: operation.status,
        target_resource_id: operation.targetResourceId ?? null,
        target_resource_location: operation.targetResourceLocation ?? null,
        payload: JSON.stringify(operation.payload),
        error: operation.error === undefined ? null : JSON.stringify(operation.error),
        attempts_count: operation.attemptsCount,
        created_date_time: operation.createdDateTime,
        last_action_date_time: operation.lastActionDateTime,
        run_after: operation.runAfter,
      })
      .execute();
  }
}

type Group = NonNullable<SeedFile['groups']>[number];
type Chat = NonNullable<SeedFile['chats']>[number];
type Teamwork = NonNullable<SeedFile['teamwork']>[number];
type UserId = (ref: string) => string;

const flag = (value: boolean | undefined): 0 | 1 => (value === true ? 1 : 0);

async function insertGroup(tx: Handle, group: Group, domain: string, userId: UserId): Promise<void> {
  const isUnified = group.groupTypes.includes('Unified');
  await tx
    .insertInto('groups')
    .values({
      id: group.id,
      tenant_id: group.tenantId,
      display_name: group.displayName,
      description: group.description ?? null,
      mail_nickname: group.mailNickname,
      mail: isUnified ? `${group.mailNickname}@${domain}` : null,
      visibility: group.visibility ?? 'Public',
      group_types: JSON.stringify(group.groupTypes),
      mail_enabled: isUnified ? 1 : 0,
      security_enabled: flag(group.securityEnabled),
      created_date_time: group.createdDateTime,
    })
    .execute();
  const roles = new Map<string, 'owner' | 'member'>();
  for (const member of group.members) roles.set(userId(member), 'member');
  for (const owner of group.owners) roles.set(userId(owner), 'owner');
  for (const [memberId, role] of roles) await tx.insertInto('group_members').values({ group_id: group.id, user_id: memberId, role }).execute();

  for (const conversation of group.conversations ?? []) await insertConversation(tx, group, domain, conversation, userId);
  const team = group.team;
  if (team === undefined) return;
  await tx
    .insertInto('teams')
    .values({
      id: group.id,
      tenant_id: group.tenantId,
      display_name: team.displayName ?? group.displayName,
      description: team.description === undefined ? (group.description ?? null) : team.description,
      internal_id: team.internalId,
      visibility: team.visibility ?? (group.visibility === 'Private' ? 'private' : 'public'),
      specialization: team.specialization ?? 'none',
      classification: team.classification ?? null,
      is_archived: flag(team.isArchived),
      created_date_time: team.createdDateTime ?? group.createdDateTime,
      settings: JSON.stringify(team.settings ?? defaultTeamSettings),
    })
    .execute();
  for (const channel of team.channels) {
    const isFavorite = channel.isFavoriteByDefault === undefined ? channel.id === team.internalId : channel.isFavoriteByDefault;
    await tx
      .insertInto('channels')
      .values({
        id: channel.id,
        team_id: group.id,
        tenant_id: group.tenantId,
        display_name: channel.displayName,
        description: channel.description ?? null,
        membership_type: channel.membershipType ?? 'standard',
        layout_type: channel.layoutType ?? 'post',
        is_favorite_by_default: isFavorite === null ? null : flag(isFavorite),
        is_archived: flag(channel.isArchived),
        email: channel.email ?? '',
        migration_mode: channel.migrationMode ?? null,
        original_created_date_time: channel.originalCreatedDateTime ?? null,
        created_date_time: channel.createdDateTime,
      })
      .execute();
    for (const member of channel.members ?? []) {
      await tx
        .insertInto('channel_members')
        .values({
          channel_id: channel.id,
          user_id: userId(member.user),
          roles: JSON.stringify(member.roles ?? []),
          created_date_time: member.createdDateTime ?? channel.createdDateTime,
        })
        .execute();
    }
    for (const message of channel.messages ?? []) await insertMessage(tx, { kind: 'channel', id: channel.id, teamId: group.id }, message, null, userId);
  }
}

/**
 * A conversation and its threads, whose posts answer the one before unless they say otherwise. Ids
 * not given derive from group and topic, so a reset keeps them; summaries follow the posts, as the
 * service keeps them, and only a conversation without posts keeps the summary it was given.
 */
async function insertConversation(tx: Handle, group: Group, domain: string, seeded: SeedConversation, userId: UserId): Promise<void> {
  // readSeed checked that a given id is a conversation id of the group.
  const key =
    seeded.id === undefined
      ? seededConversationKey(group.id, seeded.topic)
      : (parseConversationId(seeded.id) as NonNullable<ReturnType<typeof parseConversationId>>).conversationKey;
  const conversationId = seeded.id ?? conversationIdOf(group.id, key);
  const groupRecipient = { emailAddress: { name: group.displayName, address: `${group.mailNickname}@${domain}` } };
  const threads: SeedThread[] =
    seeded.threads ?? (seeded.posts === undefined ? [] : [{ id: threadIdOf(group.id, key, key), topic: seeded.topic, posts: seeded.posts }]);
  const posts: GroupPostTable[] = [];
  for (const thread of threads) {
    let previous: string | null = null;
    for (const post of thread.posts) {
      const author = typeof post.from === 'string' ? await authorOf(tx, userId(post.from)) : post.from;
      const body = typeof post.body === 'string' ? { contentType: 'text', content: post.body } : post.body;
      const at = post.createdDateTime;
      const place = { groupId: group.id, conversationId, threadId: thread.id, inReplyToId: post.inReplyToId === undefined ? previous : post.inReplyToId };
      const row = newPostRow(place, { body, newParticipants: post.newParticipants }, author, at);
      posts.push({
        ...row,
        id: post.id ?? row.id,
        categories: JSON.stringify(post.categories ?? []),
        change_key: post.changeKey ?? row.change_key,
        last_modified_date_time: post.lastModifiedDateTime ?? at,
        received_date_time: post.receivedDateTime ?? at,
      });
      previous = post.id ?? row.id;
    }
  }
  // Oldest first, as the service reads them when it summarises.
  posts.sort((a, b) => (a.created_date_time < b.created_date_time ? -1 : a.created_date_time > b.created_date_time ? 1 : a.id < b.id ? -1 : 1));
  const given =
    seeded.lastDeliveredDateTime === undefined
      ? null
      : {
          has_attachments: flag(seeded.hasAttachments),
          last_delivered_date_time: seeded.lastDeliveredDateTime,
          preview: seeded.preview ?? '',
          unique_senders: JSON.stringify(seeded.uniqueSenders ?? []),
        };
  // readSeed checked that a conversation without posts has a summary of its own.
  const summary = (summaryOf(posts) ?? given) as NonNullable<ReturnType<typeof summaryOf>>;
  await tx
    .insertInto('group_conversations')
    .values({ id: conversationId, tenant_id: group.tenantId, group_id: group.id, topic: seeded.topic, ...summary })
    .execute();
  for (const thread of threads) {
    await tx
      .insertInto('group_threads')
      .values({
        id: thread.id,
        conversation_id: conversationId,
        group_id: group.id,
        topic: thread.topic,
        to_recipients: JSON.stringify(thread.toRecipients ?? [groupRecipient]),
        cc_recipients: JSON.stringify(thread.ccRecipients ?? []),
        is_locked: flag(thread.isLocked),
        ...(summaryOf(posts.filter((post) => post.thread_id === thread.id)) as NonNullable<ReturnType<typeof summaryOf>>),
      })
      .execute();
  }
  if (posts.length > 0) await tx.insertInto('group_posts').values(posts).execute();
}

/** A user's address as a post's sender, as the service writes it. */
async function authorOf(tx: Handle, id: string): Promise<Exclude<SeedPost['from'], string>> {
  const user = await tx.selectFrom('users').select(allOf('users')).where('id', '=', id).executeTakeFirstOrThrow();
  return { emailAddress: { name: user.display_name, address: user.mail ?? user.user_principal_name } };
}

async function insertChat(tx: Handle, chat: Chat, userId: UserId): Promise<void> {
  const lastMessageAt = (chat.messages ?? [])
    .map((m) => m.createdDateTime)
    .sort()
    .at(-1);
  await tx
    .insertInto('chats')
    .values({
      id: chat.id,
      tenant_id: chat.tenantId,
      chat_type: chat.chatType,
      topic: chat.chatType === 'oneOnOne' ? null : (chat.topic ?? null),
      created_by_user_id: chat.createdBy === undefined ? null : userId(chat.createdBy),
      created_by_app_id: chat.createdByAppId ?? null,
      is_hidden_for_all_members: flag(chat.isHiddenForAllMembers),
      migration_mode: chat.migrationMode ?? null,
      original_created_date_time: chat.originalCreatedDateTime ?? null,
      created_date_time: chat.createdDateTime,
      last_updated_date_time: chat.lastUpdatedDateTime ?? lastMessageAt ?? chat.createdDateTime,
    })
    .execute();
  for (const member of chat.members) {
    const memberId = userId(member.user);
    const user = await tx.selectFrom('users').select('tenant_id').where('id', '=', memberId).executeTakeFirstOrThrow();
    await tx
      .insertInto('chat_members')
      .values({
        chat_id: chat.id,
        user_id: memberId,
        tenant_id: member.tenantId ?? user.tenant_id,
        roles: JSON.stringify(member.roles ?? ['owner']),
        visible_history_start_date_time: member.visibleHistoryStartDateTime ?? allHistory,
        created_date_time: member.createdDateTime ?? chat.createdDateTime,
      })
      .execute();
  }
  for (const app of chat.installedApps ?? []) {
    await tx
      .insertInto('chat_installed_apps')
      .values({
        chat_id: chat.id,
        id: app.id,
        teams_app_id: app.teamsAppId,
        consented_permission_set: app.consentedPermissionSet === undefined ? null : JSON.stringify(app.consentedPermissionSet),
        created_date_time: app.createdDateTime,
      })
      .execute();
  }
  for (const message of chat.messages ?? []) await insertMessage(tx, { kind: 'chat', id: chat.id, teamId: null }, message, null, userId);
}

type Container = { kind: 'chat' | 'channel'; id: string; teamId: string | null };

async function insertMessage(tx: Handle, container: Container, message: SeedMessage | SeedReply, replyToId: string | null, userId: UserId): Promise<void> {
  // Graph message ids are the creation time in epoch milliseconds (chatmessage resource).
  const id = message.id ?? String(Date.parse(message.createdDateTime));
  const body = typeof message.body === 'string' ? { contentType: 'text' as const, content: message.body } : message.body;
  const fromUserId = message.from === undefined ? null : userId(message.from);
  // The seeded users are already in the directory: the sender's name and tenant are theirs.
  const sender = (column: 'display_name' | 'tenant_id') => (fromUserId === null ? null : tx.selectFrom('users').select(column).where('id', '=', fromUserId));
  await tx
    .insertInto('messages')
    .values({
      container_id: container.id,
      id,
      container_kind: container.kind,
      team_id: container.teamId,
      reply_to_id: replyToId,
      message_type: message.messageType ?? 'message',
      from_user_id: fromUserId,
      from_display_name: sender('display_name'),
      from_tenant_id: sender('tenant_id'),
      from_app_id: message.fromAppId ?? null,
      subject: message.subject ?? null,
      body_content_type: body.contentType,
      body_content: body.content,
      importance: message.importance ?? 'normal',
      attachments: JSON.stringify(message.attachments ?? []),
      mentions: JSON.stringify(message.mentions ?? []),
      reactions: JSON.stringify(message.reactions ?? []),
      created_date_time: message.createdDateTime,
      last_modified_date_time: message.lastModifiedDateTime ?? message.createdDateTime,
      last_edited_date_time: message.lastEditedDateTime ?? null,
      deleted_date_time: message.deletedDateTime ?? null,
    })
    .execute();
  for (const reply of 'replies' in message ? (message.replies ?? []) : []) await insertMessage(tx, container, reply, id, userId);
}

async function insertTeamwork(tx: Handle, teamwork: Teamwork, userId: UserId, seed: SeedFile): Promise<void> {
  const ownerId = userId(teamwork.user);
  const tenantId = seed.users.find((u) => u.id === ownerId)?.tenantId as string;
  // Sections keep their times without a fraction, as the service writes them, so that they sort as one.
  const at = (time: string) => sectionTime(new Date(time));
  await tx
    .insertInto('user_teamwork')
    .values({
      user_id: ownerId,
      tenant_id: tenantId,
      sections_version: teamwork.sectionsVersion,
      sections_order: JSON.stringify(teamwork.sections.map((s) => s.id)),
    })
    .execute();
  for (const section of teamwork.sections) {
    await tx
      .insertInto('teamwork_sections')
      .values({
        id: section.id,
        user_id: ownerId,
        display_name: section.displayName,
        display_icon: section.displayIcon ?? null,
        is_expanded: section.isExpanded === false ? 0 : 1,
        sort_type: section.sortType ?? 'userDefinedCustomOrder',
        section_type: section.sectionType ?? 'userDefined',
        system_name: section.systemName ?? null,
        created_date_time: at(section.createdDateTime),
        last_modified_date_time: at(section.lastModifiedDateTime ?? section.createdDateTime),
      })
      .execute();
    for (const [index, entry] of section.items.entries()) {
      // As the add-item request files it: a bare community id becomes its thread id (readSeed checked every id).
      const item = typeof entry === 'string' ? { id: entry } : entry;
      const ref = conversationRef(item.id) as ConversationRef;
      await tx
        .insertInto('teamwork_section_items')
        .values({
          user_id: ownerId,
          id: ref.id,
          section_id: section.id,
          item_type: ref.itemType,
          position: item.position ?? index,
          created_date_time: at(item.createdDateTime ?? section.createdDateTime),
          last_modified_date_time: item.lastModifiedDateTime === undefined ? null : at(item.lastModifiedDateTime),
        })
        .execute();
    }
  }
}
