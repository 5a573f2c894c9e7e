import { sql } from 'kysely';
import type { FilterNode, ListQuery } from '../../query/list-query.ts';
import { type ListColumns, applyFilter, listPage } from '../../store/list-query.ts';
import type { ChannelMemberTable, ChannelSharedTeamTable, ChannelTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';

export function findChannel(h: Handle, teamId: string, channelId: string) {
  return h.selectFrom('channels').selectAll().where('team_id', '=', teamId).where('id', '=', channelId).executeTakeFirst();
}

/** A channel of the given name in the team, compared as the unique index does: case-insensitively. */
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
  let query = h.selectFrom('channels').selectAll().where('team_id', '=', teamId);
  if (memberId !== null) {
    query = query.where((eb) =>
      eb.or([
        eb('membership_type', '=', 'standard'),
        eb.exists(eb.selectFrom('channel_members').select('user_id').whereRef('channel_members.channel_id', '=', 'channels.id').where('channel_members.user_id', '=', memberId)),
      ]),
    );
  }
  return listPage(query, channelColumns, list);
}

export function insertChannel(h: Handle, row: ChannelTable) {
  return h.insertInto('channels').values(row).execute();
}

export function updateChannel(h: Handle, channelId: string, changes: Partial<Omit<ChannelTable, 'id' | 'team_id'>>) {
  return h.updateTable('channels').set(changes).where('id', '=', channelId).execute();
}

/** Removes the channel with its roster, shares and messages. */
export async function deleteChannel(h: Handle, channelId: string): Promise<void> {
  await h.deleteFrom('messages').where('container_id', '=', channelId).execute();
  await h.deleteFrom('channel_members').where('channel_id', '=', channelId).execute();
  await h.deleteFrom('channel_shared_teams').where('channel_id', '=', channelId).execute();
  await h.deleteFrom('channels').where('id', '=', channelId).execute();
}

export function insertMembers(h: Handle, rows: readonly ChannelMemberTable[]) {
  if (rows.length === 0) return Promise.resolve();
  return h.insertInto('channel_members').values([...rows]).execute();
}

export function findMember(h: Handle, channelId: string, userId: string) {
  return h.selectFrom('channel_members').selectAll().where('channel_id', '=', channelId).where('user_id', '=', userId).executeTakeFirst();
}

export function listMembers(h: Handle, channelId: string) {
  return h
    .selectFrom('channel_members')
    .innerJoin('users', 'users.id', 'channel_members.user_id')
    .selectAll('users')
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
    .select([sql<number>`count(*)`.as('members'), sql<number>`sum(case when roles like '%"owner"%' then 1 else 0 end)`.as('owners'), sql<number>`sum(case when roles like '%"guest"%' then 1 else 0 end)`.as('guests')])
    .where('channel_id', '=', channelId)
    .executeTakeFirstOrThrow();
}

export function insertSharedTeams(h: Handle, rows: readonly ChannelSharedTeamTable[]) {
  return h.insertInto('channel_shared_teams').values([...rows]).execute();
}

export function listSharedTeams(h: Handle, channelId: string) {
  return h
    .selectFrom('channel_shared_teams')
    .innerJoin('teams', 'teams.id', 'channel_shared_teams.team_id')
    .selectAll('teams')
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
    .selectAll('channels')
    .where('channel_shared_teams.team_id', '=', teamId)
    .where('channel_shared_teams.is_host_team', '=', 0);
  return applyFilter(query, channelColumns, filter).orderBy('channels.id').execute();
}
