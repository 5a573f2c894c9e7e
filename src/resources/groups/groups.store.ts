import type { ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import type { GroupMemberTable, GroupTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf } from '../../store/columns.ts';

export function findGroup(h: Handle, tenantId: string, groupId: string) {
  return h.selectFrom('groups').select(allOf('groups')).where('tenant_id', '=', tenantId).where('id', '=', groupId).executeTakeFirst();
}

/** The group properties $filter and $orderby reach (group-list.md), and their columns. */
export const groupColumns: ListColumns = {
  id: { type: 'guid', column: 'id' },
  displayName: { type: 'string', column: 'display_name' },
  description: { type: 'string', column: 'description' },
  mail: { type: 'string', column: 'mail' },
  mailNickname: { type: 'string', column: 'mail_nickname' },
  visibility: { type: 'enum', values: ['Public', 'Private', 'HiddenMembership'], column: 'visibility' },
  mailEnabled: { type: 'boolean', column: 'mail_enabled' },
  securityEnabled: { type: 'boolean', column: 'security_enabled' },
  createdDateTime: { type: 'dateTime', column: 'created_date_time' },
};

export function listGroups(h: Handle, tenantId: string, list: ListQuery) {
  return listPage(h.selectFrom('groups').select(allOf('groups')).where('tenant_id', '=', tenantId), groupColumns, list);
}

export function findMembership(h: Handle, groupId: string, userId: string) {
  return h.selectFrom('group_members').select(allOf('group_members')).where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
}

/** Ids of the teams among the given groups, to fill resourceProvisioningOptions. */
export async function teamIdsAmong(h: Handle, groupIds: readonly string[]): Promise<Set<string>> {
  if (groupIds.length === 0) return new Set();
  const rows = await h.selectFrom('teams').select('id').where('id', 'in', groupIds).execute();
  return new Set(rows.map((row) => row.id));
}

/** The group's members and owners with their user rows, owners first. */
export function listMembersWithUsers(h: Handle, groupId: string) {
  return h
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(allOf('users'))
    .select('group_members.role as group_role')
    .where('group_members.group_id', '=', groupId)
    .orderBy('group_members.role', 'desc')
    .orderBy('users.id')
    .execute();
}

export function insertGroup(h: Handle, row: GroupTable) {
  return h.insertInto('groups').values(row).execute();
}

export function updateGroup(h: Handle, groupId: string, changes: Partial<Pick<GroupTable, 'display_name' | 'description' | 'visibility'>>) {
  return h.updateTable('groups').set(changes).where('id', '=', groupId).execute();
}

export function insertMembers(h: Handle, rows: readonly GroupMemberTable[]) {
  if (rows.length === 0) return Promise.resolve();
  return h
    .insertInto('group_members')
    .values([...rows])
    .execute();
}

export function deleteMember(h: Handle, groupId: string, userId: string) {
  return h.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
}

export async function countOwners(h: Handle, groupId: string): Promise<number> {
  const row = await h
    .selectFrom('group_members')
    .select((eb) => eb.fn.countAll<number>().as('owners'))
    .where('group_id', '=', groupId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.owners);
}

export async function tenantDomain(h: Handle, tenantId: string): Promise<string> {
  const row = await h.selectFrom('tenants').select('domain').where('id', '=', tenantId).executeTakeFirstOrThrow();
  return row.domain;
}
