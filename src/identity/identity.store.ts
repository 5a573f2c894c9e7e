import type { SigningKeyTable } from '../store/schema.ts';
import type { Handle } from '../store/transaction.ts';
import { allOf } from '../store/columns.ts';

/** The user that dev mode acts as when a request carries no token (set by the seed). */
export async function findDefaultUser(h: Handle) {
  return h
    .selectFrom('meta')
    .innerJoin('users', 'users.id', 'meta.value')
    .select(['users.id', 'users.tenant_id'])
    .where('meta.key', '=', 'default_user_id')
    .executeTakeFirst();
}

export function findTenant(h: Handle, tenantIdOrDomain: string) {
  return h
    .selectFrom('tenants')
    .select(allOf('tenants'))
    .where((eb) => eb.or([eb('id', '=', tenantIdOrDomain), eb('domain', '=', tenantIdOrDomain.toLowerCase())]))
    .executeTakeFirst();
}

export function findApplication(h: Handle, clientId: string) {
  return h.selectFrom('applications').select(allOf('applications')).where('client_id', '=', clientId).executeTakeFirst();
}

export function findUserByUpn(h: Handle, upn: string) {
  return h.selectFrom('users').select(allOf('users')).where('upn_key', '=', upn.toLowerCase()).executeTakeFirst();
}

export function findUserById(h: Handle, userId: string) {
  return h.selectFrom('users').select(allOf('users')).where('id', '=', userId).executeTakeFirst();
}

export function listSigningKeys(h: Handle) {
  return h.selectFrom('signing_keys').select(allOf('signing_keys')).orderBy('created_date_time', 'desc').orderBy('kid', 'desc').execute();
}

export function insertSigningKey(h: Handle, row: SigningKeyTable) {
  return h.insertInto('signing_keys').values(row).execute();
}

export function retireSigningKeysExcept(h: Handle, kid: string, at: string) {
  return h.updateTable('signing_keys').set({ retired_date_time: at }).where('kid', '!=', kid).where('retired_date_time', 'is', null).execute();
}

export function deleteSigningKeysRetiredBefore(h: Handle, cutoff: string) {
  return h.deleteFrom('signing_keys').where('retired_date_time', '<', cutoff).execute();
}

/** Claims a one-time marker; true for the one caller that inserted it. */
export async function hasMarker(h: Handle, key: string): Promise<boolean> {
  const row = await h.selectFrom('meta').select('key').where('key', '=', key).executeTakeFirst();
  return row !== undefined;
}

export async function claimMarker(h: Handle, key: string): Promise<boolean> {
  const result = await h
    .insertInto('meta')
    .values({ key, value: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
