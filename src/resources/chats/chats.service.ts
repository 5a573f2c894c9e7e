import { randomUUID } from 'node:crypto';
import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import { onFacts, onFreshFacts } from '../../store/remembered-facts.ts';
import { StoreConflict } from '../../store/errors.ts';
import type { ChatInstalledAppTable, ChatMemberTable, ChatTable, MessageTable, OperationTable } from '../../store/schema.ts';
import { type Handle, withSingleWrite, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { boundKey } from '../../wire/binds.ts';
import { badRequest, forbidden, notFound } from '../../wire/errors.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import type { UsersService } from '../users/users.service.ts';
import { type ChatMembersService, memberReferences, memberRow } from './chat-members.service.ts';
import { type ChatAccess, type MemberFacts, type NewMember, chatNotFound, decideMembers } from './chats.access.ts';
import { type ChatCreateBody, type ChatUpdateBody, type MemberRow } from './chats.schemas.ts';
import * as messagesStore from './chat-messages.store.ts';
import * as chatsStore from './chats.store.ts';

export { chatColumns as chatFields } from './chats.store.ts';

export type ChatCreated =
  { readonly kind: 'created'; readonly chat: ChatTable } | { readonly kind: 'accepted'; readonly chatId: string; readonly operationId: string };

interface AppToInstall {
  readonly teamsAppId: string;
  readonly consentedPermissionSet: unknown;
}

// $expand=members brings at most this many members per chat (chat-list.md).
const expandedMembersMax = 25;
const topicLengthMax = 250;
// Members with their whole history visible, as Graph creates them with a chat (chat-post.md).
export const allHistory = '0001-01-01T00:00:00Z';

/** A chat with the relationship the request expands: its members, or its newest message (null if none). */
export interface ChatView {
  readonly chat: ChatTable;
  readonly members?: readonly MemberRow[];
  readonly lastMessage?: MessageTable | null;
}

export class ChatsService {
  constructor(
    private readonly store: Store,
    private readonly users: UsersService,
    private readonly access: ChatAccess,
    private readonly members: ChatMembersService,
    private readonly operations: OperationsService,
  ) {
    operations.register('createChat', (tx, operation) => this.installApps(tx, operation));
  }

  /**
   * Graph answers 201 with the chat, or 202 with a createChat operation when apps are to be
   * installed; a oneOnOne chat that exists already is returned, never made twice (chat-post.md).
   */
  async create(principal: Principal, body: ChatCreateBody): Promise<ChatCreated> {
    const chatType = body.chatType;
    if (chatType !== 'oneOnOne' && chatType !== 'group') throw badRequest(`chatType must be oneOnOne or group; got '${chatType ?? ''}'.`);
    if (body.members === undefined || body.members === null) throw badRequest("Chat members cannot be null. (Parameter 'Members')");
    const apps = parseApps(body.installedApps ?? []);
    const topic = body.topic ?? null;
    if (chatType === 'oneOnOne' && topic !== null) throw badRequest('The topic can be set only on a group chat.');
    if (topic !== null) assertTopic(topic);
    const bodies = body.members;
    const references = memberReferences(bodies);
    const decide = (facts: MemberFacts) => decideMembers(principal, chatType, bodies, references, facts);
    const read = () => this.members.freshMembers(principal, references);
    // A group chat's id is new, so without apps to install its creation is one write of its own; on the
    // users this instance last read for its members, one statement guarded by them (docs/decisions.md 88).
    if (chatType === 'group' && apps.length === 0) {
      return onFacts({
        remembered: this.users.knownMembers(principal, references),
        read,
        decide,
        guarded: async (members, facts) => {
          const { chat, memberRows } = newChat(principal, groupChatId(), chatType, topic, members);
          return (await withSingleWrite(this.store, (h) => chatsStore.insertNewChat(h, chat, memberRows, facts.found))) ? { kind: 'created', chat } : undefined;
        },
        fresh: async (members) => {
          const { chat, memberRows } = newChat(principal, groupChatId(), chatType, topic, members);
          await withSingleWrite(this.store, (h) => chatsStore.insertNewChat(h, chat, memberRows));
          return { kind: 'created', chat };
        },
      });
    }
    const members = await onFreshFacts(read, decide);
    const chatId = chatType === 'oneOnOne' ? oneOnOneChatId(members) : groupChatId();
    const write = () =>
      withTransaction(this.store, async (tx) => {
        // Only a oneOnOne chat can exist already.
        let chat = chatType === 'oneOnOne' ? await chatsStore.findChat(tx, chatId) : undefined;
        if (chat === undefined) {
          const created = newChat(principal, chatId, chatType, topic, members);
          await chatsStore.insertChat(tx, created.chat, created.memberRows);
          chat = created.chat;
        }
        if (apps.length === 0) return { kind: 'created', chat } as const;
        const operation = await this.operations.enqueue(tx, {
          id: `${principal.tenantId}-${randomUUID()}-${randomUUID()}`,
          tenantId: principal.tenantId,
          parentKind: 'chat',
          parentId: chat.id,
          operationType: 'createChat',
          targetResourceId: chat.id,
          targetResourceLocation: `/chats('${chat.id}')`,
          payload: { apps },
        });
        return { kind: 'accepted', chatId: chat.id, operationId: operation.id } as const;
      });
    try {
      return await write();
    } catch (err) {
      // Another request (maybe on another instance) made the same oneOnOne chat first: return that one.
      if (err instanceof StoreConflict && chatType === 'oneOnOne') return write();
      throw err;
    }
  }

  /** The createChat handler: installs the requested apps once the worker runs the operation. */
  private async installApps(tx: Handle, operation: OperationTable): Promise<undefined> {
    const { apps } = JSON.parse(operation.payload) as { apps: AppToInstall[] };
    const installed = await chatsStore.findInstalledApps(tx, operation.parent_id);
    for (const app of apps) {
      if (installed.some((row) => row.teams_app_id === app.teamsAppId)) continue;
      await chatsStore.insertInstalledApp(tx, {
        chat_id: operation.parent_id,
        id: Buffer.from(`${operation.parent_id}##${app.teamsAppId}`).toString('base64'),
        teams_app_id: app.teamsAppId,
        consented_permission_set: app.consentedPermissionSet === undefined ? null : JSON.stringify(app.consentedPermissionSet),
        created_date_time: new Date().toISOString(),
      });
    }
    return undefined;
  }

  /** The chat with at most 25 of its members under $expand=members, in one read (chat-get.md). */
  async get(principal: Principal, chatId: string, pathUserId?: string, expand: string | null = null): Promise<ChatView> {
    if (expand !== 'members') return { chat: await this.access.visibleChat(principal, chatId, pathUserId) };
    const { chat, members } = await this.access.visibleChatWithMembers(principal, chatId, pathUserId);
    return { chat, members: members.slice(0, expandedMembersMax) };
  }

  /** /chats lists the signed-in user's chats; an app names the user (chat-list.md). */
  async list(principal: Principal, pathUserId: string | undefined, list: ListQuery, expand: string | null): Promise<ListPage<ChatView>> {
    const viewerId = await this.access.viewerOf(principal, pathUserId);
    if (viewerId === null) throw badRequest('With application permissions, list the chats of a user: GET /users/{id}/chats.');
    const page = await chatsStore.listChatsOf(this.store.db, viewerId, list);
    return { ...page, items: await this.expanded(page.items, expand) };
  }

  /** At most 25 members per chat come with $expand=members; $expand=lastMessagePreview takes each chat's newest message (chat-list.md). */
  private async expanded(chats: readonly ChatTable[], expand: string | null): Promise<ChatView[]> {
    if (expand === 'lastMessagePreview') {
      const found = await Promise.all(chats.map((chat) => messagesStore.lastMessage(this.store.db, chat.id)));
      return chats.map((chat, at) => ({ chat, lastMessage: found[at] ?? null }));
    }
    if (expand !== 'members') return chats.map((chat) => ({ chat }));
    const byChat = new Map<string, MemberRow[]>(chats.map((chat) => [chat.id, []]));
    for (const member of await chatsStore.findMembers(
      this.store.db,
      chats.map((chat) => chat.id),
    )) {
      const members = byChat.get(member.chat_id);
      if (members !== undefined && members.length < expandedMembersMax) members.push(member);
    }
    return chats.map((chat) => ({ chat, members: byChat.get(chat.id) ?? [] }));
  }

  /** Only a group chat's topic changes: at most 250 characters, no colon (chat-patch.md). */
  async update(principal: Principal, chatId: string, body: ChatUpdateBody): Promise<ChatTable> {
    const chat = await this.access.visibleChat(principal, chatId);
    const unknown = Object.keys(body).find((name) => name !== 'topic');
    if (unknown !== undefined) throw badRequest(`Only the topic of a chat can be updated; '${unknown}' cannot.`);
    if (chat.chat_type !== 'group') throw badRequest('The topic can be set only on a group chat.');
    const topic = body.topic ?? null;
    if (topic !== null) assertTopic(topic);
    const now = new Date().toISOString();
    await withSingleWrite(this.store, (h) => chatsStore.updateChat(h, chat.id, { topic, last_updated_date_time: now }));
    return { ...chat, topic, last_updated_date_time: now };
  }

  /** Delegated deletion is for tenant admins only (chat-delete.md). */
  async delete(principal: Principal, chatId: string): Promise<void> {
    const chat = await chatsStore.findChat(this.store.db, chatId);
    if (chat === undefined || chat.tenant_id !== principal.tenantId) throw chatNotFound(chatId);
    if (principal.userId !== null && !(await this.users.isAdmin(principal)))
      throw forbidden('Only a tenant administrator can delete a chat with delegated permissions.');
    await withSingleWrite(this.store, (h) => chatsStore.deleteChat(h, chat.id));
  }

  async installedApps(principal: Principal, chatId: string): Promise<ChatInstalledAppTable[]> {
    const chat = await this.access.visibleChat(principal, chatId);
    return chatsStore.findInstalledApps(this.store.db, chat.id);
  }

  async installedApp(principal: Principal, chatId: string, installationId: string): Promise<ChatInstalledAppTable> {
    const chat = await this.access.visibleChat(principal, chatId);
    const row = await chatsStore.findInstalledApp(this.store.db, chat.id, installationId);
    if (row === undefined) throw notFound(`App installation '${installationId}' was not found in the chat.`);
    return row;
  }
}

/** Both user ids sorted, so that the id names the pair whoever creates it (docs/decisions.md #32). */
function oneOnOneChatId(members: readonly NewMember[]): string {
  return `19:${members
    .map((member) => member.userId)
    .sort()
    .join('_')}@unq.gbl.spaces`;
}

function assertTopic(topic: string): void {
  if (topic.length > topicLengthMax) throw badRequest(`The topic can have at most ${topicLengthMax} characters.`);
  if (topic.includes(':')) throw badRequest("The topic cannot contain ':'.");
}

/** Only one app can be installed at creation; more is a Bad Request (chat-post.md). */
function parseApps(bodies: readonly Record<string, unknown>[]): AppToInstall[] {
  if (bodies.length > 1) throw badRequest('Only one app can be installed when a chat is created.');
  return bodies.map((body) => {
    const bind = body['teamsApp@odata.bind'];
    // `…/appCatalogs/teamsApps/{id}` (chat-post.md examples 3 and 4).
    const teamsAppId = boundKey('appCatalogs/teamsApps', bind);
    if (teamsAppId === null)
      throw badRequest(`Invalid teamsApp@odata.bind '${typeof bind === 'string' ? bind : ''}': expected a URL ending in /appCatalogs/teamsApps/{id}.`);
    return { teamsAppId, consentedPermissionSet: body.consentedPermissionSet };
  });
}

/**
 * Graph's `19:{32 hex digits}@thread.v2`, the first twelve digits the creation time in milliseconds:
 * new chats, and their rosters keyed by chat id, then append at the end of their indexes instead of
 * landing on random pages: a SQLite commit of a new chat wrote about eleven pages, now seven (docs/decisions.md #36).
 */
function groupChatId(): string {
  return `19:${Date.now().toString(16).padStart(12, '0')}${randomUUID().replace(/-/g, '').slice(12)}@thread.v2`;
}

function newChat(
  principal: Principal,
  chatId: string,
  chatType: 'oneOnOne' | 'group',
  topic: string | null,
  members: readonly NewMember[],
): { chat: ChatTable; memberRows: ChatMemberTable[] } {
  const now = new Date().toISOString();
  const chat: ChatTable = {
    id: chatId,
    tenant_id: principal.tenantId,
    chat_type: chatType,
    topic,
    created_by_user_id: principal.userId,
    created_by_app_id: principal.userId === null ? principal.appId : null,
    is_hidden_for_all_members: 0,
    migration_mode: null,
    original_created_date_time: null,
    created_date_time: now,
    last_updated_date_time: now,
  };
  return { chat, memberRows: members.map((member) => memberRow(chatId, member, now, allHistory)) };
}
