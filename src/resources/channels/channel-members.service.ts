import type { Store } from '../../store/db.ts';
import type { ChannelMemberTable, ChannelTable, UserTable } from '../../store/schema.ts';
import { StoreParentMissing } from '../../store/errors.ts';
import { withSingleWrite, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { boundKey } from '../../wire/binds.ts';
import { GraphError, badRequest, forbidden, notFound } from '../../wire/errors.ts';
import type { UsersService } from '../users/users.service.ts';
import { type ChannelAccess, channelNotFound } from './channels.access.ts';
import type { ConversationMemberBody } from './channels.schemas.ts';
import { userIdOfMembership } from './channels.schemas.ts';
import * as channelsStore from './channels.store.ts';

export interface ResolvedMember {
  readonly user: UserTable;
  readonly roles: readonly string[];
}

export interface MemberView {
  readonly user: UserTable;
  readonly roles: string[];
}

/** Private and shared channel rosters (channel-list-members.md, channel-post-members.md). */
export class ChannelMembersService {
  constructor(
    private readonly store: Store,
    private readonly access: ChannelAccess,
    private readonly users: UsersService,
  ) {}

  /**
   * Turns request members into users with their roles: `roles` is ["owner"] or [] (channel-post-members.md);
   * a guest is always "guest" and never an owner; a private channel admits only members of its team.
   */
  async resolve(
    principal: Principal,
    teamId: string,
    membershipType: ChannelTable['membership_type'],
    members: readonly ConversationMemberBody[],
  ): Promise<ResolvedMember[]> {
    const resolved: ResolvedMember[] = [];
    for (const member of members) {
      const key = boundKey('users', member['user@odata.bind']);
      if (key === null) throw badRequest("Each member needs 'user@odata.bind' naming a user, e.g. https://graph.microsoft.com/v1.0/users('{id}').");
      const user = await this.users.get(principal, key);
      if (resolved.some((known) => known.user.id === user.id)) throw badRequest(`User ${user.id} is listed more than once.`);
      if (membershipType === 'private' && (await this.access.roleInTeam(teamId, user.id)) === null) {
        throw badRequest(`User ${user.id} is not a member of the team; a private channel admits only members of its team.`);
      }
      resolved.push({ user, roles: rolesOf(user, member.roles ?? []) });
    }
    return resolved;
  }

  async list(principal: Principal, teamId: string, channelId: string): Promise<MemberView[]> {
    const { channel } = await this.access.channel(principal, teamId, channelId);
    const rows = await channelsStore.listMembers(this.store.db, channel.id);
    return rows.map(({ member_roles, ...user }) => ({ user, roles: JSON.parse(member_roles) as string[] }));
  }

  async get(principal: Principal, teamId: string, channelId: string, membershipId: string): Promise<MemberView> {
    const members = await this.list(principal, teamId, channelId);
    const userId = userIdOfMembership(channelId, membershipId);
    const member = members.find((view) => view.user.id === userId);
    if (member === undefined) throw notFound(`Member ${membershipId} was not found in the channel.`);
    return member;
  }

  /** Adds a member to a private or shared channel; a standard channel's roster is its team's. */
  async add(principal: Principal, teamId: string, channelId: string, body: ConversationMemberBody): Promise<MemberView> {
    const channel = await this.ownedChannel(principal, teamId, channelId);
    const [member] = await this.resolve(principal, channel.team_id, channel.membership_type, [body]);
    const { user, roles } = member as ResolvedMember;
    try {
      await withTransaction(this.store, async (tx) => {
        if ((await channelsStore.findMember(tx, channel.id, user.id)) !== undefined) {
          throw new GraphError('Conflict', `User ${user.id} is already a member of the channel.`);
        }
        await channelsStore.insertMembers(tx, [memberRow(channel.id, user.id, roles)]);
      });
    } catch (err) {
      // The channel was deleted since it was read.
      if (err instanceof StoreParentMissing) throw channelNotFound(channelId);
      throw err;
    }
    return { user, roles: [...roles] };
  }

  async updateRoles(principal: Principal, teamId: string, channelId: string, membershipId: string, roles: readonly string[]): Promise<MemberView> {
    const channel = await this.ownedChannel(principal, teamId, channelId);
    const member = await this.get(principal, teamId, channel.id, membershipId);
    const newRoles = rolesOf(member.user, roles);
    await withSingleWrite(this.store, (h) => channelsStore.updateMemberRoles(h, channel.id, member.user.id, JSON.stringify(newRoles)));
    return { user: member.user, roles: newRoles };
  }

  async remove(principal: Principal, teamId: string, channelId: string, membershipId: string): Promise<void> {
    const channel = await this.ownedChannel(principal, teamId, channelId);
    const member = await this.get(principal, teamId, channel.id, membershipId);
    await withSingleWrite(this.store, (h) => channelsStore.deleteMember(h, channel.id, member.user.id));
  }

  private async ownedChannel(principal: Principal, teamId: string, channelId: string): Promise<ChannelTable> {
    const { channel } = await this.access.channel(principal, teamId, channelId, 'change members');
    if (channel.membership_type === 'standard') {
      throw badRequest('Members cannot be added to a standard channel: its members are the members of its team.');
    }
    if (!(await this.access.ownsChannel(principal, channel))) throw forbidden('Only an owner of the channel can change its members.');
    return channel;
  }
}

function rolesOf(user: UserTable, roles: readonly string[]): string[] {
  const isGuest = user.user_type === 'Guest';
  for (const role of roles) {
    if (role === 'guest' && isGuest) continue;
    if (role !== 'owner') throw badRequest(`Role '${role}' is not valid: roles must be ["owner"] or [] (or ["guest"] for a guest).`);
    if (isGuest) throw badRequest(`Guest user ${user.id} cannot be an owner of the channel.`);
  }
  return isGuest ? ['guest'] : roles.includes('owner') ? ['owner'] : [];
}

export function memberRow(channelId: string, userId: string, roles: readonly string[]): ChannelMemberTable {
  return { channel_id: channelId, user_id: userId, roles: JSON.stringify(roles), created_date_time: new Date().toISOString() };
}
