import type { Handle } from '../../store/transaction.ts';

export function findUser(h: Handle, tenantId: string, idOrUpn: string) {
  return h
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('id', '=', idOrUpn), eb('upn_key', '=', idOrUpn.toLowerCase())]))
    .executeTakeFirst();
}

/** The users of a tenant named by any of the ids or user principal names, in one read. */
export function findUsers(h: Handle, tenantId: string, idsOrUpns: readonly string[]) {
  if (idsOrUpns.length === 0) return Promise.resolve([]);
  return h
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('id', 'in', [...idsOrUpns]), eb('upn_key', 'in', idsOrUpns.map((key) => key.toLowerCase()))]))
    .execute();
}

/** A user of any tenant, for references that may cross tenants (federated chat members). */
export function findUserAnyTenant(h: Handle, idOrUpn: string) {
  return h
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrUpn), eb('upn_key', '=', idOrUpn.toLowerCase())]))
    .executeTakeFirst();
}

export function listUsers(h: Handle, tenantId: string, afterId: string | null, limit: number) {
  let query = h.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}
