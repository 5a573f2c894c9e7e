import { type Expression, type SqlBool, sql } from 'kysely';
import type { ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import { perShape, prepare } from '../../store/prepared.ts';
import type { UserTable } from '../../store/schema.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf, every } from '../../store/columns.ts';

const userQuery = prepare(['tenantId', 'id', 'upnKey'], (h, p: { tenantId: string; id: string; upnKey: string }) =>
  h
    .selectFrom('users')
    .select(allOf('users'))
    .where('tenant_id', '=', p.tenantId)
    .where((eb) => eb.or([eb('id', '=', p.id), eb('upn_key', '=', p.upnKey)])),
);

export async function findUser(h: Handle, tenantId: string, idOrUpn: string) {
  const [user] = (await userQuery(h, { tenantId, id: idOrUpn, upnKey: idOrUpn.toLowerCase() })).rows;
  return user;
}

/** What a conversation member's user is checked for. */
export type MemberUser = Pick<UserTable, 'id' | 'tenant_id' | 'upn_key' | 'user_type'>;

/**
 * The users, of any tenant, that any of the ids or user principal names name, in one read; the caller
 * keeps the tenants it wants. A tenant condition here would make SQLite walk the tenant's index instead
 * of probing the two unique ones.
 */
export function findUsers(h: Handle, idsOrUpns: readonly string[]): Promise<MemberUser[]> {
  if (idsOrUpns.length === 0) return Promise.resolve([]);
  return usersNamed(h, idsOrUpns, idsOrUpns.map(upnKey)).select(memberUserColumns).execute();
}

const memberUserColumns = every<MemberUser>({ id: true, tenant_id: true, upn_key: true, user_type: true });
const upnKey = (idOrUpn: string) => idOrUpn.toLowerCase();

function usersNamed(h: Handle, ids: readonly string[], upnKeys: readonly string[]) {
  return h.selectFrom('users').where((eb) => eb.or([eb('id', 'in', [...ids]), eb('upn_key', 'in', [...upnKeys])]));
}

/** What findUsers read (its references, as ids and as user principal name keys) and what it found. */
export interface UsersFound {
  readonly ids: readonly string[];
  readonly upnKeys: readonly string[];
  readonly rows: readonly MemberUser[];
}

export const usersFound = (idsOrUpns: readonly string[], rows: readonly MemberUser[]): UsersFound => ({ ids: idsOrUpns, upnKeys: idsOrUpns.map(upnKey), rows });

/**
 * A condition that holds while findUsers still returns exactly what it found (at least one user): as
 * many users, each of them one of the rows on every column it reads. For prepared statements, the
 * values may be placeholders.
 */
export function usersUnchanged(h: Handle, found: UsersFound): Expression<SqlBool> {
  const same = found.rows.map((row) => sql<SqlBool>`(${sql.join(memberUserColumns.map((column) => sql`${sql.ref(column)} = ${row[column]}`), sql` and `)})`);
  const count = usersNamed(h, found.ids, found.upnKeys).select(sql<number>`count(*)`.as('users'));
  const other = usersNamed(h, found.ids, found.upnKeys).select('id').where(sql<SqlBool>`not (${sql.join(same, sql` or `)})`);
  return sql<SqlBool>`(${count} = ${sql.lit(found.rows.length)} and not exists ${other})`;
}

// usersUnchanged as a read of its own, for each shape (references, users found), built once.
const usersStillFoundQuery = perShape((references: number, users: number) =>
  prepare<{ readonly found: UsersFound }, { holds: number }>(usersFoundNames('found', references, users), (h, p) => h.selectNoFrom(sql<number>`${usersUnchanged(h, p.found)}`.as('holds'))),
);

/** Whether findUsers would still return exactly what it found: usersUnchanged, asked on its own. */
export async function usersStillFound(h: Handle, found: UsersFound): Promise<boolean> {
  const [row] = (await usersStillFoundQuery(found.ids.length, found.rows.length)(h, { found })).rows;
  return Number(row?.holds) === 1;
}

/** The parameter names of a UsersFound at `path` in a prepared statement (prepare), for so many references and users. */
export function usersFoundNames(path: string, references: number, users: number): string[] {
  const indexes = (count: number) => Array.from({ length: count }, (_unused, index) => index);
  return [
    ...indexes(references).flatMap((index) => [`${path}.ids.${index}`, `${path}.upnKeys.${index}`]),
    ...indexes(users).flatMap((index) => memberUserColumns.map((column) => `${path}.rows.${index}.${column}`)),
  ];
}

/** The user properties $filter and $orderby reach (user-list.md, concepts/aad-advanced-queries.md). */
export const userColumns: ListColumns = {
  id: { type: 'guid', column: 'id' },
  displayName: { type: 'string', column: 'display_name' },
  givenName: { type: 'string', column: 'given_name' },
  surname: { type: 'string', column: 'surname' },
  mail: { type: 'string', column: 'mail' },
  userPrincipalName: { type: 'string', column: 'user_principal_name' },
  jobTitle: { type: 'string', column: 'job_title' },
  officeLocation: { type: 'string', column: 'office_location' },
  preferredLanguage: { type: 'string', column: 'preferred_language' },
  mobilePhone: { type: 'string', column: 'mobile_phone' },
  accountEnabled: { type: 'boolean', column: 'account_enabled' },
  userType: { type: 'enum', values: ['Member', 'Guest'], column: 'user_type' },
  createdDateTime: { type: 'dateTime', column: 'created_date_time' },
};

export function listUsers(h: Handle, tenantId: string, list: ListQuery) {
  return listPage(h.selectFrom('users').select(allOf('users')).where('tenant_id', '=', tenantId), userColumns, list);
}
