import type { ListQuery } from '../../query/list-query.ts';
import { type ListColumns, listPage } from '../../store/list-query.ts';
import { prepare } from '../../store/prepared.ts';
import type { Handle } from '../../store/transaction.ts';
import { allOf } from '../../store/columns.ts';

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
