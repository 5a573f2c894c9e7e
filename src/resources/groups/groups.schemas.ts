import Type from 'typebox';
import type { GroupTable } from '../../store/schema.ts';

export const GroupKeyParams = Type.Object({ groupId: Type.String({ minLength: 1 }) });

// The properties Graph v1.0 returns for a group without $select (api-reference/v1.0/api/group-get.md).
export const groupProperties = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'creationOptions',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'theme',
  'visibility',
] as const;

export function groupJson(row: GroupTable, isTeam: boolean): Record<(typeof groupProperties)[number], unknown> {
  return {
    id: row.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: row.created_date_time,
    creationOptions: isTeam ? ['Team'] : [],
    description: row.description,
    displayName: row.display_name,
    expirationDateTime: null,
    groupTypes: JSON.parse(row.group_types) as string[],
    isAssignableToRole: null,
    mail: row.mail,
    mailEnabled: row.mail_enabled === 1,
    mailNickname: row.mail_nickname,
    membershipRule: null,
    membershipRuleProcessingState: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: row.mail === null ? [] : [`SMTP:${row.mail}`],
    renewedDateTime: row.created_date_time,
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: isTeam ? ['Team'] : [],
    securityEnabled: row.security_enabled === 1,
    theme: null,
    visibility: row.visibility,
  };
}
