import Type, { type Static } from 'typebox';
import type { ChannelTable, TeamTable, UserTable } from '../../store/schema.ts';

// A conversationMember in a request body: `user@odata.bind` names the user by id or UPN
// (channel-post.md examples 2 and 4; channel-post-members.md).
export const ConversationMemberBody = Type.Object({
  '@odata.type': Type.Optional(Type.String()),
  'user@odata.bind': Type.Optional(Type.String()),
  roles: Type.Optional(Type.Array(Type.String())),
});
export type ConversationMemberBody = Static<typeof ConversationMemberBody>;

// Every example of channel-post.md; the service judges the values so that each rule answers in Graph's words.
export const ChannelCreateBody = Type.Object({
  '@odata.type': Type.Optional(Type.String()),
  '@microsoft.graph.channelCreationMode': Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  membershipType: Type.Optional(Type.String()),
  layoutType: Type.Optional(Type.Union([Type.Literal('post'), Type.Literal('chat')])),
  isFavoriteByDefault: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  createdDateTime: Type.Optional(Type.String()),
  members: Type.Optional(Type.Array(ConversationMemberBody)),
  sharedWithTeams: Type.Optional(Type.Array(Type.Object({ id: Type.String({ minLength: 1 }) }))),
});
export type ChannelCreateBody = Static<typeof ChannelCreateBody>;

export const ChannelUpdateBody = Type.Object({
  '@odata.type': Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  membershipType: Type.Optional(Type.String()),
  layoutType: Type.Optional(Type.Union([Type.Literal('post'), Type.Literal('chat')])),
  isFavoriteByDefault: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
});
export type ChannelUpdateBody = Static<typeof ChannelUpdateBody>;

export const channelProperties = [
  'id',
  'createdDateTime',
  'displayName',
  'description',
  'isFavoriteByDefault',
  'email',
  'tenantId',
  'webUrl',
  'membershipType',
  'layoutType',
  'isArchived',
  'migrationMode',
  'originalCreatedDateTime',
  'summary',
] as const;

type Channel = Record<(typeof channelProperties)[number], unknown>;

function channelWebUrl(row: Pick<ChannelTable, 'id' | 'display_name' | 'team_id' | 'tenant_id'>): string {
  return `https://teams.microsoft.com/l/channel/${encodeURIComponent(row.id)}/${encodeURIComponent(row.display_name)}?groupId=${row.team_id}&tenantId=${row.tenant_id}`;
}

/**
 * `shared` follows unknownFutureValue in channelMembershipType, so it reads unknownFutureValue
 * without `Prefer: include-unknown-enum-members` (graph-surface.md 1.12). `summary` appears only
 * when selected (channel-get.md), filled by the caller.
 */
export function channelJson(row: ChannelTable, includesUnknownEnumMembers: boolean, summary?: object): Partial<Channel> {
  return {
    id: row.id,
    createdDateTime: row.created_date_time,
    displayName: row.display_name,
    description: row.description,
    isFavoriteByDefault: row.is_favorite_by_default === null ? null : row.is_favorite_by_default === 1,
    email: row.email,
    tenantId: row.tenant_id,
    webUrl: channelWebUrl(row),
    membershipType: row.membership_type === 'shared' && !includesUnknownEnumMembers ? 'unknownFutureValue' : row.membership_type,
    layoutType: row.layout_type,
    isArchived: row.is_archived === 1,
    migrationMode: row.migration_mode,
    originalCreatedDateTime: row.original_created_date_time,
    ...(summary === undefined ? {} : { summary }),
  };
}

/** A channel or team membership id: base64 of `{containerId}##{userId}` (channel-post-members.md). */
function membershipId(containerId: string, userId: string): string {
  return Buffer.from(`${containerId}##${userId}`).toString('base64');
}

export function userIdOfMembership(containerId: string, id: string): string | null {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  return decoded.startsWith(`${containerId}##`) ? decoded.slice(containerId.length + 2) : null;
}

export const conversationMemberProperties = ['id', 'roles', 'displayName', 'visibleHistoryStartDateTime', 'userId', 'email', 'tenantId'] as const;

export function conversationMemberJson(containerId: string, user: UserTable, roles: readonly string[]): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    id: membershipId(containerId, user.id),
    roles,
    displayName: user.display_name,
    visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
    userId: user.id,
    email: user.mail,
    tenantId: user.tenant_id,
  };
}

export function sharedWithTeamJson(team: TeamTable, isHostTeam: boolean): Record<string, unknown> {
  return { id: team.id, displayName: team.display_name, tenantId: team.tenant_id, isHostTeam };
}
