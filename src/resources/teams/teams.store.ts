import type { TeamTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';

export function findTeam(h: Handle, tenantId: string, teamId: string) {
  return h.selectFrom('teams').selectAll().where('tenant_id', '=', tenantId).where('id', '=', teamId).executeTakeFirst();
}

/** Teams whose group has the user as owner or member, by team id. */
export function listJoinedTeams(h: Handle, tenantId: string, userId: string, afterId: string | null, limit: number) {
  let query = h
    .selectFrom('teams')
    .innerJoin('group_members', 'group_members.group_id', 'teams.id')
    .selectAll('teams')
    .where('teams.tenant_id', '=', tenantId)
    .where('group_members.user_id', '=', userId);
  if (afterId !== null) query = query.where('teams.id', '>', afterId);
  return query.orderBy('teams.id').limit(limit).execute();
}

export function insertTeam(h: Handle, row: TeamTable) {
  return h.insertInto('teams').values(row).execute();
}

export function updateTeam(h: Handle, teamId: string, changes: Partial<Omit<TeamTable, 'id' | 'tenant_id'>>) {
  return h.updateTable('teams').set(changes).where('id', '=', teamId).execute();
}
