import type { Store } from '../../store/db.ts';
import type { ChatTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { type Decision, decision } from '../../store/remembered-facts.ts';
import { GraphError, badRequest, forbidden, notFound } from '../../wire/errors.ts';
import type { MemberReference, MemberUser, UsersFound, UsersService } from '../users/users.service.ts';
import type { ConversationMemberBody, MemberRow } from './chats.schemas.ts';
import * as chatsStore from './chats.store.ts';

export const chatNotFound = (chatId: string) => notFound(`Chat '${chatId}' was not found.`);
const notChatMember = () => forbidden('The caller is not a member of the chat.');

/** A member as a request names it, resolved against the directory. */
export interface NewMember {
  readonly userId: string;
  readonly tenantId: string;
  readonly roles: readonly string[];
  readonly visibleHistoryStartDateTime: string | null;
}

/**
 * What members are decided on: the users the request's references find, in order (undefined where
 * none), and, when they were remembered, what a fresh read must still find for them to hold.
 */
export interface MemberFacts {
  readonly users: readonly (MemberUser | undefined)[];
  readonly found: UsersFound | undefined;
}

/**
 * Every decision about who may see a chat, in one place (docs/decisions.md #31): a delegated caller
 * sees the chats they are a member of, through /chats, /me/chats or /users/{their own id}/chats; an
 * application sees every chat of its tenant, and through /users/{id}/chats those of that user.
 */
export class ChatAccess {
  constructor(
    private readonly store: Store,
    private readonly users: UsersService,
  ) {}

  async visibleChat(principal: Principal, chatId: string, pathUserId?: string): Promise<ChatTable> {
    const viewerId = await this.viewerOf(principal, pathUserId);
    const found = await chatsStore.findChatWithMember(this.store.db, chatId, viewerId);
    return this.allowed(principal, chatId, viewerId, found?.chat, found?.isMember === true);
  }

  /** The chat and all its members, when the caller may see it; one read instead of two. */
  async visibleChatWithMembers(principal: Principal, chatId: string, pathUserId?: string): Promise<{ chat: ChatTable; members: MemberRow[] }> {
    const viewerId = await this.viewerOf(principal, pathUserId);
    const found = await chatsStore.findChatWithMembers(this.store.db, chatId);
    const isMember = found?.members.some((member) => member.user_id === viewerId) === true;
    return { chat: this.allowed(principal, chatId, viewerId, found?.chat, isMember), members: found?.members ?? [] };
  }

  private allowed(principal: Principal, chatId: string, viewerId: string | null, chat: ChatTable | undefined, isMember: boolean): ChatTable {
    if (chat === undefined) throw chatNotFound(chatId);
    if (viewerId === null) {
      if (chat.tenant_id !== principal.tenantId) throw chatNotFound(chatId);
      return chat;
    }
    if (isMember) return chat;
    // Another tenant's chat does not exist for this caller, unless they are one of its (federated) members.
    if (principal.kind === 'application' || chat.tenant_id !== principal.tenantId) throw chatNotFound(chatId);
    throw notChatMember();
  }

  /** Whose chats the call reads: the signed-in user, the path's user for an app, or null (all of the tenant). */
  async viewerOf(principal: Principal, pathUserId: string | undefined): Promise<string | null> {
    if (pathUserId === undefined) return principal.userId;
    const user = await this.users.get(principal, pathUserId);
    if (principal.userId !== null && principal.userId !== user.id) {
      throw forbidden("With delegated permissions, a user's chats can be read only by that user.");
    }
    return user.id;
  }
}

/**
 * The members a request names, decided on the users found for them, the same on remembered users and
 * on fresh ones (docs/decisions.md 105): each bound to an existing user, in-tenant guests with the
 * guest role and out-of-tenant users with the owner role (chat-post.md, "members"); for a new chat
 * (`chatType` given) also how many members its type takes and the delegated caller among them.
 */
export function decideMembers(
  principal: Principal,
  chatType: 'oneOnOne' | 'group' | null,
  bodies: readonly ConversationMemberBody[],
  references: readonly MemberReference[],
  facts: MemberFacts,
): Decision<NewMember[]> {
  return decision(GraphError, () => {
    const members = checkedMembers(principal, bodies, references, facts.users);
    if (chatType === 'oneOnOne' && members.length !== 2) throw badRequest('A oneOnOne chat must have exactly two members.');
    if (chatType === 'group' && members.length < 2) throw badRequest('A group chat must have at least two members.');
    // A delegated caller makes a chat only as one of its members (chat-post.md: the initiator is listed).
    if (chatType !== null && principal.userId !== null && !members.some((member) => member.userId === principal.userId)) throw notChatMember();
    return members;
  });
}

function checkedMembers(
  principal: Principal,
  bodies: readonly ConversationMemberBody[],
  references: readonly MemberReference[],
  users: readonly (MemberUser | undefined)[],
): NewMember[] {
  const members: NewMember[] = [];
  for (const [index, body] of bodies.entries()) {
    const reference = (references[index] as MemberReference).idOrUpn;
    const user = users[index];
    if (user === undefined) throw notFound(`The user '${reference}' named in members was not found.`);
    const roles = body.roles ?? [];
    assertRoles(roles, user.tenant_id === principal.tenantId, user.user_type === 'Guest', reference);
    if (members.some((member) => member.userId === user.id)) throw badRequest(`The user '${reference}' is listed more than once in members.`);
    members.push({ userId: user.id, tenantId: user.tenant_id, roles, visibleHistoryStartDateTime: body.visibleHistoryStartDateTime ?? null });
  }
  return members;
}

function assertRoles(roles: readonly string[], isInTenant: boolean, isGuest: boolean, reference: string): void {
  const role = roles.length === 1 ? roles[0] : undefined;
  if (role !== 'owner' && role !== 'guest') throw badRequest(`The member '${reference}' must have exactly one role: owner or guest.`);
  if (isInTenant && isGuest && role !== 'guest') throw badRequest(`The in-tenant guest '${reference}' must have the guest role.`);
  if (!isInTenant && role !== 'owner') throw badRequest(`The out-of-tenant user '${reference}' must have the owner role.`);
  if (isInTenant && !isGuest && role === 'guest') throw badRequest(`The member '${reference}' is not a guest and cannot have the guest role.`);
}
