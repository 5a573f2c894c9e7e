import type { Store } from '../../store/db.ts';
import { StoreConflict, StoreParentMissing } from '../../store/errors.ts';
import type { ChatMemberTable, ChatTable } from '../../store/schema.ts';
import { withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { boundKey } from '../../wire/binds.ts';
import { GraphError, badRequest, notFound } from '../../wire/errors.ts';
import { onFreshFacts } from '../../store/remembered-facts.ts';
import type { MemberReference, UsersService } from '../users/users.service.ts';
import { type ChatAccess, type MemberFacts, type NewMember, chatNotFound, decideMembers } from './chats.access.ts';
import { type ConversationMemberBody, type MemberRow, memberUserId } from './chats.schemas.ts';
import * as chatsStore from './chats.store.ts';

const memberType = '#microsoft.graph.aadUserConversationMember';

const oneOnOneRosterFixed = () => badRequest('Members cannot be added to or removed from a oneOnOne chat.');
const memberNotFound = (membershipId: string) => notFound(`Member '${membershipId}' was not found in the chat.`);

export class ChatMembersService {
  constructor(
    private readonly store: Store,
    private readonly users: UsersService,
    private readonly access: ChatAccess,
  ) {}

  /** The members of a request, decided on users read afresh (chats.access.ts, decideMembers). */
  resolve(principal: Principal, chatType: 'oneOnOne' | 'group' | null, bodies: readonly ConversationMemberBody[]): Promise<NewMember[]> {
    const references = memberReferences(bodies);
    return onFreshFacts(
      () => this.freshMembers(principal, references),
      (facts) => decideMembers(principal, chatType, bodies, references, facts),
    );
  }

  /** The users the references find, read afresh (and remembered, decision 88). */
  async freshMembers(principal: Principal, references: readonly MemberReference[]): Promise<MemberFacts> {
    return { users: await this.users.findMembers(principal, references), found: undefined };
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
    const [member] = await this.resolve(principal, null, [body]);
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
}

/** Checks each member's shape and reads which user it binds. */
export function memberReferences(bodies: readonly ConversationMemberBody[]): MemberReference[] {
  return bodies.map(memberReference);
}

function memberReference(body: ConversationMemberBody): MemberReference {
  if (body['@odata.type'] !== memberType) throw badRequest(`Each member must have "@odata.type": "${memberType}".`);
  const bind = body['user@odata.bind'];
  const idOrUpn = boundKey('users', bind);
  if (idOrUpn === null) throw badRequest(`Invalid user@odata.bind '${bind ?? ''}': expected a URL ending in /users('{id or userPrincipalName}').`);
  return { idOrUpn, tenantId: body.tenantId };
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
