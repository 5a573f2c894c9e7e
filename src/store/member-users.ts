import { type Expression, type SqlBool, sql } from 'kysely';
import { every } from './columns.ts';
import { type ParamPath, pathsUnder, perShape, prepare } from './prepared.ts';
import type { UserTable } from './schema.ts';
import type { Handle } from './transaction.ts';

// The users that conversation members name, read at once, and the guard that they still are what was
// read: a chat is written only while the users it was decided on are unchanged (decision 99). The users
// service reads them and the chats store guards its insert with them; a family's store imports no other
// family's, so the read and its guard live here, in the store layer (decision 118).

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
  const same = found.rows.map(
    (row) =>
      sql<SqlBool>`(${sql.join(
        memberUserColumns.map((column) => sql`${sql.ref(column)} = ${row[column]}`),
        sql` and `,
      )})`,
  );
  const count = usersNamed(h, found.ids, found.upnKeys).select(sql<number>`count(*)`.as('users'));
  const other = usersNamed(h, found.ids, found.upnKeys)
    .select('id')
    .where(sql<SqlBool>`not (${sql.join(same, sql` or `)})`);
  return sql<SqlBool>`(${count} = ${sql.lit(found.rows.length)} and not exists ${other})`;
}

// usersUnchanged as a read of its own, for each shape (references, users found), built once.
const usersStillFoundQuery = perShape((references: number, users: number) =>
  prepare<{ readonly found: UsersFound }, { holds: number }>(usersFoundNames('found', references, users), (h, p) =>
    h.selectNoFrom(sql<number>`${usersUnchanged(h, p.found)}`.as('holds')),
  ),
);

/** Whether findUsers would still return exactly what it found: usersUnchanged, asked on its own. */
export async function usersStillFound(h: Handle, found: UsersFound): Promise<boolean> {
  const [row] = (await usersStillFoundQuery(found.ids.length, found.rows.length)(h, { found })).rows;
  return Number(row?.holds) === 1;
}

/** The parameter paths of a UsersFound at `path` in a prepared statement (prepare), for so many references and users. */
export function usersFoundNames<Path extends string>(path: Path, references: number, users: number): `${Path}.${ParamPath<UsersFound>}`[] {
  const indexes = (count: number) => Array.from({ length: count }, (_unused, index) => index);
  return [
    ...indexes(references).flatMap((index) => [`${path}.ids.${index}` as const, `${path}.upnKeys.${index}` as const]),
    ...indexes(users).flatMap((index) => pathsUnder(`${path}.rows.${index}` as const, memberUserColumns)),
  ];
}
