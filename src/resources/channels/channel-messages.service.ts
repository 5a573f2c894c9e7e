import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import { StoreParentMissing } from '../../store/errors.ts';
import type { MessageIdAllocator } from '../../store/message-ids.ts';
import { withSingleWrite } from '../../store/transaction.ts';
import type { ChannelTable, MessageTable } from '../../store/schema.ts';
import type { Principal } from '../../wire/auth.ts';
import { badRequest, forbidden, notFound } from '../../wire/errors.ts';
import type { UsersService } from '../users/users.service.ts';
import { type MessageSender, type MessageUpdateBody, messageRow } from '../messages/messages.schemas.ts';
import { type ChannelAccess, type ChannelScope, channelNotFound } from './channels.access.ts';
import * as messagesStore from './channel-messages.store.ts';
import type { ChannelMessageBody } from './channel-messages.schemas.ts';

export interface MessageThread {
  readonly message: MessageTable;
  readonly replies: readonly MessageTable[] | null;
}

const messageNotFound = (messageId: string) => notFound(`Message ${messageId} was not found in the channel.`);

/** Channel messages and their replies (channel-post-messages.md, chatmessage-post-replies.md, channel-list-messages.md). */
export class ChannelMessagesService {
  constructor(
    private readonly store: Store,
    private readonly access: ChannelAccess,
    private readonly users: UsersService,
    private readonly messageIds: MessageIdAllocator,
  ) {}

  /** A root message may be decided on remembered facts; a reply, which needs its root, and an import may not. */
  post(principal: Principal, teamId: string, channelId: string, body: ChannelMessageBody, replyToId: string | null = null): Promise<MessageTable> {
    const imported = isImport(body);
    return this.access.onChannel(principal, teamId, channelId, imported ? 'import message' : 'post message', {
      warm: replyToId === null && !imported,
      // One statement where a post otherwise makes two (docs/decisions.md 88).
      guarded: async ({ channel, caller }, known) => {
        const row = newMessage(principal, channel, caller, body, new Date(), principal.userId, null);
        try {
          const id = await withSingleWrite(this.store, (h) =>
            this.messageIds.tryInsert(row, (candidate) => messagesStore.insertIfScopeUnchanged(h, candidate, known.params, known.facts)),
          );
          return id === undefined ? undefined : { ...row, id };
        } catch (err) {
          // On PostgreSQL the guard can read the channel as the snapshot shows it, deleted since: the foreign
          // key, which reads it as committed, refuses the insert, and fresh facts give the answer.
          if (err instanceof StoreParentMissing) return undefined;
          throw err;
        }
      },
      fresh: async ({ channel, caller }) => {
        if (replyToId !== null && (await messagesStore.findMessage(this.store.db, channel.id, replyToId, null)) === undefined) throw messageNotFound(replyToId);
        // An import names its sender, a user of the app's tenant (import-external-messages-to-teams.md).
        const fromUserId = imported ? (body.from?.user?.id ?? null) : principal.userId;
        const sender = imported && fromUserId !== null ? await this.users.sender(principal.tenantId, fromUserId) : caller;
        const row = newMessage(principal, channel, sender, body, imported ? parseImportTime(body.createdDateTime) : new Date(), fromUserId, replyToId);
        try {
          row.id = await withSingleWrite(this.store, (h) => this.messageIds.insert(h, row));
        } catch (err) {
          // The channel (and with it any root) was deleted since it was read: its foreign key refused the post.
          if (err instanceof StoreParentMissing) throw channelNotFound(channelId);
          throw err;
        }
        return row;
      },
    });
  }

  /**
   * A page of root messages; without a count it may be read on remembered facts, by one statement that
   * returns it only while the database still holds them (docs/decisions.md 95). An empty result, which
   * is also what an empty channel gives, sends the read back to fresh facts.
   */
  async list(principal: Principal, teamId: string, channelId: string, list: ListQuery, expand: string | null): Promise<ListPage<MessageThread>> {
    const page = await this.access.onChannel(principal, teamId, channelId, 'read messages', {
      warm: !list.count,
      guarded: async (_scope, known) => {
        const guardedPage = await messagesStore.rootPageIfScopeUnchanged(this.store.db, known.params, known.facts, list);
        return guardedPage.items.length === 0 ? undefined : guardedPage;
      },
      fresh: ({ channel }) => messagesStore.listMessages(this.store.db, channel.id, null, list),
    });
    return { ...page, items: await this.withReplies(channelId, page.items, expand) };
  }

  /** A root message, with its replies when `$expand=replies` asks for them (clients send it on a get too). */
  async getThread(principal: Principal, teamId: string, channelId: string, messageId: string, expand: string | null): Promise<MessageThread> {
    const message = await this.get(principal, teamId, channelId, messageId);
    const [thread] = await this.withReplies(message.container_id, [message], expand);
    return thread as MessageThread;
  }

  /** Root messages with their replies, newest first, read in one statement for all of them. */
  private async withReplies(channelId: string, roots: readonly MessageTable[], expand: string | null): Promise<MessageThread[]> {
    if (expand !== 'replies') return roots.map((message) => ({ message, replies: null }));
    const replies = await messagesStore.listRepliesOf(
      this.store.db,
      channelId,
      roots.map((row) => row.id),
    );
    return roots.map((message) => ({ message, replies: replies.filter((reply) => reply.reply_to_id === message.id) }));
  }

  async get(principal: Principal, teamId: string, channelId: string, messageId: string, replyToId: string | null = null): Promise<MessageTable> {
    const { channel } = await this.access.channel(principal, teamId, channelId, 'read messages');
    const message = await messagesStore.findMessage(this.store.db, channel.id, messageId, replyToId);
    if (message === undefined) throw messageNotFound(messageId);
    return message;
  }

  async listReplies(principal: Principal, teamId: string, channelId: string, messageId: string, list: ListQuery): Promise<ListPage<MessageTable>> {
    const root = await this.get(principal, teamId, channelId, messageId);
    return messagesStore.listMessages(this.store.db, root.container_id, root.id, list);
  }

  /** Delegated callers edit their own messages; policyViolation is an application's to set (chatmessage-update.md). */
  async update(principal: Principal, teamId: string, channelId: string, messageId: string, replyToId: string | null, body: MessageUpdateBody): Promise<void> {
    const { message } = await this.writable(principal, teamId, channelId, messageId, replyToId);
    if (principal.userId === null) throw forbidden('An application can update only the policyViolation of a message.');
    if (message.from_user_id !== principal.userId) throw forbidden('Only the sender of a message can edit it.');
    const now = new Date().toISOString();
    await withSingleWrite(this.store, (h) =>
      messagesStore.updateMessage(h, message.container_id, message.id, {
        ...(body.body === undefined ? {} : { body_content: body.body.content, body_content_type: body.body.contentType ?? 'text' }),
        ...(body.subject === undefined ? {} : { subject: body.subject }),
        ...(body.importance === undefined ? {} : { importance: body.importance }),
        last_modified_date_time: now,
        last_edited_date_time: now,
      }),
    );
  }

  /** softDelete and undoSoftDelete: the sender or an owner of the channel (chatmessage-softdelete.md). */
  async setDeleted(principal: Principal, teamId: string, channelId: string, messageId: string, replyToId: string | null, isDeleted: boolean): Promise<void> {
    const { message, channel } = await this.writable(principal, teamId, channelId, messageId, replyToId);
    if (message.from_user_id !== principal.userId && !(await this.access.ownsChannel(principal, channel))) {
      throw forbidden('Only the sender of a message or an owner of the channel can delete it.');
    }
    const now = new Date().toISOString();
    await withSingleWrite(this.store, (h) =>
      messagesStore.updateMessage(h, message.container_id, message.id, { deleted_date_time: isDeleted ? now : null, last_modified_date_time: now }),
    );
  }

  /** A message that may change, with its channel: the access decision asks both the team and the channel to be active. */
  private async writable(
    principal: Principal,
    teamId: string,
    channelId: string,
    messageId: string,
    replyToId: string | null,
  ): Promise<{ message: MessageTable; channel: ChannelTable }> {
    const { channel } = await this.access.channel(principal, teamId, channelId, 'change message');
    const message = await messagesStore.findMessage(this.store.db, channel.id, messageId, replyToId);
    if (message === undefined) throw messageNotFound(messageId);
    return { message, channel };
  }
}

/** A channel message's row, as every message's is built (messages.schemas.ts). */
function newMessage(
  principal: Principal,
  channel: ChannelTable,
  sender: MessageSender | ChannelScope['caller'],
  body: ChannelMessageBody,
  createdAt: Date,
  fromUserId: string | null,
  replyToId: string | null,
): MessageTable {
  return messageRow(
    { containerKind: 'channel', containerId: channel.id, teamId: channel.team_id, replyToId, fromUserId, appId: principal.appId, sender, createdAt },
    body,
  );
}

/** An import names its own time or sender (channel-post-messages.md, example 2). */
const isImport = (body: ChannelMessageBody) => body.createdDateTime !== undefined || body.from !== undefined;

function parseImportTime(value: string | undefined): Date {
  const at = value === undefined ? Date.now() : Date.parse(value);
  if (Number.isNaN(at)) throw badRequest(`Invalid createdDateTime '${value ?? ''}'.`);
  if (at > Date.now()) throw badRequest('createdDateTime cannot be in the future.');
  return new Date(at);
}
