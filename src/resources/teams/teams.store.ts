import type { ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import { prepare } from '../../store/prepared.ts';
import type { TeamTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf } from '../../store/columns.ts';

// Every team request reads its team first: built once, the read costs only its run.
const teamQuery = prepare(['tenantId', 'teamId'], (h, p: { tenantId: string; teamId: string }) =>
  h.selectFrom('teams').select(allOf('teams')).where('tenant_id', '=', p.tenantId).where('id', '=', p.teamId),
);

export async function findTeam(h: Handle, tenantId: string, teamId: string) {
  const [team] = (await teamQuery(h, { tenantId, teamId })).rows;
  return team;
}

/** joinedTeams takes no $filter or $orderby (user-list-joinedteams.md): it pages by team id. */
const joinedTeamColumns: ListColumns = { id: { type: 'guid', column: 'teams.id' } };

/** Teams whose group has the user as owner or member. */
export function listJoinedTeams(h: Handle, tenantId: string, userId: string, list: ListQuery) {
  const query = h
    .selectFrom('teams')
    .innerJoin('group_members', 'group_members.group_id', 'teams.id')
    .select(allOf('teams'))
    .where('teams.tenant_id', '=', tenantId)
    .where('group_members.user_id', '=', userId);
  return listPage(query, joinedTeamColumns, list);
}

export function insertTeam(h: Handle, row: TeamTable) {
  return h.insertInto('teams').values(row).execute();
}

export function updateTeam(h: Handle, teamId: string, changes: Partial<Omit<TeamTable, 'id' | 'tenant_id'>>) {
  return h.updateTable('teams').set(changes).where('id', '=', teamId).execute();
}
