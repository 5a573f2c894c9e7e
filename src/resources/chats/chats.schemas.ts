import Type, { type Static } from 'typebox';
import type { ChatInstalledAppTable, ChatMemberTable, ChatTable } from '../../store/schema.ts';

// Request bodies are closed, titled with their Graph type: a property the type does not define is
// OData's 400 naming the type (decision 127). Read-only properties are accepted and ignored, as Graph
// ignores them; the services check what the rules say about the values.
const readOnly = Type.Optional(Type.Unknown());

export const ConversationMemberBody = Type.Object(
  {
    '@odata.type': Type.Optional(Type.String()),
    'user@odata.bind': Type.Optional(Type.String()),
    roles: Type.Optional(Type.Array(Type.String())),
    tenantId: Type.Optional(Type.String()),
    visibleHistoryStartDateTime: Type.Optional(Type.String()),
    id: readOnly,
    displayName: readOnly,
    userId: readOnly,
    email: readOnly,
  },
  { additionalProperties: false, title: 'microsoft.graph.aadUserConversationMember' },
);
export type ConversationMemberBody = Static<typeof ConversationMemberBody>;

const InstalledAppBody = Type.Object(
  {
    '@odata.type': Type.Optional(Type.String()),
    'teamsApp@odata.bind': Type.Optional(Type.String()),
    consentedPermissionSet: Type.Optional(Type.Object({})),
  },
  { additionalProperties: false, title: 'microsoft.graph.teamsAppInstallation' },
);

export const ChatCreateBody = Type.Object(
  {
    '@odata.type': Type.Optional(Type.String()),
    chatType: Type.Optional(Type.String()),
    topic: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    members: Type.Optional(Type.Union([Type.Array(ConversationMemberBody), Type.Null()])),
    installedApps: Type.Optional(Type.Array(InstalledAppBody)),
    id: readOnly,
    createdDateTime: readOnly,
    lastUpdatedDateTime: readOnly,
    tenantId: readOnly,
    webUrl: readOnly,
  },
  { additionalProperties: false, title: 'microsoft.graph.chat' },
);
export type ChatCreateBody = Static<typeof ChatCreateBody>;

export const ChatUpdateBody = Type.Object({ topic: Type.Optional(Type.Union([Type.String(), Type.Null()])) });
export type ChatUpdateBody = Static<typeof ChatUpdateBody>;

export const chatProperties = [
  'id',
  'topic',
  'createdDateTime',
  'lastUpdatedDateTime',
  'chatType',
  'webUrl',
  'tenantId',
  'isHiddenForAllMembers',
  'viewpoint',
  'onlineMeetingInfo',
  'migrationMode',
  'originalCreatedDateTime',
  'createdBy',
] as const;

export type Chat = Record<(typeof chatProperties)[number], unknown>;

/** A chat member row with the directory facts Graph shows beside it. */
export type MemberRow = ChatMemberTable & { display_name: string | null; mail: string | null };

// Graph writes the chat id in webUrl with only the colon escaped (chat-post.md examples).
function chatWebUrl(row: Pick<ChatTable, 'id' | 'tenant_id'>): string {
  return `https://teams.microsoft.com/l/chat/${row.id.replace(':', '%3A')}/0?tenantId=${row.tenant_id}`;
}

function createdBy(row: ChatTable): unknown {
  if (row.created_by_user_id !== null) {
    const user = {
      '@odata.type': '#microsoft.graph.teamworkUserIdentity',
      id: row.created_by_user_id,
      displayName: null,
      userIdentityType: 'aadUser',
      tenantId: row.tenant_id,
    };
    return { application: null, device: null, user };
  }
  const application = {
    '@odata.type': '#microsoft.graph.teamworkApplicationIdentity',
    id: row.created_by_app_id,
    displayName: null,
    applicationIdentityType: 'aadApplication',
  };
  return { application, device: null, user: null };
}

/** createdBy appears on the beta chat only (chat-post.md beta examples); v1.0's chat has no such property. */
export function chatJson(row: ChatTable, isBeta: boolean): Partial<Chat> {
  const chat: Partial<Chat> = {
    id: row.id,
    topic: row.topic,
    createdDateTime: row.created_date_time,
    lastUpdatedDateTime: row.last_updated_date_time,
    chatType: row.chat_type,
    webUrl: chatWebUrl(row),
    tenantId: row.tenant_id,
    isHiddenForAllMembers: row.is_hidden_for_all_members === 1,
    viewpoint: null,
    onlineMeetingInfo: null,
    migrationMode: row.migration_mode,
    originalCreatedDateTime: row.original_created_date_time,
  };
  if (isBeta) chat.createdBy = createdBy(row);
  return chat;
}

/** Membership ids are base64 of `0##{tenantId}##{chatId}##{userId}` (graph-surface.md 1.11). */
export function membershipId(member: Pick<ChatMemberTable, 'tenant_id' | 'chat_id' | 'user_id'>): string {
  return Buffer.from(`0##${member.tenant_id}##${member.chat_id}##${member.user_id}`).toString('base64');
}

/** The user a membership id names in the given chat, or null when it names nothing there. */
export function memberUserId(chatId: string, id: string): string | null {
  const parts = Buffer.from(id, 'base64').toString('utf8').split('##');
  if (parts.length !== 4 || parts[0] !== '0' || parts[2] !== chatId) return null;
  return parts[3] ?? null;
}

export const memberProperties = ['id', 'roles', 'displayName', 'visibleHistoryStartDateTime', 'userId', 'email', 'tenantId'] as const;

export function memberJson(row: MemberRow) {
  return {
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    id: membershipId(row),
    roles: JSON.parse(row.roles) as string[],
    displayName: row.display_name,
    visibleHistoryStartDateTime: row.visible_history_start_date_time,
    userId: row.user_id,
    email: row.mail,
    tenantId: row.tenant_id,
  };
}

export const installedAppProperties = ['id', 'consentedPermissionSet', 'teamsApp'] as const;

export function installedAppJson(row: ChatInstalledAppTable) {
  return {
    id: row.id,
    consentedPermissionSet: row.consented_permission_set === null ? null : (JSON.parse(row.consented_permission_set) as unknown),
    teamsApp: { id: row.teams_app_id, externalId: null, displayName: null, distributionMethod: null },
  };
}
