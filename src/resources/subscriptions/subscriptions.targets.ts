import type { ChangeResource, Change } from '../../store/schema.ts';
import type { RoutePermissions } from '../../wire/auth.ts';
import { rewriteKeySegments } from '../../wire/routes.ts';

// What a subscription's `resource` can name, from Graph's pages on Teams change notifications
// (concepts/teams-changenotifications-*.md) and the permission tables of subscription-post-subscriptions.md.

type ChangeType = Change['change_type'];

/** The parameters a resource path names, by their names in the path. */
type TargetIds = Readonly<Record<string, string>>;

/** One kind of resource a subscription can watch. */
export interface TargetKind {
  /** The path as Graph's tables write it, `{name}` for each id. */
  readonly path: string;
  /** The changes it is told of. */
  readonly resource: ChangeResource;
  readonly changeTypes: readonly ChangeType[];
  /** Least privileged first; an empty half is a kind of caller Graph does not support. */
  readonly permissions: RoutePermissions;
  /** The longest a subscription may last, in minutes (concepts/includes/change-notifications-subscription-lifetime.md). */
  readonly maxMinutes: number;
  /** A Teams resource, which wants a lifecycle URL for a subscription longer than an hour. */
  readonly isTeams: boolean;
  /** The query options it takes after `?`. */
  readonly query: readonly ('$search' | '$filter')[];
  /** Whether a change of the right resource is one of this subscription's, the ids being those it names. */
  matches(change: Change, ids: TargetIds): boolean;
}

const all = ['created', 'updated', 'deleted'] as const;
const teamsMinutes = 4320;

const chatMessagePermissions = { delegated: ['Chat.Read', 'Chat.ReadWrite'], application: ['Chat.Read.All'] };
const chatPermissions = {
  delegated: ['Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'],
  application: ['ChatSettings.Read.Chat', 'ChatSettings.ReadWrite.Chat', 'Chat.Manage.Chat', 'Chat.ReadBasic.All', 'Chat.Read.All', 'Chat.ReadWrite.All'],
};
const chatMemberPermissions = {
  delegated: ['ChatMember.Read', 'ChatMember.ReadWrite', 'Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'],
  application: [
    'ChatMember.Read.Chat',
    'Chat.Manage.Chat',
    'ChatMember.Read.All',
    'ChatMember.ReadWrite.All',
    'Chat.ReadBasic.All',
    'Chat.Read.All',
    'Chat.ReadWrite.All',
  ],
};
const appOnly = (application: readonly string[]): RoutePermissions => ({ delegated: [], application });

const teams = (kind: Omit<TargetKind, 'maxMinutes' | 'isTeams' | 'query'> & Partial<Pick<TargetKind, 'query'>>): TargetKind => ({
  maxMinutes: teamsMinutes,
  isTeams: true,
  query: [],
  ...kind,
});

export const targetKinds: readonly TargetKind[] = [
  teams({
    path: '/chats/{chatId}/messages',
    resource: 'chatMessage',
    changeTypes: all,
    permissions: chatMessagePermissions,
    query: ['$search', '$filter'],
    matches: (change, ids) => change.container_id === ids.chatId,
  }),
  teams({ path: '/chats/getAllMessages', resource: 'chatMessage', changeTypes: all, permissions: appOnly(['Chat.Read.All']), matches: () => true }),
  teams({
    // The chats the user is in are read when a change is matched (notifications.dispatcher.ts).
    path: '/users/{userId}/chats/getAllMessages',
    resource: 'chatMessage',
    changeTypes: all,
    permissions: { delegated: ['Chat.Read', 'Chat.ReadWrite'], application: ['Chat.Read.All', 'Chat.ReadWrite.All'] },
    query: ['$search'],
    matches: () => true,
  }),
  teams({
    path: '/teams/{teamId}/channels/{channelId}/messages',
    resource: 'channelMessage',
    changeTypes: all,
    permissions: { delegated: ['ChannelMessage.Read.All'], application: ['ChannelMessage.Read.Group', 'ChannelMessage.Read.All'] },
    query: ['$search', '$filter'],
    matches: (change, ids) => change.channel_id === ids.channelId,
  }),
  teams({
    path: '/teams/getAllMessages',
    resource: 'channelMessage',
    changeTypes: all,
    permissions: appOnly(['ChannelMessage.Read.All']),
    matches: () => true,
  }),
  teams({
    path: '/chats',
    resource: 'chat',
    changeTypes: ['created', 'updated'],
    permissions: appOnly(['Chat.ReadBasic.All', 'Chat.Read.All', 'Chat.ReadWrite.All']),
    matches: () => true,
  }),
  teams({
    path: '/chats/{chatId}',
    resource: 'chat',
    changeTypes: ['created', 'updated'],
    permissions: chatPermissions,
    matches: (change, ids) => change.container_id === ids.chatId,
  }),
  teams({ path: '/teams', resource: 'team', changeTypes: all, permissions: appOnly(['Team.ReadBasic.All', 'TeamSettings.Read.All']), matches: () => true }),
  teams({
    path: '/teams/{teamId}',
    resource: 'team',
    changeTypes: all,
    permissions: { delegated: ['Team.ReadBasic.All', 'TeamSettings.Read.All'], application: ['Team.ReadBasic.All', 'TeamSettings.Read.All'] },
    matches: (change, ids) => change.container_id === ids.teamId,
  }),
  teams({
    path: '/teams/getAllChannels',
    resource: 'channel',
    changeTypes: all,
    permissions: appOnly(['Channel.ReadBasic.All', 'ChannelSettings.Read.All']),
    matches: () => true,
  }),
  teams({
    path: '/teams/{teamId}/channels',
    resource: 'channel',
    changeTypes: all,
    permissions: { delegated: ['Channel.ReadBasic.All', 'ChannelSettings.Read.All'], application: ['Channel.ReadBasic.All', 'ChannelSettings.Read.All'] },
    matches: (change, ids) => change.container_id === ids.teamId,
  }),
  teams({
    path: '/chats/getAllMembers',
    resource: 'chatMember',
    changeTypes: all,
    permissions: appOnly(chatMemberPermissions.application.slice(2)),
    matches: () => true,
  }),
  teams({
    path: '/chats/{chatId}/members',
    resource: 'chatMember',
    changeTypes: all,
    permissions: chatMemberPermissions,
    matches: (change, ids) => change.container_id === ids.chatId,
  }),
  teams({
    path: '/teams/getAllMembers',
    resource: 'teamMember',
    changeTypes: all,
    permissions: appOnly(['TeamMember.Read.All', 'TeamMember.ReadWrite.All']),
    matches: () => true,
  }),
  teams({
    path: '/teams/{teamId}/members',
    resource: 'teamMember',
    changeTypes: all,
    permissions: { delegated: ['TeamMember.Read.All'], application: ['TeamMember.Read.Group', 'TeamMember.Read.All'] },
    matches: (change, ids) => change.container_id === ids.teamId,
  }),
  teams({
    path: '/teams/{teamId}/channels/getAllMembers',
    resource: 'channelMember',
    changeTypes: all,
    permissions: appOnly(['ChannelMember.Read.All']),
    matches: (change, ids) => change.container_id === ids.teamId,
  }),
  teams({
    path: '/teams/{teamId}/channels/{channelId}/members',
    resource: 'channelMember',
    changeTypes: all,
    permissions: { delegated: ['ChannelMember.Read.All'], application: ['ChannelMember.Read.All'] },
    matches: (change, ids) => change.channel_id === ids.channelId,
  }),
  {
    path: '/groups/{groupId}/conversations',
    resource: 'conversation',
    changeTypes: all,
    permissions: { delegated: ['Group.Read.All'], application: [] },
    maxMinutes: 4230,
    isTeams: false,
    query: [],
    matches: (change, ids) => change.container_id === ids.groupId,
  },
];

/** A subscription's resource, understood: its kind, the ids it names, and the query options it gives. */
export interface Target {
  readonly kind: TargetKind;
  readonly ids: TargetIds;
  readonly query: Readonly<Record<string, string>>;
}

/**
 * Reads a `resource` as Graph does: relative to the version root, with or without a leading slash,
 * segments in any case, ids in path or key syntax (`chats('19:…')/messages`), `me` for the caller.
 * Null when it names nothing a subscription can watch.
 */
export function parseTarget(resource: string, signedInUserId: string | null): Target | null {
  const [path = '', queryString = ''] = rewriteKeySegments(resource.trim()).split('?', 2) as [string, string?];
  let segments = path.split('/').filter((segment) => segment !== '');
  if (segments[0]?.toLowerCase() === 'me') {
    if (signedInUserId === null) return null;
    segments = ['users', signedInUserId, ...segments.slice(1)];
  }
  // As the router does, a literal segment wins over an id: `/teams/getAllChannels` is not a team.
  let best: { kind: TargetKind; ids: Record<string, string>; literals: number } | null = null;
  for (const kind of targetKinds) {
    const template = kind.path.split('/').filter((segment) => segment !== '');
    if (template.length !== segments.length) continue;
    const ids: Record<string, string> = {};
    const fits = template.every((part, at) => {
      const segment = decode(segments[at] as string);
      if (part.startsWith('{')) {
        ids[part.slice(1, -1)] = segment;
        return segment !== '';
      }
      return part.toLowerCase() === segment.toLowerCase();
    });
    const literals = template.filter((part) => !part.startsWith('{')).length;
    if (fits && (best === null || literals > best.literals)) best = { kind, ids, literals };
  }
  return best === null ? null : { kind: best.kind, ids: best.ids, query: Object.fromEntries(new URLSearchParams(queryString)) };
}

/** Graph's `resource` and `resourceData` of a change, as its notifications write them (concepts/teams-changenotifications-*.md). */
export function changedResource(change: Change): { resource: string; type: string; id: string } {
  const key = (value: string) => `('${value}')`;
  const membership = (item: string) => Buffer.from(item).toString('base64');
  const item = change.item_id ?? '';
  switch (change.resource) {
    case 'chatMessage':
      return { resource: `chats${key(change.container_id)}/messages${key(item)}`, type: '#Microsoft.Graph.chatMessage', id: item };
    case 'channelMessage': {
      const channel = `teams${key(change.container_id)}/channels${key(change.channel_id ?? '')}`;
      const path = change.reply_to_id === null ? `messages${key(item)}` : `messages${key(change.reply_to_id)}/replies${key(item)}`;
      return { resource: `${channel}/${path}`, type: '#Microsoft.Graph.chatMessage', id: item };
    }
    case 'chat':
      return { resource: `chats${key(change.container_id)}`, type: '#Microsoft.Graph.chat', id: change.container_id };
    case 'team':
      return { resource: `teams${key(change.container_id)}`, type: '#Microsoft.Graph.Team', id: change.container_id };
    case 'channel':
      return {
        resource: `teams${key(change.container_id)}/channels${key(change.channel_id ?? '')}`,
        type: '#Microsoft.Graph.Channel',
        id: change.channel_id ?? '',
      };
    case 'chatMember':
      return {
        resource: `chats${key(change.container_id)}/members${key(membership(item))}`,
        type: '#Microsoft.Graph.aadUserConversationMember',
        id: membership(item),
      };
    case 'teamMember':
      return {
        resource: `teams${key(change.container_id)}/members${key(membership(item))}`,
        type: '#Microsoft.Graph.aadUserConversationMember',
        id: membership(item),
      };
    case 'channelMember':
      return {
        resource: `teams${key(change.container_id)}/channels${key(change.channel_id ?? '')}/members${key(membership(item))}`,
        type: '#Microsoft.Graph.aadUserConversationMember',
        id: membership(item),
      };
    case 'conversation':
      return { resource: `groups${key(change.container_id)}/conversations${key(item)}`, type: '#Microsoft.Graph.conversation', id: item };
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
