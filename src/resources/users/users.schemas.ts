import type { UserTable } from '../../store/schema.ts';

// The properties Graph v1.0 returns without $select (api-reference/v1.0/api/user-get.md); the rest
// come only when selected.
const defaultProperties = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

export const userProperties = [...defaultProperties, 'accountEnabled', 'userType', 'createdDateTime'] as const;

export type User = Record<(typeof userProperties)[number], unknown>;

export function userJson(row: UserTable, isSelecting: boolean): Partial<User> {
  const user: User = {
    businessPhones: JSON.parse(row.business_phones) as string[],
    displayName: row.display_name,
    givenName: row.given_name,
    jobTitle: row.job_title,
    mail: row.mail,
    mobilePhone: row.mobile_phone,
    officeLocation: row.office_location,
    preferredLanguage: row.preferred_language,
    surname: row.surname,
    userPrincipalName: row.user_principal_name,
    id: row.id,
    accountEnabled: row.account_enabled === 1,
    userType: row.user_type,
    createdDateTime: row.created_date_time,
  };
  if (isSelecting) return user;
  return Object.fromEntries(defaultProperties.map((name) => [name, user[name]]));
}
