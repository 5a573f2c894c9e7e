import type { Store } from '../../store/db.ts';
import type { ChannelTable, TeamTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { forbidden, notFound } from '../../wire/errors.ts';
import type { GroupsService } from '../groups/groups.service.ts';
import { hiddenUnlessAdmin, privateTeamHidden, teamArchived, teamNotFound } from '../teams/teams.rules.ts';
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

/** A scope decided on the facts this instance last read, with those facts, for a write they guard. */
export interface KnownChannel {
  readonly scope: ChannelScope;
  readonly params: channelsStore.ScopeParams;
  readonly facts: channelsStore.ScopeFacts;
}

// Bounds the facts remembered: past it they are forgotten, and the next request reads them again.
const knownMax = 10_000;

/**
 * Every access decision of the channels family in one place. Team visibility is the teams family's
 * rule (decision 10); a private or shared channel and its messages are open to its own members and
 * to applications; tenant admins also read its settings and roster, not its messages.
 */
export class ChannelAccess {
  // The scope facts last read for each caller and channel. Never trusted alone: a write decided on them
  // happens only if the database still holds them (channelsStore.scopeUnchanged), else it is decided
  // again on facts read afresh (docs/decisions.md 88).
  private readonly known = new Map<string, channelsStore.ScopeFacts>();

  constructor(
    private readonly store: Store,
    private readonly teams: TeamsService,
    private readonly groups: GroupsService,
    private readonly users: UsersService,
    private readonly rememberedFacts: boolean,
  ) {}

  readableTeam(principal: Principal, teamId: string): Promise<TeamTable> {
    return this.teams.get(principal, teamId);
  }

  /** A team the caller may change. */
  async writableTeam(principal: Principal, teamId: string): Promise<TeamTable> {
    const team = await this.teams.get(principal, teamId);
    const role = principal.userId === null ? null : await this.groups.roleOf(team.id, principal.userId);
    assertWritable(principal, team, role, role === null && (await this.users.isAdmin(principal)));
    return team;
  }

  /**
   * A channel and its team, read at once, if the caller may see them; `write` asks to change the
   * team's content, `messages` asks for the channel's conversation rather than its settings.
   */
  async channel(principal: Principal, teamId: string, channelId: string, use: ChannelUse = {}): Promise<ChannelScope> {
    const params = scopeParams(principal, teamId, channelId);
    const facts = await channelsStore.readScopeFacts(this.store.db, params);
    if (facts === undefined) throw teamNotFound(teamId);
    if (this.known.size >= knownMax) this.known.clear();
    if (this.rememberedFacts) this.known.set(knownKey(params), facts);
    return decide(principal, channelId, facts, use);
  }

  /**
   * The channel as `channel` would decide it on the facts last read for this caller, or undefined when
   * none are known or they refuse: a refusal is only ever given on facts read afresh.
   */
  knownChannel(principal: Principal, teamId: string, channelId: string, use: ChannelUse): KnownChannel | undefined {
    const params = scopeParams(principal, teamId, channelId);
    const facts = this.known.get(knownKey(params));
    if (facts === undefined) return undefined;
    try {
      return { scope: decide(principal, channelId, facts, use), params, facts };
    } catch {
      return undefined;
    }
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

function scopeParams(principal: Principal, teamId: string, channelId: string): channelsStore.ScopeParams {
  return { tenantId: principal.tenantId, teamId, channelId, userId: principal.userId };
}

const knownKey = (params: channelsStore.ScopeParams) => [params.tenantId, params.teamId, params.channelId, params.userId ?? ''].join('\n');

/**
 * The channel scope if the caller may use the channel so (the rules are the class's), decided from the
 * caller and the scope facts alone, without another read: a decision on remembered facts is then the
 * one fresh facts would give.
 */
function decide(principal: Principal, channelId: string, facts: channelsStore.ScopeFacts, use: ChannelUse): ChannelScope {
  const { team, teamRole, channel, channelRoles, caller, callerIsAdmin } = channelsStore.scopeOf(facts);
  if (hiddenUnlessAdmin(principal, team, teamRole) && !callerIsAdmin) throw privateTeamHidden(team.id);
  if (use.write === true) assertWritable(principal, team, teamRole, callerIsAdmin);
  if (channel === null || !seesChannel(principal, channel, channelRoles !== null, use.messages === true, callerIsAdmin)) throw channelNotFound(channelId);
  return { team, channel, caller };
}

/** Not archived, and the caller in it (or an admin, or an app). */
function assertWritable(principal: Principal, team: TeamTable, role: 'owner' | 'member' | null, isAdmin: boolean): void {
  if (team.is_archived === 1) throw teamArchived(team.id);
  if (principal.userId !== null && role === null && !isAdmin) throw forbidden(`The caller is not a member of team ${team.id}.`);
}

/** Members of the team who are not in a private or shared channel do not see it (channel-list.md); admins see its settings. */
function seesChannel(principal: Principal, channel: ChannelTable, isMember: boolean, forMessages: boolean, isAdmin: boolean): boolean {
  if (channel.membership_type === 'standard' || principal.userId === null || isMember) return true;
  return !forMessages && isAdmin;
}
