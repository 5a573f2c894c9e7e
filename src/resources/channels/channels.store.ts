import { type SqlBool, sql } from 'kysely';
import type { FilterNode, ListQuery } from '../../query/list-query.ts';
import { type ListColumns, applyFilter, listPage } from '../../store/list-query.ts';
import type { ChannelMemberTable, ChannelSharedTeamTable, ChannelTable, TeamTable } from '../../store/schema.ts';
import { prepare } from '../../store/prepared.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf, every, tableColumns } from '../../store/columns.ts';

/** Whose channel facts a scope read asks for: the caller's tenant and user (null for an app), a team and a channel. */
export interface ScopeParams {
  readonly tenantId: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly userId: string | null;
}

/**
 * A team, the caller's role in it, one of its channels, the caller's channel roles and the caller's
 * name and admin flag, in one read: channel requests need them all, and reading them at once saves
 * round trips. Missing parts come back null (no channel, not a member, an application).
 */
function scopeQuery(h: Handle, p: ScopeParams) {
  return h
    .selectFrom('teams')
    .leftJoin('group_members', (join) => join.onRef('group_members.group_id', '=', 'teams.id').on('group_members.user_id', '=', p.userId))
    .leftJoin('channels', (join) => join.onRef('channels.team_id', '=', 'teams.id').on('channels.id', '=', p.channelId))
    .leftJoin('channel_members', (join) => join.onRef('channel_members.channel_id', '=', 'channels.id').on('channel_members.user_id', '=', p.userId))
    .leftJoin('users as caller', (join) => join.on('caller.id', '=', p.userId).on('caller.tenant_id', '=', p.tenantId))
    .select(allOf('teams'))
    .select([
      'caller.display_name as caller_display_name',
      'caller.tenant_id as caller_tenant_id',
      'caller.is_admin as caller_is_admin',
      'group_members.role as team_role',
      'channel_members.roles as channel_roles',
      'channels.id as channel_id',
      'channels.display_name as channel_display_name',
      'channels.description as channel_description',
      'channels.membership_type as channel_membership_type',
      'channels.layout_type as channel_layout_type',
      'channels.is_favorite_by_default as channel_is_favorite_by_default',
      'channels.is_archived as channel_is_archived',
      'channels.email as channel_email',
      'channels.migration_mode as channel_migration_mode',
      'channels.original_created_date_time as channel_original_created_date_time',
      'channels.created_date_time as channel_created_date_time',
    ])
    .where('teams.tenant_id', '=', p.tenantId)
    .where('teams.id', '=', p.teamId);
}

export const scopeParamNames = ['tenantId', 'teamId', 'channelId', 'userId'] as const;
const channelScopeQuery = prepare(scopeParamNames, scopeQuery);

/** The row a scope read returns, as the database returned it: what access decisions are made on. */
export type ScopeFacts = Awaited<ReturnType<typeof channelScopeQuery>>['rows'][number];

export async function readScopeFacts(h: Handle, params: ScopeParams): Promise<ScopeFacts | undefined> {
  const [row] = (await channelScopeQuery(h, params)).rows;
  return row;
}

/** The team, channel and caller that scope facts describe. */
export function scopeOf(facts: ScopeFacts) {
  const { team_role, channel_roles, channel_id, caller_display_name, caller_tenant_id, caller_is_admin, ...rest } = facts;
  const team: TeamTable = {
    id: rest.id,
    tenant_id: rest.tenant_id,
    display_name: rest.display_name,
    description: rest.description,
    internal_id: rest.internal_id,
    visibility: rest.visibility,
    specialization: rest.specialization,
    classification: rest.classification,
    is_archived: rest.is_archived,
    created_date_time: rest.created_date_time,
    settings: rest.settings,
  };
  const channel: ChannelTable | null =
    channel_id === null
      ? null
      : {
          id: channel_id,
          team_id: team.id,
          tenant_id: team.tenant_id,
          display_name: rest.channel_display_name as string,
          description: rest.channel_description,
          membership_type: rest.channel_membership_type as ChannelTable['membership_type'],
          layout_type: rest.channel_layout_type as ChannelTable['layout_type'],
          is_favorite_by_default: rest.channel_is_favorite_by_default,
          is_archived: rest.channel_is_archived as ChannelTable['is_archived'],
          email: rest.channel_email as string,
          migration_mode: rest.channel_migration_mode,
          original_created_date_time: rest.channel_original_created_date_time,
          created_date_time: rest.channel_created_date_time as string,
        };
  return {
    team,
    teamRole: team_role,
    channel,
    channelRoles: channel_roles === null ? null : (JSON.parse(channel_roles) as string[]),
    caller: caller_display_name === null || caller_tenant_id === null ? null : { displayName: caller_display_name, tenantId: caller_tenant_id },
    callerIsAdmin: caller_is_admin === 1,
  };
}

/** Every column of the scope facts, as `every` checks them against the read's row type. */
export const scopeFactColumns = every<ScopeFacts>({
  ...(Object.fromEntries(tableColumns.teams.map((column) => [column, true] as const)) as Record<keyof TeamTable, true>),
  caller_display_name: true,
  caller_tenant_id: true,
  caller_is_admin: true,
  team_role: true,
  channel_roles: true,
  channel_id: true,
  channel_display_name: true,
  channel_description: true,
  channel_membership_type: true,
  channel_layout_type: true,
  channel_is_favorite_by_default: true,
  channel_is_archived: true,
  channel_email: true,
  channel_migration_mode: true,
  channel_original_created_date_time: true,
  channel_created_date_time: true,
});

/**
 * A condition that holds while the scope read for `params` still returns exactly `facts`, column by
 * column (null equal to null): a write guarded by it happens on the facts it was decided on, or not
 * at all. For prepared statements, `params` and `facts` may be placeholders.
 */
export function scopeUnchanged(h: Handle, params: ScopeParams, facts: Readonly<Record<keyof ScopeFacts, unknown>>) {
  const same = scopeFactColumns.map((column) => sql<SqlBool>`${sql.ref(`scope.${column}`)} is not distinct from ${facts[column]}`);
  return sql<SqlBool>`exists (select 1 from (${scopeQuery(h, params)}) as scope where ${sql.join(same, sql` and `)})`;
}

/** A channel of the given name in the team, compared as the unique index does: case-insensitively. */
export function findChannel(h: Handle, channelId: string) {
  return h.selectFrom('channels').select(allOf('channels')).where('id', '=', channelId).executeTakeFirst();
}

export function findChannelByName(h: Handle, teamId: string, displayName: string) {
  return h
    .selectFrom('channels')
    .select('id')
    .where('team_id', '=', teamId)
    .where(sql<string>`lower(display_name)`, '=', displayName.toLowerCase())
    .executeTakeFirst();
}

/** The channel properties $filter and $orderby reach (channel-list.md), and their columns. */
export const channelColumns: ListColumns = {
  id: { type: 'string', column: 'channels.id' },
  displayName: { type: 'string', column: 'channels.display_name' },
  description: { type: 'string', column: 'channels.description' },
  membershipType: { type: 'enum', values: ['standard', 'private', 'unknownFutureValue', 'shared'], column: 'channels.membership_type' },
  isArchived: { type: 'boolean', column: 'channels.is_archived' },
  createdDateTime: { type: 'dateTime', column: 'channels.created_date_time' },
};

/** A team's channels; private and shared ones only for their members unless `memberId` is null. */
export function listChannels(h: Handle, teamId: string, memberId: string | null, list: ListQuery) {
  let query = h.selectFrom('channels').select(allOf('channels')).where('team_id', '=', teamId);
  if (memberId !== null) {
    query = query.where((eb) =>
      eb.or([
        eb('membership_type', '=', 'standard'),
        eb.exists(
          eb
            .selectFrom('channel_members')
            .select('user_id')
            .whereRef('channel_members.channel_id', '=', 'channels.id')
            .where('channel_members.user_id', '=', memberId),
        ),
      ]),
    );
  }
  return listPage(query, channelColumns, list);
}

export function insertChannel(h: Handle, row: ChannelTable) {
  return h.insertInto('channels').values(row).execute();
}

export async function updateChannel(h: Handle, channelId: string, changes: Partial<Omit<ChannelTable, 'id' | 'team_id'>>): Promise<void> {
  if (Object.keys(changes).length === 0) return; // a PATCH that changes nothing; SQL has no empty SET
  await h.updateTable('channels').set(changes).where('id', '=', channelId).execute();
}

/**
 * Removes the channel; its foreign keys remove its roster, shares and messages with it, in the same
 * statement, with whatever a request adds to them until this commits.
 */
export async function deleteChannel(h: Handle, channelId: string): Promise<void> {
  await h.deleteFrom('channels').where('id', '=', channelId).execute();
}

export function insertMembers(h: Handle, rows: readonly ChannelMemberTable[]) {
  if (rows.length === 0) return Promise.resolve();
  return h
    .insertInto('channel_members')
    .values([...rows])
    .execute();
}

export function findMember(h: Handle, channelId: string, userId: string) {
  return h.selectFrom('channel_members').select(allOf('channel_members')).where('channel_id', '=', channelId).where('user_id', '=', userId).executeTakeFirst();
}

export function listMembers(h: Handle, channelId: string) {
  return h
    .selectFrom('channel_members')
    .innerJoin('users', 'users.id', 'channel_members.user_id')
    .select(allOf('users'))
    .select(['channel_members.roles as member_roles'])
    .where('channel_members.channel_id', '=', channelId)
    .orderBy('channel_members.created_date_time')
    .orderBy('users.id')
    .execute();
}

export function updateMemberRoles(h: Handle, channelId: string, userId: string, roles: string) {
  return h.updateTable('channel_members').set({ roles }).where('channel_id', '=', channelId).where('user_id', '=', userId).execute();
}

export function deleteMember(h: Handle, channelId: string, userId: string) {
  return h.deleteFrom('channel_members').where('channel_id', '=', channelId).where('user_id', '=', userId).execute();
}

export function countMembers(h: Handle, channelId: string) {
  return h
    .selectFrom('channel_members')
    .select([
      sql<number>`count(*)`.as('members'),
      sql<number>`sum(case when roles like '%"owner"%' then 1 else 0 end)`.as('owners'),
      sql<number>`sum(case when roles like '%"guest"%' then 1 else 0 end)`.as('guests'),
    ])
    .where('channel_id', '=', channelId)
    .executeTakeFirstOrThrow();
}

export function insertSharedTeams(h: Handle, rows: readonly ChannelSharedTeamTable[]) {
  return h
    .insertInto('channel_shared_teams')
    .values([...rows])
    .execute();
}

export function listSharedTeams(h: Handle, channelId: string) {
  return h
    .selectFrom('channel_shared_teams')
    .innerJoin('teams', 'teams.id', 'channel_shared_teams.team_id')
    .select(allOf('teams'))
    .select('channel_shared_teams.is_host_team')
    .where('channel_shared_teams.channel_id', '=', channelId)
    .orderBy('channel_shared_teams.is_host_team', 'desc')
    .orderBy('teams.id')
    .execute();
}

/** Shared channels other teams host and share with this team (team-list-incomingchannels.md). */
export function listIncomingChannels(h: Handle, teamId: string, filter: FilterNode | null) {
  const query = h
    .selectFrom('channel_shared_teams')
    .innerJoin('channels', 'channels.id', 'channel_shared_teams.channel_id')
    .select(allOf('channels'))
    .where('channel_shared_teams.team_id', '=', teamId)
    .where('channel_shared_teams.is_host_team', '=', 0);
  return applyFilter(query, channelColumns, filter).orderBy('channels.id').execute();
}
