import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import type { OperationTable, TeamTable } from '../../store/schema.ts';
import { type Handle, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { badRequest, forbidden } from '../../wire/errors.ts';
import type { GroupsService } from '../groups/groups.service.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import type { UsersService } from '../users/users.service.ts';
import type { TeamAccess } from './teams.access.ts';
import { assertTeamName, mergeSettings, parseVisibility } from './teams.rules.ts';
import type { TeamSettings, TeamUpdateBody } from './teams.schemas.ts';
import * as teamsStore from './teams.store.ts';

const groupVisibility = { public: 'Public', private: 'Private' } as const;

export class TeamsService {
  constructor(
    private readonly store: Store,
    private readonly access: TeamAccess,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly operations: OperationsService,
  ) {
    // Archiving is asynchronous: the flag flips when the operation succeeds (team-archive.md).
    operations.register('archiveTeam', (tx, operation) => setArchived(tx, operation, 1));
    operations.register('unarchiveTeam', (tx, operation) => setArchived(tx, operation, 0));
  }

  get(principal: Principal, teamId: string): Promise<TeamTable> {
    return this.access.visible(principal, teamId);
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
    const team = await this.access.settable(principal, teamId);
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
    const team = await this.access.owned(principal, teamId);
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
