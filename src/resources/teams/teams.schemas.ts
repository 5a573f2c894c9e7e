import Type, { type Static } from 'typebox';
import type { TeamTable } from '../../store/schema.ts';

export const teamProperties = [
  'id',
  'createdDateTime',
  'displayName',
  'description',
  'internalId',
  'classification',
  'specialization',
  'visibility',
  'webUrl',
  'isArchived',
  'tenantId',
  'isMembershipLimitedToOwners',
  'memberSettings',
  'guestSettings',
  'messagingSettings',
  'funSettings',
  'summary',
] as const;

type Team = Record<(typeof teamProperties)[number], unknown>;

export interface TeamSettings {
  memberSettings: Record<string, boolean>;
  guestSettings: Record<string, boolean>;
  messagingSettings: Record<string, boolean>;
  funSettings: Record<string, boolean | string>;
}

// Teams' defaults for a new team (api-reference/v1.0/api/team-post.md, example responses).
export const defaultTeamSettings: TeamSettings = {
  memberSettings: {
    allowCreateUpdateChannels: true,
    allowCreatePrivateChannels: true,
    allowDeleteChannels: true,
    allowAddRemoveApps: true,
    allowCreateUpdateRemoveTabs: true,
    allowCreateUpdateRemoveConnectors: true,
  },
  guestSettings: { allowCreateUpdateChannels: false, allowDeleteChannels: false },
  messagingSettings: {
    allowUserEditMessages: true,
    allowUserDeleteMessages: true,
    allowOwnerDeleteMessages: true,
    allowTeamMentions: true,
    allowChannelMentions: true,
  },
  funSettings: { allowGiphy: true, giphyContentRating: 'moderate', allowStickersAndMemes: true, allowCustomMemes: true },
};

function teamWebUrl(row: Pick<TeamTable, 'id' | 'internal_id' | 'tenant_id'>): string {
  return `https://teams.microsoft.com/l/team/${encodeURIComponent(row.internal_id)}/conversations?groupId=${row.id}&tenantId=${row.tenant_id}`;
}

export function teamJson(row: TeamTable): Team {
  const settings = JSON.parse(row.settings) as TeamSettings;
  return {
    id: row.id,
    createdDateTime: row.created_date_time,
    displayName: row.display_name,
    description: row.description,
    internalId: row.internal_id,
    classification: row.classification,
    specialization: row.specialization,
    visibility: row.visibility,
    webUrl: teamWebUrl(row),
    isArchived: row.is_archived === 1,
    tenantId: row.tenant_id,
    isMembershipLimitedToOwners: null,
    ...settings,
    summary: null,
  };
}

// List joinedTeams reports only id, displayName, description, isArchived and tenantId
// (api-reference/v1.0/api/user-list-joinedteams.md); the other properties read null there.
export function joinedTeamJson(row: TeamTable): Team {
  const nulls = Object.fromEntries(teamProperties.map((name) => [name, null])) as Team;
  return {
    ...nulls,
    id: row.id,
    displayName: row.display_name,
    description: row.description,
    isArchived: row.is_archived === 1,
    tenantId: row.tenant_id,
  };
}

// The settings objects of the team resource; a request may send any subset (team-update.md).
const flags = (names: readonly string[]) =>
  Type.Object(Object.fromEntries(names.map((name) => [name, Type.Optional(Type.Boolean())])), { additionalProperties: false });
const settingsProperties = {
  memberSettings: Type.Optional(flags(Object.keys(defaultTeamSettings.memberSettings))),
  guestSettings: Type.Optional(flags(Object.keys(defaultTeamSettings.guestSettings))),
  messagingSettings: Type.Optional(flags(Object.keys(defaultTeamSettings.messagingSettings))),
  funSettings: Type.Optional(
    Type.Object(
      {
        allowGiphy: Type.Optional(Type.Boolean()),
        giphyContentRating: Type.Optional(Type.String()),
        allowStickersAndMemes: Type.Optional(Type.Boolean()),
        allowCustomMemes: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
  ),
};
export type TeamSettingsBody = Static<Type.TObject<typeof settingsProperties>>;

export const TeamUpdateBody = Type.Object({
  '@odata.type': Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  visibility: Type.Optional(Type.String()),
  ...settingsProperties,
});
export type TeamUpdateBody = Static<typeof TeamUpdateBody>;

const NewTeamChannel = Type.Object({
  displayName: Type.Optional(Type.String()),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  isFavoriteByDefault: Type.Optional(Type.Boolean()),
  tabs: Type.Optional(Type.Array(Type.Unknown())),
});
export type NewTeamChannel = Static<typeof NewTeamChannel>;

// Every example of team-post.md; tabs, installedApps and discoverySettings are accepted and not kept.
export const TeamCreateBody = Type.Object({
  '@odata.type': Type.Optional(Type.String()),
  'template@odata.bind': Type.Optional(Type.String()),
  'group@odata.bind': Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  visibility: Type.Optional(Type.String()),
  specialization: Type.Optional(Type.String()),
  channels: Type.Optional(Type.Array(NewTeamChannel)),
  members: Type.Optional(
    Type.Array(
      Type.Object({
        '@odata.type': Type.Optional(Type.String()),
        'user@odata.bind': Type.Optional(Type.String()),
        roles: Type.Optional(Type.Array(Type.String())),
      }),
    ),
  ),
  discoverySettings: Type.Optional(Type.Object({ showInTeamsSearchAndSuggestions: Type.Optional(Type.Boolean()) })),
  installedApps: Type.Optional(Type.Array(Type.Object({ 'teamsApp@odata.bind': Type.String() }))),
  ...settingsProperties,
});
export type TeamCreateBody = Static<typeof TeamCreateBody>;
