import { StoreParentMissing } from '../../store/errors.ts';
import type { UserTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { GraphError, badRequest, notFound } from '../../wire/errors.ts';
import type { ChannelMembersService } from '../channels/channel-members.service.ts';
import { userIdOfMembership } from '../channels/channels.schemas.ts';
import type { ConversationMemberBody } from '../channels/channels.schemas.ts';
import type { GroupsService } from '../groups/groups.service.ts';
import { teamNotFound } from './teams.rules.ts';
import type { TeamAccess } from './teams.access.ts';

export interface TeamMemberView {
  readonly user: UserTable;
  readonly roles: string[];
}

/**
 * A team's roster is its group's owners and members (team-list-members.md): owners read ["owner"],
 * guests ["guest"], everyone else []. Graph lets membership change while a team is archived (team-archive.md).
 */
export class TeamMembersService {
  constructor(
    private readonly access: TeamAccess,
    private readonly groups: GroupsService,
    private readonly channelMembers: ChannelMembersService,
  ) {}

  async list(principal: Principal, teamId: string): Promise<TeamMemberView[]> {
    const team = await this.access.visible(principal, teamId);
    const members = await this.groups.members(team.id);
    return members.map(({ user, role }) => ({ user, roles: user.user_type === 'Guest' ? ['guest'] : role === 'owner' ? ['owner'] : [] }));
  }

  async get(principal: Principal, teamId: string, membershipId: string): Promise<TeamMemberView> {
    const members = await this.list(principal, teamId);
    const userId = userIdOfMembership(teamId, membershipId);
    const member = members.find((view) => view.user.id === userId);
    if (member === undefined) throw notFound(`Member ${membershipId} was not found in the team.`);
    return member;
  }

  /** roles is ["owner"] or [] (team-post-members.md); a guest is never an owner. */
  async add(principal: Principal, teamId: string, body: ConversationMemberBody): Promise<TeamMemberView> {
    const team = await this.access.owned(principal, teamId);
    const [member] = await this.channelMembers.resolve(principal, team.id, 'standard', [body]);
    if (member === undefined) throw badRequest("The member needs 'user@odata.bind'.");
    let isAdded: boolean;
    try {
      isAdded = await this.groups.addMember(team.id, member.user.id, member.roles.includes('owner') ? 'owner' : 'member');
    } catch (err) {
      // The team's group was removed since it was read (by a reset).
      if (err instanceof StoreParentMissing) throw teamNotFound(teamId);
      throw err;
    }
    if (!isAdded) throw new GraphError('Conflict', `User ${member.user.id} is already a member of the team.`);
    return { user: member.user, roles: [...member.roles] };
  }

  /** The last owner stays: a team without an owner could not be managed or archived (team-archive.md). */
  async remove(principal: Principal, teamId: string, membershipId: string): Promise<void> {
    const team = await this.access.owned(principal, teamId);
    const member = await this.get(principal, team.id, membershipId);
    if (member.roles.includes('owner') && (await this.groups.ownersCount(team.id)) === 1) {
      throw badRequest(`User ${member.user.id} is the last owner of team ${team.id} and cannot be removed.`);
    }
    await this.groups.removeMember(team.id, member.user.id);
  }
}
