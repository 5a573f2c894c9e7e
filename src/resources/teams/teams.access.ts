import type { Store } from '../../store/db.ts';
import type { TeamTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { forbidden } from '../../wire/errors.ts';
import type { GroupsService } from '../groups/groups.service.ts';
import type { UsersService } from '../users/users.service.ts';
import { hiddenUnlessAdmin, privateTeamHidden, teamArchived, teamNotFound } from './teams.rules.ts';
import * as teamsStore from './teams.store.ts';

/**
 * Who may see a team and who may change it: every team rule the teams family asks, and the channels
 * family's access asks too (decision 40), so that a rule added here holds on every route.
 */
export class TeamAccess {
  constructor(
    private readonly store: Store,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
  ) {}

  /** A team the caller may see: a private one is hidden from delegated callers outside it, tenant admins apart. */
  async visible(principal: Principal, teamId: string): Promise<TeamTable> {
    const team = await teamsStore.findTeam(this.store.db, principal.tenantId, teamId);
    if (team === undefined) throw teamNotFound(teamId);
    const role = team.visibility === 'private' && principal.userId !== null ? await this.groups.roleOf(team.id, principal.userId) : null;
    if (hiddenUnlessAdmin(principal, team, role) && !(await this.users.isAdmin(principal))) throw privateTeamHidden(team.id);
    return team;
  }

  /** A team whose roster and archive state the caller may change: its owners, tenant admins and applications. */
  async owned(principal: Principal, teamId: string): Promise<TeamTable> {
    const team = await this.visible(principal, teamId);
    if (principal.userId === null || (await this.groups.roleOf(team.id, principal.userId)) === 'owner') return team;
    if (await this.users.isAdmin(principal)) return team;
    throw forbidden(`Only an owner of team ${team.id} can change it.`);
  }

  /** A team whose settings the caller may change: owned, and not archived, as an archived team is read-only (team-archive.md). */
  async settable(principal: Principal, teamId: string): Promise<TeamTable> {
    const team = await this.owned(principal, teamId);
    if (team.is_archived === 1) throw teamArchived(team.id);
    return team;
  }
}
