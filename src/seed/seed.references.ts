import { createHash } from 'node:crypto';
import { conversationIdOf, isPostIdShaped, parseConversationId, parseThreadId } from '../resources/conversations/conversations.ids.ts';
import { type SystemSectionName, conversationRef, isSortTypeValid, systemSectionId, systemSectionNames } from '../resources/teamwork/teamwork.schemas.ts';
import type { SeedConversation, SeedFile, SeedMessage, SeedPost, SeedThread } from './seed.schemas.ts';

// What a seed's shape cannot say: the ids Graph keeps unique, the references that must name something
// of the seed, and the rules the API holds what it creates to (a oneOnOne chat has two members, a reply
// comes after its message). readSeed checks them before anything is written, so a seed loads whole or
// not at all; each problem starts with its JSON pointer. A rule that later API calls may leave broken is
// not one: a message stays when its sender leaves, a private channel's roster when a member leaves the
// team, a section's item when its chat or channel is deleted; what `teamgraph export` writes loads back.
// The optional fields an export writes are held to the same: ids unique and of their kind, references
// to what the seed holds, a secret given once, as itself or as its hash.

type Group = NonNullable<SeedFile['groups']>[number];
type Team = NonNullable<Group['team']>;
type Chat = NonNullable<SeedFile['chats']>[number];
type Teamwork = NonNullable<SeedFile['teamwork']>[number];
type Section = Teamwork['sections'][number];
type Timed = { readonly createdDateTime: string };

/** A user of the seed named by id, or by userPrincipalName whatever its case, as the loader resolves them. */
export function seedUserIds(seed: SeedFile): (ref: string) => string | undefined {
  const ids = new Map<string, string>();
  for (const user of seed.users) {
    ids.set(user.id, user.id);
    ids.set(user.userPrincipalName.toLowerCase(), user.id);
  }
  return (ref) => ids.get(ref) ?? ids.get(ref.toLowerCase());
}

/** The key of a conversation the seed gives no id, derived from its group and topic, so that a reset keeps its ids. */
export function seededConversationKey(groupId: string, topic: string): Buffer {
  return createHash('sha256').update(`${groupId}/${topic}`).digest().subarray(0, 16);
}

/** Every problem of a seed whose shape is valid, in the order of the file; none when it can be loaded. */
export function referenceProblems(seed: SeedFile): string[] {
  return new ReferenceCheck(seed).run();
}

const quote = (value: string) => JSON.stringify(value);
const microsoft365Group = 'a Microsoft 365 group (groupTypes holding "Unified")';
// As hashSecret writes it: scrypt$<salt>$<hash>, both base64url.
const secretHash = /^scrypt\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/;

/** Takes a key once; a repeat is reported at its path, naming where the key was first met and why it must be unique. */
type Once = (path: string, value: string, key?: string) => void;

class ReferenceCheck {
  private readonly problems: string[] = [];
  private readonly userId: (ref: string) => string | undefined;
  private readonly tenantIds: ReadonlySet<string>;
  private readonly teamIds: ReadonlySet<string>;

  constructor(private readonly seed: SeedFile) {
    this.userId = seedUserIds(seed);
    this.tenantIds = new Set(seed.tenants.map((tenant) => tenant.id));
    this.teamIds = new Set((seed.groups ?? []).flatMap((group) => (group.team === undefined ? [] : [group.id])));
  }

  run(): string[] {
    const { seed } = this;
    const tenantId = this.once('tenant ids are unique');
    seed.tenants.forEach((tenant, t) => tenantId(`/tenants/${t}/id`, tenant.id));
    const userId = this.once('user ids are unique');
    const upn = this.once('userPrincipalNames are unique, whatever their case');
    seed.users.forEach((user, u) => {
      userId(`/users/${u}/id`, user.id);
      this.tenant(`/users/${u}/tenantId`, user.tenantId);
      upn(`/users/${u}/userPrincipalName`, user.userPrincipalName, user.userPrincipalName.toLowerCase());
      if (user.password !== undefined && user.passwordHash !== undefined)
        this.report(`/users/${u}/passwordHash`, 'a user has a password or its hash, not both');
      this.hash(`/users/${u}/passwordHash`, user.passwordHash);
    });
    if (seed.defaultUser !== undefined) this.user('/defaultUser', seed.defaultUser);
    const clientId = this.once('client ids are unique');
    seed.applications?.forEach((app, a) => {
      clientId(`/applications/${a}/clientId`, app.clientId);
      this.tenant(`/applications/${a}/tenantId`, app.tenantId);
      if ((app.clientSecret === undefined) === (app.clientSecretHash === undefined)) {
        this.report(`/applications/${a}`, 'an application has exactly one of clientSecret and clientSecretHash');
      }
      this.hash(`/applications/${a}/clientSecretHash`, app.clientSecretHash);
    });
    const groupId = this.once('group ids are unique');
    const channelId = this.once('channel ids are unique across teams');
    const threadId = this.once('thread ids are unique');
    const postId = this.once('post ids are unique');
    seed.groups?.forEach((group, g) => {
      groupId(`/groups/${g}/id`, group.id);
      this.group(`/groups/${g}`, group, channelId, threadId, postId);
    });
    const chatId = this.once('chat ids are unique');
    seed.chats?.forEach((chat, c) => {
      chatId(`/chats/${c}/id`, chat.id);
      this.chat(`/chats/${c}`, chat);
    });
    const communityId = this.once('community ids are unique');
    seed.communities?.forEach((community, c) => {
      const path = `/communities/${c}`;
      communityId(`${path}/id`, community.id);
      this.tenant(`${path}/tenantId`, community.tenantId);
      this.roster(community.members.map((ref, m) => [`${path}/members/${m}`, ref]));
    });
    const owner = this.once('a user has one set of sections');
    const sectionId = this.once('section ids are unique across users');
    seed.teamwork?.forEach((teamwork, t) => this.teamwork(`/teamwork/${t}`, teamwork, owner, sectionId));
    const operationId = this.once('operation ids are unique');
    seed.operations?.forEach((operation, o) => {
      operationId(`/operations/${o}/id`, operation.id);
      this.tenant(`/operations/${o}/tenantId`, operation.tenantId);
    });
    return this.problems;
  }

  private report(path: string, problem: string): void {
    this.problems.push(`${path}: ${problem}`);
  }

  private once(why: string): Once {
    const first = new Map<string, string>();
    return (path, value, key = value) => {
      const at = first.get(key);
      if (at === undefined) first.set(key, path);
      else this.report(path, `${quote(value)} is already at ${at} (${why})`);
    };
  }

  private tenant(path: string, id: string): void {
    if (!this.tenantIds.has(id)) this.report(path, `${quote(id)} is not the id of a tenant of the seed`);
  }

  /** A stored hash, as `teamgraph export` writes it: it is stored as given, so one of another form could never be signed in with. */
  private hash(path: string, hash: string | undefined): void {
    if (hash !== undefined && !secretHash.test(hash)) this.report(path, 'is not a hash as teamgraph stores it (scrypt$<salt>$<hash>, both base64url)');
  }

  private user(path: string, ref: string): string | undefined {
    const id = this.userId(ref);
    if (id === undefined) this.report(path, `${quote(ref)} is not the id or userPrincipalName of a user of the seed`);
    return id;
  }

  /** The users a roster names, each once: the store keeps one membership per user. */
  private roster(entries: readonly (readonly [path: string, ref: string])[]): void {
    const member = this.once('a user is a member once');
    for (const [path, ref] of entries) {
      const id = this.user(path, ref);
      if (id !== undefined) member(path, ref, id);
    }
  }

  private group(path: string, group: Group, channelId: Once, threadId: Once, postId: Once): void {
    this.tenant(`${path}/tenantId`, group.tenantId);
    group.owners.forEach((ref, o) => this.user(`${path}/owners/${o}`, ref));
    group.members.forEach((ref, m) => this.user(`${path}/members/${m}`, ref));
    const isMicrosoft365 = group.groupTypes.includes('Unified');
    if (!isMicrosoft365 && group.conversations !== undefined && group.conversations.length > 0) {
      this.report(`${path}/conversations`, `only ${microsoft365Group} has conversations`);
    }
    const conversationId = this.once("a conversation's id, unless given, derives from its group and topic, unique in its group");
    group.conversations?.forEach((conversation, c) =>
      this.conversation(`${path}/conversations/${c}`, group.id, conversation, conversationId, threadId, postId),
    );
    if (group.team === undefined) return;
    if (!isMicrosoft365) this.report(`${path}/team`, `only ${microsoft365Group} can be a team`);
    this.team(`${path}/team`, group.id, group.team, channelId);
  }

  /** A conversation's id is given or derived as the loader derives it; its threads are given, or its posts are one thread. */
  private conversation(path: string, groupId: string, conversation: SeedConversation, conversationId: Once, threadId: Once, postId: Once): void {
    let id: string;
    if (conversation.id === undefined) {
      id = conversationIdOf(groupId, seededConversationKey(groupId, conversation.topic));
      conversationId(`${path}/topic`, conversation.topic, id);
    } else {
      id = conversation.id;
      conversationId(`${path}/id`, id);
      if (parseConversationId(id)?.groupId !== groupId) this.report(`${path}/id`, `${quote(id)} is not the id of a conversation of group ${quote(groupId)}`);
    }
    if (conversation.posts !== undefined && conversation.threads !== undefined) {
      this.report(path, 'a conversation has posts (its one thread) or threads, not both');
    }
    const hasPosts = (conversation.posts ?? conversation.threads ?? []).length > 0;
    if (!hasPosts && conversation.lastDeliveredDateTime === undefined) {
      this.report(path, 'a conversation without posts or threads has the summary it was created with (lastDeliveredDateTime)');
    }
    if (conversation.posts !== undefined) this.posts(`${path}/posts`, conversation.posts, postId);
    conversation.threads?.forEach((thread, t) => this.thread(`${path}/threads/${t}`, id, thread, threadId, postId));
  }

  private thread(path: string, conversationId: string, thread: SeedThread, threadId: Once, postId: Once): void {
    threadId(`${path}/id`, thread.id);
    if (parseThreadId(thread.id)?.conversationId !== conversationId) {
      this.report(`${path}/id`, `${quote(thread.id)} is not the id of a thread of conversation ${quote(conversationId)}`);
    }
    this.posts(`${path}/posts`, thread.posts, postId);
  }

  /** The posts of one thread: each answers the one before it, or the post of the thread its inReplyToId names, and is not older than it. */
  private posts(path: string, posts: readonly SeedPost[], postId: Once): void {
    const byId = new Map<string, number>();
    posts.forEach((post, p) => {
      if (post.id === undefined) return;
      postId(`${path}/${p}/id`, post.id);
      if (!isPostIdShaped(post.id)) this.report(`${path}/${p}/id`, `${quote(post.id)} is not a post id`);
      if (!byId.has(post.id)) byId.set(post.id, p);
    });
    posts.forEach((post, p) => {
      if (typeof post.from === 'string') this.user(`${path}/${p}/from`, post.from);
      let answered: number | undefined = p - 1;
      if (post.inReplyToId === null) answered = undefined;
      else if (post.inReplyToId !== undefined) {
        answered = byId.get(post.inReplyToId);
        if (answered === undefined) this.report(`${path}/${p}/inReplyToId`, `${quote(post.inReplyToId)} is not the id of a post of its thread`);
      }
      const earlier = answered === undefined ? undefined : posts[answered];
      if (earlier !== undefined) this.notBefore(`${path}/${p}`, post, `${path}/${answered}`, earlier, 'the post it answers');
    });
  }

  private team(path: string, teamId: string, team: Team, channelId: Once): void {
    const general = team.channels.findIndex((channel) => channel.id === team.internalId);
    if (general === -1) {
      this.report(
        `${path}/internalId`,
        `${quote(team.internalId)} is not the id of one of the team's channels (its General channel must have the team's internalId as its id)`,
      );
    } else if ((team.channels[general]?.membershipType ?? 'standard') !== 'standard') {
      this.report(`${path}/channels/${general}/membershipType`, "the General channel (the one whose id is the team's internalId) is standard");
    }
    const name = this.once('channel names are unique in a team, whatever their case');
    team.channels.forEach((channel, c) => {
      const at = `${path}/channels/${c}`;
      channelId(`${at}/id`, channel.id);
      name(`${at}/displayName`, channel.displayName, channel.displayName.toLowerCase());
      const roster = channel.members ?? [];
      const isStandard = (channel.membershipType ?? 'standard') === 'standard';
      if (isStandard && roster.length > 0) this.report(`${at}/members`, "a standard channel has no roster of its own: its members are its team's");
      this.roster(roster.map((member, m) => [`${at}/members/${m}/user`, member.user]));
      this.sharedWith(`${at}/sharedWithTeams`, teamId, channel.membershipType ?? 'standard', channel.sharedWithTeams ?? []);
      this.messages(`${at}/messages`, channel.messages ?? [], 'channel');
    });
  }

  /** A shared channel's teams: each a team of the seed once, its own team the host and no other. */
  private sharedWith(path: string, teamId: string, membershipType: string, shares: NonNullable<Team['channels'][number]['sharedWithTeams']>): void {
    if (shares.length > 0 && membershipType !== 'shared') this.report(path, 'only a shared channel is shared with teams');
    const team = this.once('a channel is shared with a team once');
    shares.forEach((share, s) => {
      const at = `${path}/${s}`;
      team(`${at}/teamId`, share.teamId);
      if (!this.teamIds.has(share.teamId)) this.report(`${at}/teamId`, `${quote(share.teamId)} is not the id of a team of the seed`);
      if (share.isHostTeam !== (share.teamId === teamId)) {
        this.report(`${at}/isHostTeam`, `the host team of a channel is its own team, ${quote(teamId)}, and no other`);
      }
    });
  }

  private chat(path: string, chat: Chat): void {
    this.tenant(`${path}/tenantId`, chat.tenantId);
    if (chat.chatType === 'oneOnOne' && chat.topic !== undefined) this.report(`${path}/topic`, 'a oneOnOne chat has no topic');
    if (chat.createdBy !== undefined) this.user(`${path}/createdBy`, chat.createdBy);
    if (chat.chatType === 'oneOnOne' && chat.members.length !== 2) {
      this.report(`${path}/members`, `a oneOnOne chat has exactly two members, not ${chat.members.length}`);
    }
    this.roster(chat.members.map((member, m) => [`${path}/members/${m}/user`, member.user]));
    chat.members.forEach((member, m) => {
      if (member.tenantId !== undefined) this.tenant(`${path}/members/${m}/tenantId`, member.tenantId);
    });
    this.messages(`${path}/messages`, chat.messages ?? [], 'chat');
    const app = this.once('an app is installed in a chat once');
    chat.installedApps?.forEach((installed, i) => app(`${path}/installedApps/${i}/id`, installed.id));
  }

  /** A message's id, unless given, is its creation time in epoch milliseconds (as the loader writes it): one per id in a chat or channel. */
  private messages(path: string, messages: readonly SeedMessage[], container: 'chat' | 'channel'): void {
    const messageId = this.once(`a message's id, unless given, is its createdDateTime in epoch milliseconds, unique in its ${container}`);
    const message = (at: string, posted: Omit<SeedMessage, 'replies'>) => {
      // A message an application sent has no user.
      if (posted.from !== undefined) this.user(`${at}/from`, posted.from);
      if (posted.id === undefined) messageId(`${at}/createdDateTime`, posted.createdDateTime, String(Date.parse(posted.createdDateTime)));
      else messageId(`${at}/id`, posted.id);
    };
    messages.forEach((root, m) => {
      const at = `${path}/${m}`;
      message(at, root);
      root.replies?.forEach((reply, r) => {
        message(`${at}/replies/${r}`, reply);
        this.notBefore(`${at}/replies/${r}`, reply, at, root, 'the message it replies to');
      });
    });
  }

  private notBefore(path: string, later: Timed, earlierPath: string, earlier: Timed, what: string): void {
    if (Date.parse(later.createdDateTime) < Date.parse(earlier.createdDateTime)) {
      this.report(`${path}/createdDateTime`, `${quote(later.createdDateTime)} is before ${quote(earlier.createdDateTime)} of ${earlierPath}, ${what}`);
    }
  }

  /** Sections hold what the add-item request accepts: a chat, channel, meeting or community of their owner. */
  private teamwork(path: string, teamwork: Teamwork, owner: Once, sectionId: Once): void {
    const ownerId = this.user(`${path}/user`, teamwork.user);
    if (ownerId !== undefined) owner(`${path}/user`, teamwork.user, ownerId);
    const name = this.once("a user's sections have distinct names");
    const systemName = this.once('a user has each system section once');
    const item = this.once('an item is in one section at most');
    teamwork.sections.forEach((section, s) => {
      const at = `${path}/sections/${s}`;
      sectionId(`${at}/id`, section.id);
      if (section.sectionType === 'systemDefined') this.systemSection(at, section, ownerId, systemName);
      else {
        if (section.systemName !== undefined) this.report(`${at}/systemName`, 'only a system-defined section (sectionType "systemDefined") has a systemName');
        if ((systemSectionNames as readonly string[]).includes(section.displayName)) {
          this.report(`${at}/displayName`, `${quote(section.displayName)} is the name of a system section`);
        }
      }
      if (section.sortType !== undefined && !isSortTypeValid({ system_name: section.systemName ?? null }, section.sortType)) {
        this.report(`${at}/sortType`, `${quote(section.sortType)} is not a sort type of this section`);
      }
      name(`${at}/displayName`, section.displayName);
      section.items.forEach((entry, i) => {
        const itemId = typeof entry === 'string' ? entry : entry.id;
        const itemPath = typeof entry === 'string' ? `${at}/items/${i}` : `${at}/items/${i}/id`;
        const ref = conversationRef(itemId);
        if (ref === null) {
          this.report(itemPath, `${quote(itemId)} is not the id of a chat, channel, meeting or community`);
          return;
        }
        if (typeof entry !== 'string' && entry.itemType !== undefined && entry.itemType !== ref.itemType) {
          this.report(`${at}/items/${i}/itemType`, `${quote(entry.itemType)} is not the kind of ${quote(itemId)}, which is a ${ref.itemType}`);
        }
        item(itemPath, itemId, ref.id);
      });
    });
  }

  /** A system section as the service provisions it: one of its names, an id derived from tenant, user and name, and no items. */
  private systemSection(path: string, section: Section, ownerId: string | undefined, systemName: Once): void {
    const name = section.systemName;
    if (name === undefined || !(systemSectionNames as readonly string[]).includes(name)) {
      this.report(`${path}/systemName`, `a system-defined section has the name of a system section (${systemSectionNames.join(', ')})`);
      return;
    }
    systemName(`${path}/systemName`, name);
    if (section.displayName !== name) this.report(`${path}/displayName`, `a system section is named as its systemName, ${quote(name)}`);
    const owner = this.seed.users.find((user) => user.id === ownerId);
    const id = owner === undefined ? undefined : systemSectionId(owner.tenantId, owner.id, name as SystemSectionName);
    if (id !== undefined && section.id !== id)
      this.report(`${path}/id`, `the ${name} section of ${quote(owner?.userPrincipalName ?? '')} has the id ${quote(id)}`);
    if (section.items.length > 0) this.report(`${path}/items`, 'a system-defined section lists no items');
  }
}
