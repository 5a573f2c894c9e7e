import type { Store } from '../../store/db.ts';
import type { ChatTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { forbidden, notFound } from '../../wire/errors.ts';
import type { UsersService } from '../users/users.service.ts';
import type { MemberRow } from './chats.schemas.ts';
import * as chatsStore from './chats.store.ts';

export const chatNotFound = (chatId: string) => notFound(`Chat '${chatId}' was not found.`);
export const notChatMember = () => forbidden('The caller is not a member of the chat.');

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
