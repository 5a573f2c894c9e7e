import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import { StoreParentMissing } from '../../store/errors.ts';
import { MessageIdAllocator } from '../../store/message-ids.ts';
import { withSingleWrite } from '../../store/transaction.ts';
import type { ChannelTable, MessageTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { badRequest, forbidden, notFound } from '../../wire/errors.ts';
import { teamArchived } from '../teams/teams.rules.ts';
import type { UsersService } from '../users/users.service.ts';
import { type ChannelAccess, type ChannelScope, type ChannelUse, channelArchived, channelNotFound } from './channels.access.ts';
import * as messagesStore from './channel-messages.store.ts';
import type { ChannelMessageBody, ChannelMessageUpdateBody } from './channel-messages.schemas.ts';

export interface MessageThread {
  readonly message: MessageTable;
  readonly replies: readonly MessageTable[] | null;
}

const messageNotFound = (messageId: string) => notFound(`Message ${messageId} was not found in the channel.`);
// Importing history needs an app with Teamwork.Migrate.All (import-messages/import-external-messages-to-teams.md).
const migratePermission = 'Teamwork.Migrate.All';

/** Channel messages and their replies (channel-post-messages.md, chatmessage-post-replies.md, channel-list-messages.md). */
export class ChannelMessagesService {
  private readonly messageIds = new MessageIdAllocator();

  constructor(
    private readonly store: Store,
    private readonly access: ChannelAccess,
    private readonly users: UsersService,
  ) {}

  async post(principal: Principal, teamId: string, channelId: string, body: ChannelMessageBody, replyToId: string | null = null): Promise<MessageTable> {
    if (replyToId === null && !isImport(body)) {
      const posted = await this.postOnKnownFacts(principal, teamId, channelId, body);
      if (posted !== undefined) return posted;
    }
    const { channel, caller } = await this.conversation(principal, teamId, channelId, true);
    if (replyToId !== null && (await messagesStore.findMessage(this.store.db, channel.id, replyToId, null)) === undefined) throw messageNotFound(replyToId);
    const row = await this.newMessage(principal, channel, caller, body, replyToId);
    try {
      row.id = await withSingleWrite(this.store, (h) => this.messageIds.insert(h, row));
    } catch (err) {
      // The channel (and with it any root) was deleted since it was read: its foreign key refused the post.
      if (err instanceof StoreParentMissing) throw channelNotFound(channelId);
      throw err;
    }
    return row;
  }

  /**
   * A root message posted on the facts this instance last read for the caller and the channel, decided
   * as every post is, and written only if the database still holds those facts: one statement where a
   * post otherwise makes two (docs/decisions.md 88). Undefined when nothing was written: the post is
   * then made on facts read afresh, which alone may refuse it.
   */
  private async postOnKnownFacts(principal: Principal, teamId: string, channelId: string, body: ChannelMessageBody): Promise<MessageTable | undefined> {
    const known = this.access.knownChannel(principal, teamId, channelId, conversationUse(true));
    if (known === undefined) return undefined;
    let row: MessageTable;
    try {
      const { channel, caller } = openConversation(known.scope, true);
      row = await this.newMessage(principal, channel, caller, body, null);
    } catch {
      return undefined;
    }
    let id: string | undefined;
    try {
      id = await withSingleWrite(this.store, (h) => this.messageIds.tryInsert(row, (candidate) => messagesStore.insertIfScopeUnchanged(h, candidate, known.params, known.facts)));
    } catch (err) {
      // On PostgreSQL the guard can read the channel as the snapshot shows it, deleted since: the foreign
      // key, which reads it as committed, refuses the insert, and fresh facts give the answer.
      if (err instanceof StoreParentMissing) return undefined;
      throw err;
    }
    return id === undefined ? undefined : { ...row, id };
  }

  async list(principal: Principal, teamId: string, channelId: string, list: ListQuery, expand: string | null): Promise<ListPage<MessageThread>> {
    const page = (await this.pageOnKnownFacts(principal, teamId, channelId, list)) ?? (await this.freshPage(principal, teamId, channelId, list));
    const replies = expand === 'replies' ? await messagesStore.listRepliesOf(this.store.db, channelId, page.items.map((row) => row.id)) : null;
    return {
      ...page,
      items: page.items.map((message) => ({ message, replies: replies === null ? null : replies.filter((reply) => reply.reply_to_id === message.id) })),
    };
  }

  /**
   * A page of root messages read on the facts this instance last read for the caller and the channel,
   * decided as every read is and read only if the database still holds those facts: one statement where
   * a page otherwise takes two (docs/decisions.md 88). Undefined when it read nothing, which is also
   * what an empty channel gives: the page is then read on facts read afresh, which alone may refuse it.
   */
  private async pageOnKnownFacts(principal: Principal, teamId: string, channelId: string, list: ListQuery): Promise<ListPage<MessageTable> | undefined> {
    const known = this.access.knownChannel(principal, teamId, channelId, conversationUse(false));
    if (known === undefined || list.count) return undefined;
    const page = await messagesStore.rootPageIfScopeUnchanged(this.store.db, known.params, known.facts, list);
    return page.items.length === 0 ? undefined : page;
  }

  private async freshPage(principal: Principal, teamId: string, channelId: string, list: ListQuery): Promise<ListPage<MessageTable>> {
    const { channel } = await this.conversation(principal, teamId, channelId, false);
    return messagesStore.listMessages(this.store.db, channel.id, null, list);
  }

  async get(principal: Principal, teamId: string, channelId: string, messageId: string, replyToId: string | null = null): Promise<MessageTable> {
    const { channel } = await this.conversation(principal, teamId, channelId, false);
    const message = await messagesStore.findMessage(this.store.db, channel.id, messageId, replyToId);
    if (message === undefined) throw messageNotFound(messageId);
    return message;
  }

  async listReplies(principal: Principal, teamId: string, channelId: string, messageId: string, list: ListQuery): Promise<ListPage<MessageTable>> {
    const root = await this.get(principal, teamId, channelId, messageId);
    return messagesStore.listMessages(this.store.db, root.container_id, root.id, list);
  }

  /** Delegated callers edit their own messages; policyViolation is an application's to set (chatmessage-update.md). */
  async update(principal: Principal, teamId: string, channelId: string, messageId: string, replyToId: string | null, body: ChannelMessageUpdateBody): Promise<void> {
    const { message } = await this.writable(principal, teamId, channelId, messageId, replyToId);
    if (principal.userId === null) throw forbidden('An application can update only the policyViolation of a message.');
    if (message.from_user_id !== principal.userId) throw forbidden('Only the sender of a message can edit it.');
    const now = new Date().toISOString();
    await messagesStore.updateMessage(this.store.db, message.container_id, message.id, {
      ...(body.body === undefined ? {} : { body_content: body.body.content, body_content_type: body.body.contentType ?? 'text' }),
      ...(body.subject === undefined ? {} : { subject: body.subject }),
      ...(body.importance === undefined ? {} : { importance: body.importance }),
      last_modified_date_time: now,
      last_edited_date_time: now,
    });
  }

  /** softDelete and undoSoftDelete: the sender or an owner of the channel (chatmessage-softdelete.md). */
  async setDeleted(principal: Principal, teamId: string, channelId: string, messageId: string, replyToId: string | null, isDeleted: boolean): Promise<void> {
    const { message, channel } = await this.writable(principal, teamId, channelId, messageId, replyToId);
    if (message.from_user_id !== principal.userId && !(await this.access.ownsChannel(principal, channel))) {
      throw forbidden('Only the sender of a message or an owner of the channel can delete it.');
    }
    const now = new Date().toISOString();
    await messagesStore.updateMessage(this.store.db, message.container_id, message.id, { deleted_date_time: isDeleted ? now : null, last_modified_date_time: now });
  }

  /** A message that may change, with its channel: both the team and the channel must be active. */
  private async writable(principal: Principal, teamId: string, channelId: string, messageId: string, replyToId: string | null): Promise<{ message: MessageTable; channel: ChannelTable }> {
    const { team, channel } = await this.access.channel(principal, teamId, channelId, { messages: true });
    const message = await messagesStore.findMessage(this.store.db, channel.id, messageId, replyToId);
    if (message === undefined) throw messageNotFound(messageId);
    if (team.is_archived === 1) throw teamArchived(team.id);
    if (channel.is_archived === 1) throw channelArchived(channel.id);
    return { message, channel };
  }

  private async conversation(principal: Principal, teamId: string, channelId: string, isWrite: boolean): Promise<ChannelScope> {
    return openConversation(await this.access.channel(principal, teamId, channelId, conversationUse(isWrite)), isWrite);
  }

  /**
   * An import (createdDateTime or from given) is allowed only while the channel is in migration mode and
   * only to an app holding Teamwork.Migrate.All; a channel in migration takes nothing else, and after
   * completeMigration ordinary rules apply again (channel-post-messages.md, example 2).
   */
  private async newMessage(principal: Principal, channel: ChannelTable, caller: ChannelScope['caller'], body: ChannelMessageBody, replyToId: string | null): Promise<MessageTable> {
    const imported = isImport(body);
    const isMigrating = channel.migration_mode === 'inProgress';
    if (imported && !isMigrating) throw badRequest('createdDateTime and from can be set only when importing messages into a channel in migration mode.');
    if (isMigrating && !imported) throw badRequest(`Channel ${channel.id} is in migration mode: it accepts only imported messages until completeMigration.`);
    if (imported && !(principal.kind === 'application' && principal.permissions.has(migratePermission))) {
      throw forbidden(`Importing messages requires the application permission ${migratePermission}.`);
    }
    if (!imported && principal.userId === null) throw forbidden('An application can post channel messages only when importing into a channel in migration mode.');
    const createdAt = imported ? parseImportTime(body.createdDateTime) : new Date();
    const fromUserId = imported ? (body.from?.user?.id ?? null) : principal.userId;
    // An import names its sender, a user of the app's tenant (import-external-messages-to-teams.md).
    const sender = imported && fromUserId !== null ? await this.users.sender(principal.tenantId, fromUserId) : caller;
    const createdDateTime = createdAt.toISOString();
    return {
      container_id: channel.id,
      id: String(createdAt.getTime()),
      container_kind: 'channel',
      team_id: channel.team_id,
      reply_to_id: replyToId,
      message_type: 'message',
      from_user_id: fromUserId,
      from_display_name: sender?.displayName ?? null,
      from_tenant_id: sender?.tenantId ?? null,
      from_app_id: fromUserId === null ? principal.appId : null,
      subject: body.subject ?? null,
      body_content_type: body.body.contentType ?? 'text',
      body_content: body.body.content,
      importance: body.importance ?? 'normal',
      attachments: JSON.stringify(body.attachments ?? []),
      mentions: JSON.stringify(body.mentions ?? []),
      reactions: '[]',
      created_date_time: createdDateTime,
      last_modified_date_time: createdDateTime,
      last_edited_date_time: null,
      deleted_date_time: null,
    };
  }
}

const conversationUse = (isWrite: boolean): ChannelUse => ({ write: isWrite, messages: true });

/** A channel's conversation as a scope gives it: an archived channel takes no new messages. */
function openConversation(scope: ChannelScope, isWrite: boolean): ChannelScope {
  if (isWrite && scope.channel.is_archived === 1) throw channelArchived(scope.channel.id);
  return scope;
}

/** An import names its own time or sender (channel-post-messages.md, example 2). */
const isImport = (body: ChannelMessageBody) => body.createdDateTime !== undefined || body.from !== undefined;

function parseImportTime(value: string | undefined): Date {
  const at = value === undefined ? Date.now() : Date.parse(value);
  if (Number.isNaN(at)) throw badRequest(`Invalid createdDateTime '${value ?? ''}'.`);
  if (at > Date.now()) throw badRequest('createdDateTime cannot be in the future.');
  return new Date(at);
}
