import type { Store } from '../../store/db.ts';
import type { ChannelTable, TeamTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { forbidden, notFound } from '../../wire/errors.ts';
import type { GroupsService } from '../groups/groups.service.ts';
import { teamArchived, teamNotFound } from '../teams/teams.rules.ts';
import type { TeamsService } from '../teams/teams.service.ts';
import type { UsersService } from '../users/users.service.ts';
import * as channelsStore from './channels.store.ts';

// An archived channel takes no new messages and no settings changes (channel-archive.md); it can still be deleted.
export const channelArchived = (channelId: string) => forbidden(`Channel ${channelId} is archived and read-only; unarchive it first.`);
/** How a request uses a channel; see ChannelAccess.channel. */
export interface ChannelUse {
  readonly write?: boolean;
  readonly messages?: boolean;
}

export interface ChannelScope {
  readonly team: TeamTable;
  readonly channel: ChannelTable;
  /** The signed-in user's name and tenant, as a message they send shows them; null for an app. */
  readonly caller: { readonly displayName: string; readonly tenantId: string } | null;
}

export const channelNotFound = (channelId: string) => notFound(`Channel ${channelId} was not found in the team.`);

/**
 * Every access decision of the channels family in one place. Team visibility is the teams family's
 * rule (decision 10); a private or shared channel and its messages are open to its own members and
 * to applications; tenant admins also read its settings and roster, not its messages.
 */
export class ChannelAccess {
  constructor(
    private readonly store: Store,
    private readonly teams: TeamsService,
    private readonly groups: GroupsService,
    private readonly users: UsersService,
  ) {}

  readableTeam(principal: Principal, teamId: string): Promise<TeamTable> {
    return this.teams.get(principal, teamId);
  }

  /** A team the caller may change. */
  async writableTeam(principal: Principal, teamId: string): Promise<TeamTable> {
    const team = await this.teams.get(principal, teamId);
    await this.assertWritable(principal, team, principal.userId === null ? null : await this.groups.roleOf(team.id, principal.userId));
    return team;
  }

  /**
   * A channel and its team, read at once, if the caller may see them; `write` asks to change the
   * team's content, `messages` asks for the channel's conversation rather than its settings.
   */
  async channel(principal: Principal, teamId: string, channelId: string, use: ChannelUse = {}): Promise<ChannelScope> {
    const scope = await channelsStore.findChannelScope(this.store.db, principal.tenantId, teamId, channelId, principal.userId);
    if (scope === undefined) throw teamNotFound(teamId);
    const { team, channel } = scope;
    await this.teams.assertVisible(principal, team, scope.teamRole);
    if (use.write === true) await this.assertWritable(principal, team, scope.teamRole);
    if (channel === null || !(await this.seesChannel(principal, channel, scope.channelRoles !== null, use.messages === true))) throw channelNotFound(channelId);
    return { team, channel, caller: scope.caller };
  }

  /** Not archived, and the caller in it (or an admin, or an app). */
  private async assertWritable(principal: Principal, team: TeamTable, role: 'owner' | 'member' | null): Promise<void> {
    if (team.is_archived === 1) throw teamArchived(team.id);
    if (principal.userId !== null && role === null && !(await this.users.isAdmin(principal))) throw forbidden(`The caller is not a member of team ${team.id}.`);
  }

  /** Members of the team who are not in a private or shared channel do not see it (channel-list.md); admins see its settings. */
  private async seesChannel(principal: Principal, channel: ChannelTable, isMember: boolean, forMessages: boolean): Promise<boolean> {
    if (channel.membership_type === 'standard' || principal.userId === null || isMember) return true;
    return !forMessages && this.users.isAdmin(principal);
  }

  /** Whether the caller owns the channel: its owner role, or, for a standard channel, the team's. */
  async ownsChannel(principal: Principal, channel: ChannelTable): Promise<boolean> {
    if (principal.userId === null || (await this.users.isAdmin(principal))) return true;
    if (channel.membership_type === 'standard') return (await this.groups.roleOf(channel.team_id, principal.userId)) === 'owner';
    const member = await channelsStore.findMember(this.store.db, channel.id, principal.userId);
    return member !== undefined && (JSON.parse(member.roles) as string[]).includes('owner');
  }

  /** Owner, member and guest counts of a team, for a standard channel's summary. */
  async teamCounts(teamId: string): Promise<{ owners: number; members: number; guests: number }> {
    const members = await this.groups.members(teamId);
    return {
      owners: members.filter((member) => member.role === 'owner').length,
      members: members.length,
      guests: members.filter((member) => member.user.user_type === 'Guest').length,
    };
  }

  async roleInTeam(teamId: string, userId: string): Promise<'owner' | 'member' | null> {
    return this.groups.roleOf(teamId, userId);
  }
}
