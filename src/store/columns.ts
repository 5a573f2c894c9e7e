import type {
  ApplicationTable, ChannelMemberTable, ChannelSharedTeamTable, ChannelTable, ChatInstalledAppTable, ChatMemberTable, ChatTable, Database,
  EngageCommunityMemberTable, EngageCommunityTable, GroupConversationTable, GroupMemberTable, GroupPostTable, GroupTable, GroupThreadTable,
  MessageTable, MetaTable, OperationTable, SigningKeyTable, TeamTable, TeamworkSectionItemTable, TeamworkSectionTable, TenantTable,
  UserTable, UserTeamworkTable,
} from './schema.ts';

// Every column of every table, at run time, checked by the compiler against the table types: a column
// missing or misspelt here does not compile. Reads name their columns through `allOf` rather than
// `select *` (decision 86): the columns a query returns are then fixed by its text, whatever another
// instance's migration adds meanwhile, and SQLite reads such rows faster (dialects/sqlite.ts).
// Prepared inserts name every column they write from here too.

/** The keys of `Table` as a run-time list the compiler checks complete: every key must be listed. */
export function every<Table>(columns: Record<keyof Table & string, true>): readonly (keyof Table & string)[] {
  return Object.keys(columns) as (keyof Table & string)[];
}

export const tableColumns = {
  meta: every<MetaTable>({ key: true, value: true }),
  tenants: every<TenantTable>({ id: true, display_name: true, domain: true }),
  users: every<UserTable>({ id: true, tenant_id: true, user_principal_name: true, upn_key: true, display_name: true, given_name: true, surname: true, mail: true, job_title: true, office_location: true, preferred_language: true, mobile_phone: true, business_phones: true, user_type: true, account_enabled: true, is_admin: true, password_hash: true, created_date_time: true }),
  applications: every<ApplicationTable>({ client_id: true, tenant_id: true, display_name: true, secret_hash: true, application_permissions: true }),
  groups: every<GroupTable>({ id: true, tenant_id: true, display_name: true, description: true, mail_nickname: true, mail: true, visibility: true, group_types: true, mail_enabled: true, security_enabled: true, created_date_time: true }),
  group_members: every<GroupMemberTable>({ group_id: true, user_id: true, role: true }),
  teams: every<TeamTable>({ id: true, tenant_id: true, display_name: true, description: true, internal_id: true, visibility: true, specialization: true, classification: true, is_archived: true, created_date_time: true, settings: true }),
  channels: every<ChannelTable>({ id: true, team_id: true, tenant_id: true, display_name: true, description: true, membership_type: true, layout_type: true, is_favorite_by_default: true, is_archived: true, email: true, migration_mode: true, original_created_date_time: true, created_date_time: true }),
  channel_members: every<ChannelMemberTable>({ channel_id: true, user_id: true, roles: true, created_date_time: true }),
  channel_shared_teams: every<ChannelSharedTeamTable>({ channel_id: true, team_id: true, tenant_id: true, is_host_team: true, created_date_time: true }),
  chats: every<ChatTable>({ id: true, tenant_id: true, chat_type: true, topic: true, created_by_user_id: true, created_by_app_id: true, is_hidden_for_all_members: true, migration_mode: true, original_created_date_time: true, created_date_time: true, last_updated_date_time: true }),
  chat_members: every<ChatMemberTable>({ chat_id: true, user_id: true, tenant_id: true, roles: true, visible_history_start_date_time: true, created_date_time: true }),
  chat_installed_apps: every<ChatInstalledAppTable>({ chat_id: true, id: true, teams_app_id: true, consented_permission_set: true, created_date_time: true }),
  messages: every<MessageTable>({ container_id: true, id: true, container_kind: true, team_id: true, reply_to_id: true, message_type: true, from_user_id: true, from_display_name: true, from_tenant_id: true, from_app_id: true, subject: true, body_content_type: true, body_content: true, importance: true, attachments: true, mentions: true, reactions: true, created_date_time: true, last_modified_date_time: true, last_edited_date_time: true, deleted_date_time: true }),
  user_teamwork: every<UserTeamworkTable>({ user_id: true, tenant_id: true, sections_version: true, sections_order: true }),
  teamwork_sections: every<TeamworkSectionTable>({ id: true, user_id: true, display_name: true, display_icon: true, is_expanded: true, sort_type: true, section_type: true, system_name: true, created_date_time: true, last_modified_date_time: true }),
  teamwork_section_items: every<TeamworkSectionItemTable>({ user_id: true, id: true, section_id: true, item_type: true, position: true, created_date_time: true, last_modified_date_time: true }),
  engage_communities: every<EngageCommunityTable>({ id: true, tenant_id: true, display_name: true }),
  engage_community_members: every<EngageCommunityMemberTable>({ community_id: true, user_id: true }),
  operations: every<OperationTable>({ id: true, tenant_id: true, parent_kind: true, parent_id: true, operation_type: true, status: true, target_resource_id: true, target_resource_location: true, payload: true, error: true, attempts_count: true, created_date_time: true, last_action_date_time: true, run_after: true }),
  signing_keys: every<SigningKeyTable>({ kid: true, private_jwk: true, public_jwk: true, created_date_time: true, retired_date_time: true }),
  group_conversations: every<GroupConversationTable>({ id: true, tenant_id: true, group_id: true, topic: true, has_attachments: true, last_delivered_date_time: true, preview: true, unique_senders: true }),
  group_threads: every<GroupThreadTable>({ id: true, conversation_id: true, group_id: true, topic: true, to_recipients: true, cc_recipients: true, is_locked: true, has_attachments: true, last_delivered_date_time: true, preview: true, unique_senders: true }),
  group_posts: every<GroupPostTable>({ id: true, thread_id: true, conversation_id: true, group_id: true, in_reply_to_id: true, body_content_type: true, body_content: true, from_recipient: true, sender_recipient: true, new_participants: true, categories: true, change_key: true, created_date_time: true, last_modified_date_time: true, received_date_time: true }),
} satisfies { readonly [Table in keyof Database]: readonly (keyof Database[Table] & string)[] };

type TableName = keyof typeof tableColumns;
type Reference<Table extends TableName> = `${Table}.${(typeof tableColumns)[Table][number]}`;

const references = new Map<TableName, readonly string[]>(
  Object.entries(tableColumns).map(([table, columns]) => [table as TableName, columns.map((column) => `${table}.${column}`)]),
);

/** Every column of `table` as `table.column`, what `select table.*` reads, for `select(allOf(table))`. */
export function allOf<Table extends TableName>(table: Table): readonly Reference<Table>[] {
  return references.get(table) as readonly Reference<Table>[];
}
