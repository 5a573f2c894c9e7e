import type { Store } from '../../store/db.ts';
import type { ChannelTable, TeamTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { decision, onFacts, RememberedFacts } from '../../store/remembered-facts.ts';
import { GraphError, badRequest, forbidden, notFound } from '../../wire/errors.ts';
import type { GroupsService } from '../groups/groups.service.ts';
import { hiddenUnlessAdmin, privateTeamHidden, teamArchived, teamNotFound } from '../teams/teams.rules.ts';
import type { TeamAccess } from '../teams/teams.access.ts';
import type { UsersService } from '../users/users.service.ts';
import * as channelsStore from './channels.store.ts';

// An archived channel takes no new messages and no settings changes (channel-archive.md); it can still be deleted.
const channelArchived = (channelId: string) => forbidden(`Channel ${channelId} is archived and read-only; unarchive it first.`);
export const channelNotFound = (channelId: string) => notFound(`Channel ${channelId} was not found in the team.`);
// Importing history needs an app with Teamwork.Migrate.All (import-messages/import-external-messages-to-teams.md).
const migratePermission = 'Teamwork.Migrate.All';

/**
 * How a request uses a channel; each use names the rules `decide` applies to it, so that every rule,
 * archived and read-only included, is decided here, on fresh facts and on remembered ones alike
 * (docs/decisions.md 40, 107).
 */
export type ChannelUse =
  | 'read settings'
  | 'read messages'
  | 'post message'
  | 'import message'
  | 'change message'
  | 'change settings'
  | 'change content'
  | 'change members'
  | 'change archiving';

interface UseRules {
  /** The caller in the team (or a tenant admin, or an app) and the team active, asked before the channel is looked for. */
  readonly member: boolean;
  /** The channel's conversation rather than its settings and roster. */
  readonly messages: boolean;
  /** The refusal when the team is archived, asked once the channel is found; null when an archived team is no bar. */
  readonly archivedTeam: ((team: TeamTable, channel: ChannelTable) => GraphError) | null;
  /** An archived channel refuses it. */
  readonly activeChannel: boolean;
}

const archivedTeam = (team: TeamTable) => teamArchived(team.id);
const useRules: Readonly<Record<ChannelUse, UseRules>> = {
  'read settings': { member: false, messages: false, archivedTeam: null, activeChannel: false },
  'read messages': { member: false, messages: true, archivedTeam: null, activeChannel: false },
  'post message': { member: true, messages: true, archivedTeam: null, activeChannel: true },
  'import message': { member: true, messages: true, archivedTeam: null, activeChannel: true },
  // Editing or deleting a message: its sender or an owner, whom the service checks on the message.
  'change message': { member: false, messages: true, archivedTeam, activeChannel: true },
  'change settings': { member: true, messages: false, archivedTeam: null, activeChannel: true },
  // Deleting a channel, completing its migration: an archived channel can still be deleted (channel-archive.md).
  'change content': { member: true, messages: false, archivedTeam: null, activeChannel: false },
  'change members': { member: false, messages: false, archivedTeam, activeChannel: false },
  // Graph's words for a channel of an archived team (channel-archive.md, example 2).
  'change archiving': {
    member: false,
    messages: false,
    archivedTeam: (_team, channel) => badRequest(`Team has to be active, for channel to be archived or unarchived: ${channel.id}`),
    activeChannel: false,
  },
};

export interface ChannelScope {
  readonly team: TeamTable;
  readonly channel: ChannelTable;
  /** The signed-in user's name and tenant, as a message they send shows them; null for an app. */
  readonly caller: { readonly displayName: string; readonly tenantId: string } | null;
}

/** The facts a decision on remembered facts was made on, for a statement they guard. */
interface KnownChannel {
  readonly params: channelsStore.ScopeParams;
  readonly facts: channelsStore.ScopeFacts;
}

/** A request on a channel, as `ChannelAccess.onChannel` runs it (docs/decisions.md 105). */
export interface ChannelAct<R> {
  /** Whether the request may be decided on remembered facts. */
  readonly warm: boolean;
  /** Acts on a scope decided on remembered facts, only while the database still holds them; undefined when it did nothing. */
  readonly guarded: (scope: ChannelScope, known: KnownChannel) => Promise<R | undefined>;
  /** Acts on a scope decided on facts read afresh. */
  readonly fresh: (scope: ChannelScope) => Promise<R>;
}

/**
 * Every access decision of the channels family in one place. Team visibility is the teams family's
 * rule (decision 10); a private or shared channel and its messages are open to its own members and
 * to applications; tenant admins also read its settings and roster, not its messages.
 */
export class ChannelAccess {
  // The scope facts last read for each caller and channel. Never trusted alone: a write decided on them
  // happens only if the database still holds them (channelsStore.scopeUnchanged), else it is decided
  // again on facts read afresh (docs/decisions.md 88 and 95).
  private readonly known: RememberedFacts<channelsStore.ScopeFacts>;

  constructor(
    private readonly store: Store,
    private readonly teams: TeamAccess,
    private readonly groups: GroupsService,
    private readonly users: UsersService,
    rememberedFacts: boolean,
  ) {
    this.known = new RememberedFacts(rememberedFacts);
    store.onReset(() => this.known.forgetAll());
  }

  readableTeam(principal: Principal, teamId: string): Promise<TeamTable> {
    return this.teams.visible(principal, teamId);
  }

  /** A team the caller may change. */
  async writableTeam(principal: Principal, teamId: string): Promise<TeamTable> {
    const team = await this.teams.visible(principal, teamId);
    const role = principal.userId === null ? null : await this.groups.roleOf(team.id, principal.userId);
    assertWritable(principal, team, role, role === null && (await this.users.isAdmin(principal)));
    return team;
  }

  /** A channel and its team, read at once, if the caller may use them so. */
  channel(principal: Principal, teamId: string, channelId: string, use: ChannelUse = 'read settings'): Promise<ChannelScope> {
    return this.onChannel(principal, teamId, channelId, use, {
      warm: false,
      guarded: () => Promise.resolve(undefined),
      fresh: (scope) => Promise.resolve(scope),
    });
  }

  /**
   * Runs a request on the channel: decided on the facts this instance last read for the caller and the
   * channel and acted on guarded by them when `act.warm`, else (or when that does nothing) on the
   * channel and its team read at once, afresh; the same decision either way.
   */
  onChannel<R>(principal: Principal, teamId: string, channelId: string, use: ChannelUse, act: ChannelAct<R>): Promise<R> {
    const params = scopeParams(principal, teamId, channelId);
    const key = knownKey(params);
    return onFacts<channelsStore.ScopeFacts | null, ChannelScope, R>({
      remembered: act.warm ? this.known.recall(key) : undefined,
      read: async () => {
        const facts = await channelsStore.readScopeFacts(this.store.db, params);
        if (facts !== undefined) this.known.remember(key, facts);
        return facts ?? null;
      },
      decide: (facts) => decision(GraphError, () => decide(principal, teamId, channelId, facts, use)),
      guarded: (scope, facts) => act.guarded(scope, { params, facts: facts as channelsStore.ScopeFacts }),
      fresh: (scope) => act.fresh(scope),
    });
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
 * The channel scope if the caller may use the channel so, decided from the caller and the scope facts
 * alone (null: no such team), without another read: a decision on remembered facts is then the one
 * fresh facts would give. Refusals are thrown, as GraphErrors.
 */
function decide(principal: Principal, teamId: string, channelId: string, facts: channelsStore.ScopeFacts | null, use: ChannelUse): ChannelScope {
  if (facts === null) throw teamNotFound(teamId);
  const { team, teamRole, channel, channelRoles, caller, callerIsAdmin } = channelsStore.scopeOf(facts);
  const rules = useRules[use];
  if (hiddenUnlessAdmin(principal, team, teamRole) && !callerIsAdmin) throw privateTeamHidden(team.id);
  if (rules.member) assertWritable(principal, team, teamRole, callerIsAdmin);
  if (channel === null || !seesChannel(principal, channel, channelRoles !== null, rules.messages, callerIsAdmin)) throw channelNotFound(channelId);
  if (rules.archivedTeam !== null && team.is_archived === 1) throw rules.archivedTeam(team, channel);
  if (rules.activeChannel && channel.is_archived === 1) throw channelArchived(channel.id);
  if (use === 'post message' || use === 'import message') assertPostable(principal, channel, use === 'import message');
  return { team, channel, caller };
}

/**
 * An import (createdDateTime or from given) is allowed only while the channel is in migration mode and
 * only to an app holding Teamwork.Migrate.All; a channel in migration takes nothing else, and after
 * completeMigration ordinary rules apply again (channel-post-messages.md, example 2).
 */
function assertPostable(principal: Principal, channel: ChannelTable, imported: boolean): void {
  const isMigrating = channel.migration_mode === 'inProgress';
  if (imported && !isMigrating) throw badRequest('createdDateTime and from can be set only when importing messages into a channel in migration mode.');
  if (isMigrating && !imported) throw badRequest(`Channel ${channel.id} is in migration mode: it accepts only imported messages until completeMigration.`);
  if (imported && !(principal.kind === 'application' && principal.permissions.has(migratePermission))) {
    throw forbidden(`Importing messages requires the application permission ${migratePermission}.`);
  }
  if (!imported && principal.userId === null) throw forbidden('An application can post channel messages only when importing into a channel in migration mode.');
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
