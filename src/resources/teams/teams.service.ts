import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import type { OperationTable, TeamTable } from '../../store/schema.ts';
import { type Handle, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { badRequest, forbidden } from '../../wire/errors.ts';
import type { GroupsService } from '../groups/groups.service.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import type { UsersService } from '../users/users.service.ts';
import { assertTeamName, hiddenUnlessAdmin, mergeSettings, parseVisibility, privateTeamHidden, teamArchived, teamNotFound } from './teams.rules.ts';
import type { TeamSettings, TeamUpdateBody } from './teams.schemas.ts';
import * as teamsStore from './teams.store.ts';

const groupVisibility = { public: 'Public', private: 'Private' } as const;

export class TeamsService {
  constructor(
    private readonly store: Store,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly operations: OperationsService,
  ) {
    // Archiving is asynchronous: the flag flips when the operation succeeds (team-archive.md).
    operations.register('archiveTeam', (tx, operation) => setArchived(tx, operation, 1));
    operations.register('unarchiveTeam', (tx, operation) => setArchived(tx, operation, 0));
  }

  async get(principal: Principal, teamId: string): Promise<TeamTable> {
    const team = await teamsStore.findTeam(this.store.db, principal.tenantId, teamId);
    if (team === undefined) throw teamNotFound(teamId);
    const role = team.visibility === 'private' && principal.userId !== null ? await this.groups.roleOf(team.id, principal.userId) : null;
    await this.assertVisible(principal, team, role);
    return team;
  }

  /** A private team is hidden from delegated callers outside it, tenant admins apart; `role` is the caller's in the team. */
  private async assertVisible(principal: Principal, team: TeamTable, role: 'owner' | 'member' | null): Promise<void> {
    if (hiddenUnlessAdmin(principal, team, role) && !(await this.users.isAdmin(principal))) throw privateTeamHidden(team.id);
  }

  /** A team whose settings and roster the caller may change: its owners, tenant admins and applications. */
  async owned(principal: Principal, teamId: string): Promise<TeamTable> {
    const team = await this.get(principal, teamId);
    if (principal.userId === null || (await this.groups.roleOf(team.id, principal.userId)) === 'owner') return team;
    if (await this.users.isAdmin(principal)) return team;
    throw forbidden(`Only an owner of team ${team.id} can change it.`);
  }

  /** With delegated permissions Graph lists joined teams for the signed-in user only (user-list-joinedteams.md). */
  async listJoined(principal: Principal, userIdOrUpn: string, list: ListQuery): Promise<ListPage<TeamTable>> {
    const user = await this.users.get(principal, userIdOrUpn);
    if (principal.userId !== null && principal.userId !== user.id) {
      throw forbidden('With delegated permissions, joinedTeams can be listed only for the signed-in user.');
    }
    return teamsStore.listJoinedTeams(this.store.db, principal.tenantId, user.id, list);
  }

  /** Settings objects merge member by member; name, description and visibility are the group's too (team-update.md). */
  async update(principal: Principal, teamId: string, body: TeamUpdateBody): Promise<void> {
    const team = await this.owned(principal, teamId);
    if (team.is_archived === 1) throw teamArchived(team.id);
    if (body.displayName !== undefined) assertTeamName(body.displayName);
    const visibility = parseVisibility(body.visibility, team.visibility);
    const settings = mergeSettings(JSON.parse(team.settings) as TeamSettings, body);
    const description = body.description === undefined ? team.description : body.description;
    const displayName = body.displayName ?? team.display_name;
    await withTransaction(this.store, async (tx) => {
      await teamsStore.updateTeam(tx, team.id, { display_name: displayName, description, visibility, settings: JSON.stringify(settings) });
      await this.groups.update(tx, team.id, { display_name: displayName, description, visibility: groupVisibility[visibility] });
    });
  }

  /** Starts archiving or unarchiving; the team and its group must have an owner (team-archive.md). */
  async setArchived(principal: Principal, teamId: string, isArchived: boolean): Promise<{ teamId: string; operationId: string }> {
    const team = await this.owned(principal, teamId);
    if ((await this.groups.ownersCount(team.id)) === 0) throw badRequest(`Team ${team.id} has no owner; add an owner before archiving or unarchiving it.`);
    const operation = await withTransaction(this.store, (tx) =>
      this.operations.enqueue(tx, {
        tenantId: team.tenant_id,
        parentKind: 'team',
        parentId: team.id,
        operationType: isArchived ? 'archiveTeam' : 'unarchiveTeam',
        targetResourceId: team.id,
        targetResourceLocation: `/teams('${team.id}')`,
        payload: {},
      }),
    );
    return { teamId: team.id, operationId: operation.id };
  }
}

async function setArchived(tx: Handle, operation: OperationTable, isArchived: 0 | 1): Promise<undefined> {
  await teamsStore.updateTeam(tx, operation.parent_id, { is_archived: isArchived });
  return undefined;
}
