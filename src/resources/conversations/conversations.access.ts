import type { Principal } from '../../wire/auth.ts';
import { GraphError } from '../../wire/errors.ts';
import type { GroupView, GroupsService } from '../groups/groups.service.ts';
import { teamNotFound } from '../teams/teams.rules.ts';
import type { UsersService } from '../users/users.service.ts';

// Exchange's words for a mailbox the caller may not open and for a group that has none
// (msgraph-sdk-javascript#506; the answer Graph gives for group mailbox APIs on a security group).
const accessDenied = () => new GraphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
const noGroupMailbox = () => new GraphError('ResourceNotFound', 'Resource could not be discovered.');

/** Who may read and write a group's conversations: every access decision of the family is here. */
export class ConversationsAccess {
  constructor(
    private readonly groups: GroupsService,
    private readonly users: UsersService,
  ) {}

  /**
   * The group, if it has a mailbox (only Microsoft 365 groups do) and the caller may use it: anyone in
   * the tenant for a public group; members, owners and tenant admins for a private one; apps always.
   */
  async groupFor(principal: Principal, groupId: string): Promise<GroupView> {
    const group = await this.groups.get(principal, groupId);
    const groupTypes = JSON.parse(group.row.group_types) as string[];
    if (!groupTypes.includes('Unified')) throw noGroupMailbox();
    if (group.row.visibility === 'Public' || principal.userId === null) return group;
    if ((await this.groups.roleOf(group.row.id, principal.userId)) !== null) return group;
    if (await this.users.isAdmin(principal)) return group;
    throw accessDenied();
  }

  /** `/me/joinedTeams/{id}` names only a team the signed-in user belongs to (user-list-joinedteams.md). */
  async joinedTeamFor(principal: Principal, userId: string, teamId: string): Promise<GroupView> {
    const noTeam = teamNotFound(teamId);
    const group = await this.groups.get(principal, teamId).catch((err: unknown) => {
      throw err instanceof GraphError ? noTeam : err;
    });
    if (!group.isTeam || (await this.groups.roleOf(group.row.id, userId)) === null) throw noTeam;
    return this.groupFor(principal, teamId);
  }
}
