import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import type { GroupMemberTable, GroupTable, UserTable } from '../../store/schema.ts';
import { type Handle, withSingleWrite, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { directoryObjectNotFound } from '../../wire/errors.ts';
import * as groupsStore from './groups.store.ts';

export { groupColumns as groupFields } from './groups.store.ts';

export interface GroupView {
  readonly row: GroupTable;
  readonly isTeam: boolean;
}

export class GroupsService {
  constructor(private readonly store: Store) {}

  async get(principal: Principal, groupId: string): Promise<GroupView> {
    const row = await groupsStore.findGroup(this.store.db, principal.tenantId, groupId);
    if (row === undefined) throw directoryObjectNotFound(groupId);
    const teamIds = await groupsStore.teamIdsAmong(this.store.db, [row.id]);
    return { row, isTeam: teamIds.has(row.id) };
  }

  async list(principal: Principal, list: ListQuery): Promise<ListPage<GroupView>> {
    const page = await groupsStore.listGroups(this.store.db, principal.tenantId, list);
    const teamIds = await groupsStore.teamIdsAmong(
      this.store.db,
      page.items.map((row) => row.id),
    );
    return { ...page, items: page.items.map((row) => ({ row, isTeam: teamIds.has(row.id) })) };
  }

  /** The user's role in the group, or null when they are not in it. */
  async roleOf(groupId: string, userId: string): Promise<'owner' | 'member' | null> {
    return (await groupsStore.findMembership(this.store.db, groupId, userId))?.role ?? null;
  }

  /** Members and owners with their user rows: the roster of the group's team (team-list-members.md). */
  async members(groupId: string): Promise<{ user: UserTable; role: 'owner' | 'member' }[]> {
    const rows = await groupsStore.listMembersWithUsers(this.store.db, groupId);
    return rows.map(({ group_role, ...user }) => ({ user, role: group_role }));
  }

  /** The group's owner count: a team needs one to be created from it or archived (team-post.md, team-archive.md). */
  ownersCount(groupId: string): Promise<number> {
    return groupsStore.countOwners(this.store.db, groupId);
  }

  /** A new Microsoft 365 (Unified) group behind a new team, written in the caller's transaction (team-post.md). */
  async createUnified(
    tx: Handle,
    group: Pick<GroupTable, 'id' | 'tenant_id' | 'display_name' | 'description' | 'visibility'>,
    members: readonly Omit<GroupMemberTable, 'group_id'>[],
  ): Promise<void> {
    const mailNickname = group.display_name.replace(/[^A-Za-z0-9]/g, '') || 'team';
    const domain = await groupsStore.tenantDomain(tx, group.tenant_id);
    await groupsStore.insertGroup(tx, {
      ...group,
      mail_nickname: mailNickname,
      mail: `${mailNickname}@${domain}`,
      group_types: JSON.stringify(['Unified']),
      mail_enabled: 1,
      security_enabled: 0,
      created_date_time: new Date().toISOString(),
    });
    await groupsStore.insertMembers(
      tx,
      members.map((member) => ({ ...member, group_id: group.id })),
    );
  }

  /** A team's name, description and visibility are its group's (team-update.md). */
  update(tx: Handle, groupId: string, changes: Partial<Pick<GroupTable, 'display_name' | 'description' | 'visibility'>>): Promise<unknown> {
    return groupsStore.updateGroup(tx, groupId, changes);
  }

  /** Adds a member or owner; false when the user is already in the group. */
  async addMember(groupId: string, userId: string, role: GroupMemberTable['role']): Promise<boolean> {
    return withTransaction(this.store, async (tx) => {
      if ((await groupsStore.findMembership(tx, groupId, userId)) !== undefined) return false;
      await groupsStore.insertMembers(tx, [{ group_id: groupId, user_id: userId, role }]);
      return true;
    });
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    await withSingleWrite(this.store, (h) => groupsStore.deleteMember(h, groupId, userId));
  }
}
