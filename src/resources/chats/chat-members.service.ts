import type { Store } from '../../store/db.ts';
import { StoreConflict, StoreParentMissing } from '../../store/errors.ts';
import type { ChatMemberTable, ChatTable } from '../../store/schema.ts';
import { withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { boundKey } from '../../wire/binds.ts';
import { GraphError, badRequest, notFound } from '../../wire/errors.ts';
import type { KnownMembers, MemberReference, MemberUser, UsersService } from '../users/users.service.ts';
import { type ChatAccess, chatNotFound, notChatMember } from './chats.access.ts';
import { type ConversationMemberBody, type MemberRow, memberUserId } from './chats.schemas.ts';
import * as chatsStore from './chats.store.ts';

/** A member as a request names it, resolved against the directory. */
export interface NewMember {
  readonly userId: string;
  readonly tenantId: string;
  readonly roles: readonly string[];
  readonly visibleHistoryStartDateTime: string | null;
}

const memberType = '#microsoft.graph.aadUserConversationMember';

/** Members resolved on remembered users, and what a fresh read must still find for them to hold. */
export interface KnownNewMembers {
  readonly members: readonly NewMember[];
  readonly found: KnownMembers['found'];
}

export const oneOnOneRosterFixed = () => badRequest('Members cannot be added to or removed from a oneOnOne chat.');
const memberNotFound = (membershipId: string) => notFound(`Member '${membershipId}' was not found in the chat.`);

export class ChatMembersService {
  constructor(
    private readonly store: Store,
    private readonly users: UsersService,
    private readonly access: ChatAccess,
  ) {}

  /**
   * Resolves and checks the members of a request: each is an aadUserConversationMember bound to an
   * existing user; in-tenant guests take the guest role and out-of-tenant users the owner role
   * (chat-post.md, "members").
   */
  async resolve(principal: Principal, bodies: readonly ConversationMemberBody[]): Promise<NewMember[]> {
    const references = bodies.map(memberReference);
    return checkedMembers(principal, bodies, references, await this.users.findMembers(principal, references));
  }

  /**
   * The members as `resolve` would find them on the users this instance last read, with the condition
   * that the database still holds those users; undefined when they are not all known, or refuse: a
   * refusal only ever comes from `resolve`.
   */
  resolveKnown(principal: Principal, bodies: readonly ConversationMemberBody[]): KnownNewMembers | undefined {
    try {
      const references = bodies.map(memberReference);
      const known = this.users.knownMembers(principal, references);
      return known === undefined ? undefined : { members: checkedMembers(principal, bodies, references, known.users), found: known.found };
    } catch {
      return undefined;
    }
  }

  async list(principal: Principal, chatId: string, pathUserId?: string): Promise<MemberRow[]> {
    const chat = await this.access.visibleChat(principal, chatId, pathUserId);
    return chatsStore.findMembers(this.store.db, [chat.id]);
  }

  async get(principal: Principal, chatId: string, membershipId: string): Promise<MemberRow> {
    const chat = await this.access.visibleChat(principal, chatId);
    const userId = memberUserId(chat.id, membershipId);
    const member = userId === null ? undefined : await chatsStore.findMember(this.store.db, chat.id, userId);
    if (member === undefined) throw memberNotFound(membershipId);
    return member;
  }

  /** Adds one member to a group chat; history defaults to none, as Graph's does (chat-post-members.md). */
  async add(principal: Principal, chatId: string, body: ConversationMemberBody): Promise<MemberRow> {
    const chat = await this.access.visibleChat(principal, chatId);
    if (chat.chat_type === 'oneOnOne') throw oneOnOneRosterFixed();
    const [member] = await this.resolve(principal, [body]);
    if (member === undefined) throw badRequest('A member is required.');
    const now = new Date().toISOString();
    try {
      await withTransaction(this.store, async (tx) => {
        await chatsStore.insertMember(tx, memberRow(chat.id, member, now, now));
        await chatsStore.updateChat(tx, chat.id, { last_updated_date_time: now });
      });
    } catch (err) {
      if (err instanceof StoreConflict) throw new GraphError('Conflict', `The user '${member.userId}' is already a member of the chat.`);
      // The chat was deleted since it was read.
      if (err instanceof StoreParentMissing) throw chatNotFound(chatId);
      throw err;
    }
    return (await chatsStore.findMember(this.store.db, chat.id, member.userId)) as MemberRow;
  }

  async remove(principal: Principal, chatId: string, membershipId: string): Promise<void> {
    const member = await this.get(principal, chatId, membershipId);
    const chat = (await chatsStore.findChat(this.store.db, member.chat_id)) as ChatTable;
    if (chat.chat_type === 'oneOnOne') throw oneOnOneRosterFixed();
    await withTransaction(this.store, async (tx) => {
      await chatsStore.deleteMember(tx, chat.id, member.user_id);
      await chatsStore.updateChat(tx, chat.id, { last_updated_date_time: new Date().toISOString() });
    });
  }

  /** A delegated caller acts in a chat only as one of its members (chat-post.md: the initiator is listed). */
  assertCallerListed(principal: Principal, members: readonly NewMember[]): void {
    if (principal.userId !== null && !members.some((member) => member.userId === principal.userId)) throw notChatMember();
  }
}

function checkedMembers(principal: Principal, bodies: readonly ConversationMemberBody[], references: readonly MemberReference[], users: readonly (MemberUser | undefined)[]): NewMember[] {
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

/** Checks a member's shape and reads which user it binds. */
function memberReference(body: ConversationMemberBody): MemberReference {
  if (body['@odata.type'] !== memberType) throw badRequest(`Each member must have "@odata.type": "${memberType}".`);
  const bind = body['user@odata.bind'];
  const idOrUpn = boundKey('users', bind);
  if (idOrUpn === null) throw badRequest(`Invalid user@odata.bind '${bind ?? ''}': expected a URL ending in /users('{id or userPrincipalName}').`);
  return { idOrUpn, tenantId: body.tenantId };
}

function assertRoles(roles: readonly string[], isInTenant: boolean, isGuest: boolean, reference: string): void {
  const role = roles.length === 1 ? roles[0] : undefined;
  if (role !== 'owner' && role !== 'guest') throw badRequest(`The member '${reference}' must have exactly one role: owner or guest.`);
  if (isInTenant && isGuest && role !== 'guest') throw badRequest(`The in-tenant guest '${reference}' must have the guest role.`);
  if (!isInTenant && role !== 'owner') throw badRequest(`The out-of-tenant user '${reference}' must have the owner role.`);
  if (isInTenant && !isGuest && role === 'guest') throw badRequest(`The member '${reference}' is not a guest and cannot have the guest role.`);
}

export function memberRow(chatId: string, member: NewMember, now: string, defaultHistory: string): ChatMemberTable {
  return {
    chat_id: chatId,
    user_id: member.userId,
    tenant_id: member.tenantId,
    roles: JSON.stringify(member.roles),
    visible_history_start_date_time: member.visibleHistoryStartDateTime ?? defaultHistory,
    created_date_time: now,
  };
}
