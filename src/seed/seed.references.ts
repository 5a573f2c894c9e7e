import { conversationRef, systemSectionNames } from '../resources/teamwork/teamwork.schemas.ts';
import type { SeedFile, SeedMessage } from './seed.schemas.ts';

// What a seed's shape cannot say: the ids Graph keeps unique, the references that must name something
// of the seed, and the rules the API holds what it creates to (a oneOnOne chat has two members, a
// sender belongs to the conversation, a reply comes after its message). readSeed checks them before
// anything is written, so a seed loads whole or not at all; each problem starts with its JSON pointer.

type Group = NonNullable<SeedFile['groups']>[number];
type Team = NonNullable<Group['team']>;
type Chat = NonNullable<SeedFile['chats']>[number];
type Teamwork = NonNullable<SeedFile['teamwork']>[number];
type Post = Pick<SeedMessage, 'from' | 'createdDateTime'>;

/** A user of the seed named by id, or by userPrincipalName whatever its case, as the loader resolves them. */
export function seedUserIds(seed: SeedFile): (ref: string) => string | undefined {
  const ids = new Map<string, string>();
  for (const user of seed.users) {
    ids.set(user.id, user.id);
    ids.set(user.userPrincipalName.toLowerCase(), user.id);
  }
  return (ref) => ids.get(ref) ?? ids.get(ref.toLowerCase());
}

/** Every problem of a seed whose shape is valid, in the order of the file; none when it can be loaded. */
export function referenceProblems(seed: SeedFile): string[] {
  return new ReferenceCheck(seed).run();
}

const quote = (value: string) => JSON.stringify(value);
const microsoft365Group = 'a Microsoft 365 group (groupTypes holding "Unified")';

/** Takes a key once; a repeat is reported at its path, naming where the key was first met and why it must be unique. */
type Once = (path: string, value: string, key?: string) => void;

class ReferenceCheck {
  private readonly problems: string[] = [];
  private readonly userId: (ref: string) => string | undefined;
  private readonly tenantIds: ReadonlySet<string>;
  // The members of each conversation a teamwork section item may name, by its id.
  private readonly chatMembers = new Map<string, ReadonlySet<string>>();
  private readonly channelMembers = new Map<string, ReadonlySet<string>>();
  private readonly communityMembers = new Map<string, ReadonlySet<string>>();

  constructor(private readonly seed: SeedFile) {
    this.userId = seedUserIds(seed);
    this.tenantIds = new Set(seed.tenants.map((tenant) => tenant.id));
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
    });
    if (seed.defaultUser !== undefined) this.user('/defaultUser', seed.defaultUser);
    const clientId = this.once('client ids are unique');
    seed.applications?.forEach((app, a) => {
      clientId(`/applications/${a}/clientId`, app.clientId);
      this.tenant(`/applications/${a}/tenantId`, app.tenantId);
    });
    const groupId = this.once('group ids are unique');
    const channelId = this.once('channel ids are unique across teams');
    seed.groups?.forEach((group, g) => {
      groupId(`/groups/${g}/id`, group.id);
      this.group(`/groups/${g}`, group, channelId);
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
      const members = this.roster(community.members.map((ref, m) => [`${path}/members/${m}`, ref]));
      if (!this.communityMembers.has(community.id)) this.communityMembers.set(community.id, members);
    });
    const owner = this.once('a user has one set of sections');
    const sectionId = this.once('section ids are unique across users');
    seed.teamwork?.forEach((teamwork, t) => this.teamwork(`/teamwork/${t}`, teamwork, owner, sectionId));
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

  private user(path: string, ref: string): string | undefined {
    const id = this.userId(ref);
    if (id === undefined) this.report(path, `${quote(ref)} is not the id or userPrincipalName of a user of the seed`);
    return id;
  }

  /** The users a roster names, each once (the store keeps one membership per user), and only users it admits when it says. */
  private roster(entries: readonly (readonly [path: string, ref: string])[], admits?: { members: ReadonlySet<string>; otherwise: string }): Set<string> {
    const member = this.once('a user is a member once');
    const ids = new Set<string>();
    for (const [path, ref] of entries) {
      const id = this.user(path, ref);
      if (id === undefined) continue;
      member(path, ref, id);
      if (admits !== undefined && !admits.members.has(id)) this.report(path, `${quote(ref)} ${admits.otherwise}`);
      ids.add(id);
    }
    return ids;
  }

  private group(path: string, group: Group, channelId: Once): void {
    this.tenant(`${path}/tenantId`, group.tenantId);
    const members = new Set(
      [...group.owners.map((ref, o) => this.user(`${path}/owners/${o}`, ref)), ...group.members.map((ref, m) => this.user(`${path}/members/${m}`, ref))].filter(
        (id) => id !== undefined,
      ),
    );
    const isMicrosoft365 = group.groupTypes.includes('Unified');
    if (!isMicrosoft365 && group.conversations !== undefined && group.conversations.length > 0) {
      this.report(`${path}/conversations`, `only ${microsoft365Group} has conversations`);
    }
    const topic = this.once("a conversation's id derives from its group and topic");
    group.conversations?.forEach((conversation, c) => {
      const at = `${path}/conversations/${c}`;
      topic(`${at}/topic`, conversation.topic);
      conversation.posts.forEach((post, p) => {
        this.user(`${at}/posts/${p}/from`, post.from);
        const answered = conversation.posts[p - 1];
        if (answered !== undefined) this.notBefore(`${at}/posts/${p}`, post, `${at}/posts/${p - 1}`, answered, 'the post it answers');
      });
    });
    if (group.team === undefined) return;
    if (!isMicrosoft365) this.report(`${path}/team`, `only ${microsoft365Group} can be a team`);
    this.team(`${path}/team`, group.team, members, channelId);
  }

  private team(path: string, team: Team, teamMembers: ReadonlySet<string>, channelId: Once): void {
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
      const members = this.roster(
        roster.map((member, m) => [`${at}/members/${m}/user`, member.user]),
        channel.membershipType === 'private'
          ? { members: teamMembers, otherwise: 'is not a member of the team, and a private channel admits only members of its team' }
          : undefined,
      );
      const audience = isStandard ? teamMembers : members;
      if (!this.channelMembers.has(channel.id)) this.channelMembers.set(channel.id, audience);
      this.messages(`${at}/messages`, channel.messages ?? [], 'channel', audience, isStandard ? 'the team' : 'the channel');
    });
  }

  private chat(path: string, chat: Chat): void {
    this.tenant(`${path}/tenantId`, chat.tenantId);
    if (chat.chatType === 'oneOnOne' && chat.topic !== undefined) this.report(`${path}/topic`, 'a oneOnOne chat has no topic');
    this.user(`${path}/createdBy`, chat.createdBy);
    if (chat.chatType === 'oneOnOne' && chat.members.length !== 2) {
      this.report(`${path}/members`, `a oneOnOne chat has exactly two members, not ${chat.members.length}`);
    }
    const members = this.roster(chat.members.map((member, m) => [`${path}/members/${m}/user`, member.user]));
    if (!this.chatMembers.has(chat.id)) this.chatMembers.set(chat.id, members);
    this.messages(`${path}/messages`, chat.messages ?? [], 'chat', members, 'the chat');
  }

  /** A message's id is its creation time in epoch milliseconds (as the loader writes it): one per time in a chat or channel. */
  private messages(path: string, messages: readonly SeedMessage[], container: 'chat' | 'channel', members: ReadonlySet<string>, membersOf: string): void {
    const messageId = this.once(`a message's id is its createdDateTime in epoch milliseconds, unique in its ${container}`);
    const message = (at: string, posted: Post) => {
      const sender = this.user(`${at}/from`, posted.from);
      if (sender !== undefined && !members.has(sender)) this.report(`${at}/from`, `${quote(posted.from)} is not a member of ${membersOf}`);
      messageId(`${at}/createdDateTime`, posted.createdDateTime, String(Date.parse(posted.createdDateTime)));
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

  private notBefore(path: string, later: Post, earlierPath: string, earlier: Post, what: string): void {
    if (Date.parse(later.createdDateTime) < Date.parse(earlier.createdDateTime)) {
      this.report(`${path}/createdDateTime`, `${quote(later.createdDateTime)} is before ${quote(earlier.createdDateTime)} of ${earlierPath}, ${what}`);
    }
  }

  /** Sections hold what the add-item request accepts: a chat, channel, meeting or community of their owner. */
  private teamwork(path: string, teamwork: Teamwork, owner: Once, sectionId: Once): void {
    const ownerId = this.user(`${path}/user`, teamwork.user);
    if (ownerId !== undefined) owner(`${path}/user`, teamwork.user, ownerId);
    const name = this.once("a user's sections have distinct names");
    const item = this.once('an item is in one section at most');
    teamwork.sections.forEach((section, s) => {
      const at = `${path}/sections/${s}`;
      sectionId(`${at}/id`, section.id);
      if ((systemSectionNames as readonly string[]).includes(section.displayName)) {
        this.report(`${at}/displayName`, `${quote(section.displayName)} is the name of a system section`);
      }
      name(`${at}/displayName`, section.displayName);
      section.items.forEach((itemId, i) => {
        const itemPath = `${at}/items/${i}`;
        const ref = conversationRef(itemId);
        if (ref === null) {
          this.report(itemPath, `${quote(itemId)} is not the id of a chat, channel, meeting or community`);
          return;
        }
        item(itemPath, itemId, ref.id);
        const [kind, members] =
          ref.itemType === 'channel'
            ? ['channel', this.channelMembers.get(ref.id)]
            : ref.itemType === 'community'
              ? ['community', this.communityMembers.get(ref.communityId ?? '')]
              : ['chat', this.chatMembers.get(ref.id)];
        if (members === undefined) this.report(itemPath, `${quote(itemId)} is not the id of a ${kind} of the seed`);
        else if (ownerId !== undefined && !members.has(ownerId))
          this.report(itemPath, `${quote(teamwork.user)} is not a member of the ${kind} ${quote(itemId)}`);
      });
    });
  }
}
