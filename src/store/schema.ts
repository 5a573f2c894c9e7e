import type { Generated, Insertable, Selectable } from 'kysely';

// Table types for Kysely. The same columns exist on SQLite and PostgreSQL: timestamps are ISO 8601 UTC
// text (they sort as strings), booleans are 0/1 integers and structured values are JSON text, so one
// store module serves both dialects (docs/decisions.md, "One column type per value on both dialects").

type Flag = 0 | 1;

export interface MetaTable {
  key: string;
  value: string;
}

export interface TenantTable {
  id: string;
  display_name: string;
  domain: string;
}

export interface UserTable {
  id: string;
  tenant_id: string;
  user_principal_name: string;
  /** Lower-cased UPN: Graph resolves userPrincipalName case-insensitively. */
  upn_key: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  mail: string | null;
  job_title: string | null;
  office_location: string | null;
  preferred_language: string | null;
  mobile_phone: string | null;
  business_phones: string;
  user_type: 'Member' | 'Guest';
  account_enabled: Flag;
  is_admin: Flag;
  password_hash: string | null;
  created_date_time: string;
}

export interface ApplicationTable {
  client_id: string;
  tenant_id: string;
  display_name: string;
  secret_hash: string;
  application_permissions: string;
}

export interface GroupTable {
  id: string;
  tenant_id: string;
  display_name: string;
  description: string | null;
  mail_nickname: string;
  mail: string | null;
  visibility: 'Public' | 'Private' | 'HiddenMembership';
  group_types: string;
  mail_enabled: Flag;
  security_enabled: Flag;
  created_date_time: string;
}

export interface GroupMemberTable {
  group_id: string;
  user_id: string;
  role: 'owner' | 'member';
}

export interface TeamTable {
  id: string;
  tenant_id: string;
  display_name: string;
  description: string | null;
  internal_id: string;
  visibility: 'public' | 'private';
  specialization: string;
  classification: string | null;
  is_archived: Flag;
  created_date_time: string;
  settings: string;
}

export interface ChannelTable {
  id: string;
  team_id: string;
  tenant_id: string;
  display_name: string;
  description: string | null;
  membership_type: 'standard' | 'private' | 'shared';
  layout_type: 'post' | 'chat';
  is_favorite_by_default: Flag | null;
  is_archived: Flag;
  email: string;
  migration_mode: 'inProgress' | 'completed' | null;
  original_created_date_time: string | null;
  created_date_time: string;
}

export interface ChannelMemberTable {
  channel_id: string;
  user_id: string;
  roles: string;
  created_date_time: string;
}

/** A shared channel's teams: the host team and those it was shared with. */
export interface ChannelSharedTeamTable {
  channel_id: string;
  team_id: string;
  tenant_id: string;
  is_host_team: Flag;
  created_date_time: string;
}

export interface ChatTable {
  id: string;
  tenant_id: string;
  chat_type: 'oneOnOne' | 'group' | 'meeting';
  topic: string | null;
  created_by_user_id: string | null;
  created_by_app_id: string | null;
  is_hidden_for_all_members: Flag;
  migration_mode: 'inProgress' | 'completed' | null;
  original_created_date_time: string | null;
  created_date_time: string;
  last_updated_date_time: string;
}

export interface ChatMemberTable {
  chat_id: string;
  user_id: string;
  tenant_id: string;
  roles: string;
  visible_history_start_date_time: string;
  created_date_time: string;
}

/** An app installed in a chat; `consented_permission_set` is the RSC teamsAppPermissionSet as JSON. */
export interface ChatInstalledAppTable {
  chat_id: string;
  id: string;
  teams_app_id: string;
  consented_permission_set: string | null;
  created_date_time: string;
}

/**
 * Chat and channel messages share one table; `container_id` is the chat or channel id. The table also
 * has `chat_id` and `channel_id`, generated from these two for the foreign keys that tie a message to
 * its chat or channel (docs/decisions.md 93); nothing reads or writes them, so they are not listed here.
 */
export interface MessageTable {
  container_id: string;
  id: string;
  container_kind: 'chat' | 'channel';
  team_id: string | null;
  reply_to_id: string | null;
  message_type: string;
  from_user_id: string | null;
  /** The sender's name and tenant when the message was sent; null for an application or an unknown user. */
  from_display_name: string | null;
  from_tenant_id: string | null;
  from_app_id: string | null;
  subject: string | null;
  body_content_type: 'text' | 'html';
  body_content: string;
  importance: 'normal' | 'high' | 'urgent';
  attachments: string;
  mentions: string;
  reactions: string;
  created_date_time: string;
  last_modified_date_time: string;
  last_edited_date_time: string | null;
  deleted_date_time: string | null;
}

export interface UserTeamworkTable {
  user_id: string;
  tenant_id: string;
  /** The section hierarchy version: every section or item mutation advances it (If-Match). */
  sections_version: number;
  sections_order: string;
}

export interface TeamworkSectionTable {
  id: string;
  user_id: string;
  display_name: string;
  display_icon: string | null;
  is_expanded: Flag;
  sort_type: string;
  section_type: 'userDefined' | 'systemDefined';
  system_name: string | null;
  created_date_time: string;
  last_modified_date_time: string;
}

export interface TeamworkSectionItemTable {
  user_id: string;
  id: string;
  section_id: string;
  item_type: 'chat' | 'channel' | 'meeting' | 'community';
  position: number;
  created_date_time: string;
  last_modified_date_time: string | null;
}

export interface EngageCommunityTable {
  id: string;
  tenant_id: string;
  display_name: string;
}

export interface EngageCommunityMemberTable {
  community_id: string;
  user_id: string;
}

type OperationStatus = 'notStarted' | 'inProgress' | 'succeeded' | 'failed';

export interface OperationTable {
  id: string;
  tenant_id: string;
  /** The resource the operation hangs under in its URL: /teams/{id}/operations or /chats/{id}/operations. */
  parent_kind: 'team' | 'chat';
  parent_id: string;
  operation_type: string;
  status: OperationStatus;
  target_resource_id: string | null;
  target_resource_location: string | null;
  /** What the handler needs to finish the work, as JSON. */
  payload: string;
  error: string | null;
  attempts_count: number;
  created_date_time: string;
  last_action_date_time: string;
  /** The worker leaves the row alone until then. */
  run_after: string;
}

export interface SigningKeyTable {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_date_time: string;
  /** Set when a newer key took over signing; the key still verifies until its tokens expire. */
  retired_date_time: string | null;
}

/** A conversation of a Microsoft 365 group; its summary columns follow its newest post. */
export interface GroupConversationTable {
  id: string;
  tenant_id: string;
  group_id: string;
  topic: string;
  has_attachments: Flag;
  last_delivered_date_time: string;
  preview: string;
  /** JSON array of sender display names, first post first. */
  unique_senders: string;
}

export interface GroupThreadTable {
  id: string;
  conversation_id: string;
  group_id: string;
  topic: string;
  /** JSON arrays of Graph recipients. */
  to_recipients: string;
  cc_recipients: string;
  is_locked: Flag;
  has_attachments: Flag;
  last_delivered_date_time: string;
  preview: string;
  unique_senders: string;
}

export interface GroupPostTable {
  id: string;
  thread_id: string;
  conversation_id: string;
  group_id: string;
  in_reply_to_id: string | null;
  body_content_type: 'text' | 'html';
  body_content: string;
  /** JSON Graph recipients. */
  from_recipient: string;
  sender_recipient: string;
  new_participants: string;
  categories: string;
  change_key: string;
  created_date_time: string;
  last_modified_date_time: string;
  received_date_time: string;
}

/** One change to a resource a subscription can name, appended by a trigger in the transaction that made it (migration 0015). */
export interface ChangeTable {
  seq: Generated<number>;
  tenant_id: string;
  resource: ChangeResource;
  change_type: 'created' | 'updated' | 'deleted';
  /** The chat, team or group the resource lives in. */
  container_id: string;
  channel_id: string | null;
  /** The message or the conversation; for a member, its membership id before base64 (the user's id last). */
  item_id: string | null;
  reply_to_id: string | null;
  changed_date_time: string;
}

/** A change as read back (on PostgreSQL `seq`, a bigint, reads as a string). */
export type Change = Selectable<ChangeTable>;
/** A notification as read back, and as written (its sequence assigned by the database). */
export type Notification = Selectable<NotificationTable>;
export type NewNotification = Insertable<NotificationTable>;

export type ChangeResource = 'chatMessage' | 'channelMessage' | 'chat' | 'team' | 'channel' | 'chatMember' | 'teamMember' | 'channelMember' | 'conversation';

export interface SubscriptionTable {
  id: string;
  tenant_id: string;
  application_id: string;
  /** The user who created it, or for an application its service principal (resources/subscription.md). */
  creator_id: string;
  /** The signed-in user of a delegated subscription: what it may see is what this user may see. */
  user_id: string | null;
  resource: string;
  /** What the resource names, as JSON (subscriptions.targets.ts). */
  target: string;
  change_type: string;
  notification_url: string;
  lifecycle_notification_url: string | null;
  client_state: string | null;
  expiration_date_time: string;
  include_resource_data: number;
  encryption_certificate: string | null;
  encryption_certificate_id: string | null;
  latest_supported_tls_version: string;
  notification_query_options: string | null;
  /** The audience of the validation tokens of its rich notifications, when not the application. */
  notification_url_app_id: string | null;
  created_date_time: string;
  /** When a reauthorizationRequired lifecycle notification is next due; null when it has no lifecycle URL. */
  reauthorize_after: string | null;
}

/** What one change (or lifecycle event) has to tell one URL, from the outbox any instance delivers (notifications.worker.ts). */
export interface NotificationTable {
  /** Assigned in insertion order, so that a receiver gets changes in the order they were made. */
  seq: Generated<number>;
  tenant_id: string;
  /** The subscriptions its items are for, as a JSON array: those of one change that share a URL go in one POST. */
  subscription_ids: string;
  kind: 'change' | 'lifecycle';
  url: string;
  /** As JSON, the change it tells of (its changeNotifications are built when posted), or a lifecycle notification. */
  payload: string;
  /** For a notification with resource data, the application its validation token is for. */
  token_audience: string | null;
  status: 'pending' | 'delivered' | 'dropped';
  attempts: number;
  /** The receiver's status code, or why there was none. */
  last_result: string | null;
  created_date_time: string;
  /** When it is due; while an instance delivers it, the end of that instance's lease. */
  next_attempt_date_time: string;
  /** After this, a failed delivery is dropped. */
  retry_until: string;
  last_attempt_date_time: string | null;
}

export interface Database {
  meta: MetaTable;
  tenants: TenantTable;
  users: UserTable;
  applications: ApplicationTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  teams: TeamTable;
  channels: ChannelTable;
  channel_members: ChannelMemberTable;
  channel_shared_teams: ChannelSharedTeamTable;
  chats: ChatTable;
  chat_members: ChatMemberTable;
  chat_installed_apps: ChatInstalledAppTable;
  messages: MessageTable;
  user_teamwork: UserTeamworkTable;
  teamwork_sections: TeamworkSectionTable;
  teamwork_section_items: TeamworkSectionItemTable;
  engage_communities: EngageCommunityTable;
  engage_community_members: EngageCommunityMemberTable;
  operations: OperationTable;
  signing_keys: SigningKeyTable;
  group_conversations: GroupConversationTable;
  group_threads: GroupThreadTable;
  group_posts: GroupPostTable;
  changes: ChangeTable;
  subscriptions: SubscriptionTable;
  notifications: NotificationTable;
}

/**
 * Tenant data, children first: the order in which a reset empties the tables. The foreign keys would
 * remove most children with their parents anyway; what a request adds under a parent while the reset
 * runs goes with the parent too (docs/decisions.md 93).
 */
export const tenantTables = [
  'notifications',
  'subscriptions',
  'group_posts',
  'group_threads',
  'group_conversations',
  'operations',
  'engage_community_members',
  'engage_communities',
  'teamwork_section_items',
  'teamwork_sections',
  'user_teamwork',
  'messages',
  'chat_members',
  'chat_installed_apps',
  'chats',
  'channel_shared_teams',
  'channel_members',
  'channels',
  'teams',
  'group_members',
  'groups',
  'applications',
  'users',
  'tenants',
] as const satisfies readonly (keyof Database)[];
