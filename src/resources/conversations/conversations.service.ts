import type { ListPage, ListQuery } from '../../query/list-query.ts';
import type { Store } from '../../store/db.ts';
import type { GroupConversationTable, GroupPostTable, GroupThreadTable } from '../../store/schema.ts';
import { StoreParentMissing } from '../../store/errors.ts';
import { type Handle, withTransaction } from '../../store/transaction.ts';
import type { Principal } from '../../wire/auth.ts';
import { GraphError, directoryObjectNotFound } from '../../wire/errors.ts';
import type { GroupView } from '../groups/groups.service.ts';
import type { UsersService } from '../users/users.service.ts';
import type { ConversationsAccess } from './conversations.access.ts';
import { conversationIdOf, isPostIdShaped, newKey, parseConversationId, parseThreadId, threadIdOf } from './conversations.ids.ts';
import type { ConversationRefBody, ForwardBody, PostAddress, PostInput, Recipient, ThreadAddress } from './conversations.schemas.ts';
import * as conversationsStore from './conversations.store.ts';
export { conversationColumns as conversationFields, postColumns as postFields, threadColumns as threadFields } from './conversations.store.ts';
import { assertPostInput, assertRecipient, authorOf, groupRecipient, newPostRow, postInstant, summaryOf, withParticipants } from './posts.compose.ts';

// Exchange's answers for ids (group conversation APIs are served by the group mailbox).
const malformedId = () => new GraphError('ErrorInvalidIdMalformed', 'Id is malformed.');
const itemNotFound = () => new GraphError('ErrorItemNotFound', 'The specified object was not found in the store.');

/** A post with the relationship the request expands, or null when it expands none. */
export interface PostView {
  readonly post: GroupPostTable;
  readonly expanded:
    { readonly inReplyTo: GroupPostTable | null } | { readonly attachments: readonly never[] } | { readonly extensions: readonly never[] } | null;
}

export interface NewThread {
  readonly topic: string;
  readonly post: PostInput;
}

const beforeAnyPost = new Date(0).toISOString();

interface Author {
  readonly group: GroupView;
  readonly sender: Recipient;
}

/** Conversations, threads and posts of Microsoft 365 groups (api-reference/v1.0/resources/conversation.md). */
export class ConversationsService {
  constructor(
    private readonly store: Store,
    private readonly access: ConversationsAccess,
    private readonly users: UsersService,
  ) {}

  async list(principal: Principal, groupId: string, list: ListQuery): Promise<ListPage<GroupConversationTable>> {
    const group = await this.access.groupFor(principal, groupId);
    return conversationsStore.listConversations(this.store.db, group.row.id, list);
  }

  async get(principal: Principal, groupId: string, conversationId: string): Promise<GroupConversationTable> {
    const group = await this.access.groupFor(principal, groupId);
    return this.findConversation(this.store.db, group, conversationId);
  }

  /** group-post-conversations.md: a new conversation holding one thread that holds the first post. */
  async create(principal: Principal, groupId: string, input: NewThread): Promise<{ conversation: GroupConversationTable; thread: GroupThreadTable }> {
    assertPostInput(input.post);
    const author = await this.authorFor(principal, groupId);
    return this.writeUnder(
      () => directoryObjectNotFound(groupId),
      async (tx) => {
        const conversationKey = newKey();
        const conversationId = conversationIdOf(author.group.row.id, conversationKey);
        await conversationsStore.insertConversation(tx, shellRow(author.group, conversationId, { topic: input.topic }, beforeAnyPost));
        const threadId = threadIdOf(author.group.row.id, conversationKey, conversationKey);
        const thread = await this.startThread(tx, author, conversationId, threadId, input);
        return { conversation: await this.findConversation(tx, author.group, conversationId), thread };
      },
    );
  }

  /** The seed 001 draft: a conversation from its own properties, without threads (docs/decisions.md). */
  async addReference(principal: Principal, groupId: string, input: ConversationRefBody): Promise<GroupConversationTable> {
    const group = await this.access.groupFor(principal, groupId);
    const row = shellRow(group, conversationIdOf(group.row.id, newKey()), input, new Date().toISOString());
    await this.writeUnder(
      () => directoryObjectNotFound(groupId),
      (tx) => conversationsStore.insertConversation(tx, row),
    );
    return row;
  }

  async addReferenceToJoinedTeam(principal: Principal, userId: string, teamId: string, input: ConversationRefBody): Promise<GroupConversationTable> {
    const team = await this.access.joinedTeamFor(principal, userId, teamId);
    return this.addReference(principal, team.row.id, input);
  }

  async delete(principal: Principal, groupId: string, conversationId: string): Promise<void> {
    const group = await this.access.groupFor(principal, groupId);
    await withTransaction(this.store, async (tx) => {
      await this.findConversation(tx, group, conversationId);
      await conversationsStore.deleteConversation(tx, conversationId);
    });
  }

  async listThreads(principal: Principal, groupId: string, conversationId: string | null, list: ListQuery): Promise<ListPage<GroupThreadTable>> {
    const group = await this.access.groupFor(principal, groupId);
    if (conversationId !== null) await this.findConversation(this.store.db, group, conversationId);
    return conversationsStore.listThreads(this.store.db, group.row.id, conversationId, list);
  }

  async getThread(principal: Principal, address: ThreadAddress): Promise<GroupThreadTable> {
    const group = await this.access.groupFor(principal, address.groupId);
    return this.findThread(this.store.db, group, address);
  }

  /** group-post-threads.md: like creating a conversation, answered with the thread. */
  async createThread(principal: Principal, groupId: string, input: NewThread): Promise<GroupThreadTable> {
    return (await this.create(principal, groupId, input)).thread;
  }

  /** conversation-post-threads.md: a further thread in an existing conversation, on its topic unless given. */
  async addThread(principal: Principal, groupId: string, conversationId: string, topic: string | undefined, post: PostInput): Promise<GroupThreadTable> {
    assertPostInput(post);
    const author = await this.authorFor(principal, groupId);
    return this.writeUnder(itemNotFound, async (tx) => {
      const conversation = await this.findConversation(tx, author.group, conversationId);
      const conversationKey = parseConversationId(conversation.id)?.conversationKey ?? newKey();
      const threadId = threadIdOf(author.group.row.id, conversationKey, newKey());
      return this.startThread(tx, author, conversation.id, threadId, { topic: topic ?? conversation.topic, post });
    });
  }

  async updateThread(principal: Principal, address: ThreadAddress, changes: { isLocked?: boolean }): Promise<void> {
    const group = await this.access.groupFor(principal, address.groupId);
    await withTransaction(this.store, async (tx) => {
      const thread = await this.findThread(tx, group, address);
      if (changes.isLocked !== undefined) await conversationsStore.updateThread(tx, thread.id, { is_locked: changes.isLocked ? 1 : 0 });
    });
  }

  /** A conversation lives as long as one of its threads does. */
  async deleteThread(principal: Principal, address: ThreadAddress): Promise<void> {
    const group = await this.access.groupFor(principal, address.groupId);
    await withTransaction(this.store, async (tx) => {
      const thread = await this.findThread(tx, group, address);
      await conversationsStore.deleteThread(tx, thread.id);
      if ((await conversationsStore.threadsOfConversation(tx, thread.conversation_id)).length === 0) {
        await conversationsStore.deleteConversation(tx, thread.conversation_id);
      } else {
        await refreshSummaries(tx, thread.conversation_id);
      }
    });
  }

  /** conversationthread-reply.md: a new post in the thread, answering its latest post. */
  async replyToThread(principal: Principal, address: ThreadAddress, post: PostInput): Promise<void> {
    assertPostInput(post);
    const author = await this.authorFor(principal, address.groupId);
    await this.writeUnder(itemNotFound, async (tx) => {
      const thread = await this.findThread(tx, author.group, address);
      const latest = await conversationsStore.findLatestPost(tx, thread.id);
      await this.addPost(tx, author, thread, post, latest?.id ?? null);
    });
  }

  async listPosts(principal: Principal, address: ThreadAddress, list: ListQuery, expand: string | null): Promise<ListPage<PostView>> {
    const group = await this.access.groupFor(principal, address.groupId);
    const thread = await this.findThread(this.store.db, group, address);
    const page = await conversationsStore.listPosts(this.store.db, thread.id, list);
    return { ...page, items: await this.withExpanded(page.items, expand) };
  }

  async getPost(principal: Principal, address: PostAddress, expand: string | null): Promise<PostView> {
    const group = await this.access.groupFor(principal, address.groupId);
    const post = await this.findPost(this.store.db, await this.findThread(this.store.db, group, address), address.postId);
    const [view] = await this.withExpanded([post], expand);
    return view as PostView;
  }

  /** The one relationship `$expand` names (conversationthread-list-posts.md); attachments and extensions are none here. */
  private async withExpanded(posts: readonly GroupPostTable[], expand: string | null): Promise<PostView[]> {
    if (expand === 'attachments') return posts.map((post) => ({ post, expanded: { attachments: [] } }));
    if (expand === 'extensions') return posts.map((post) => ({ post, expanded: { extensions: [] } }));
    if (expand !== 'inReplyTo') return posts.map((post) => ({ post, expanded: null }));
    const parents = await conversationsStore.findPostsByIds(
      this.store.db,
      posts.flatMap((post) => post.in_reply_to_id ?? []),
    );
    const byId = new Map(parents.map((parent) => [parent.id, parent]));
    return posts.map((post) => ({ post, expanded: { inReplyTo: (post.in_reply_to_id === null ? undefined : byId.get(post.in_reply_to_id)) ?? null } }));
  }

  /** post-reply.md: a new post in the same thread whose inReplyTo is the post answered. */
  async replyToPost(principal: Principal, address: PostAddress, post: PostInput): Promise<void> {
    assertPostInput(post);
    const author = await this.authorFor(principal, address.groupId);
    await this.writeUnder(itemNotFound, async (tx) => {
      const thread = await this.findThread(tx, author.group, address);
      const parent = await this.findPost(tx, thread, address.postId);
      await this.addPost(tx, author, thread, post, parent.id);
    });
  }

  /** post-forward.md: teamgraph delivers no mail, so forwarding checks the post and the recipients only. */
  async forwardPost(principal: Principal, address: PostAddress, input: ForwardBody): Promise<void> {
    for (const recipient of input.toRecipients) assertRecipient(recipient);
    const group = await this.access.groupFor(principal, address.groupId);
    await this.findPost(this.store.db, await this.findThread(this.store.db, group, address), address.postId);
  }

  /**
   * A write under a group, conversation or thread read in or before it. On PostgreSQL another request
   * can delete that parent meanwhile; the foreign key then refuses the write, and `missing` is the answer.
   */
  private async writeUnder<T>(missing: () => GraphError, write: (tx: Handle) => Promise<T>): Promise<T> {
    try {
      return await withTransaction(this.store, write);
    } catch (err) {
      if (err instanceof StoreParentMissing) throw missing();
      throw err;
    }
  }

  private async authorFor(principal: Principal, groupId: string): Promise<Author> {
    const group = await this.access.groupFor(principal, groupId);
    const user = principal.userId === null ? null : await this.users.get(principal, principal.userId);
    return { group, sender: authorOf(user, group) };
  }

  private async startThread(tx: Handle, author: Author, conversationId: string, threadId: string, input: NewThread): Promise<GroupThreadTable> {
    const thread: GroupThreadTable = {
      id: threadId,
      conversation_id: conversationId,
      group_id: author.group.row.id,
      topic: input.topic,
      to_recipients: JSON.stringify([groupRecipient(author.group)]),
      cc_recipients: '[]',
      is_locked: 0,
      has_attachments: 0,
      last_delivered_date_time: beforeAnyPost, // the first post, in this transaction, sets the summary
      preview: '',
      unique_senders: '[]',
    };
    await conversationsStore.insertThread(tx, thread);
    await this.addPost(tx, author, thread, input.post, null);
    return this.findThread(tx, author.group, { groupId: author.group.row.id, threadId });
  }

  private async addPost(tx: Handle, author: Author, thread: GroupThreadTable, input: PostInput, inReplyToId: string | null): Promise<void> {
    if (thread.is_locked === 1) throw new GraphError('Forbidden', 'The thread is locked; posting to it is not allowed.');
    const place = { groupId: thread.group_id, conversationId: thread.conversation_id, threadId: thread.id, inReplyToId };
    await conversationsStore.insertPost(tx, newPostRow(place, input, author.sender, postInstant(thread)));
    const recipients = withParticipants(JSON.parse(thread.to_recipients) as Recipient[], input.newParticipants);
    await conversationsStore.updateThread(tx, thread.id, { to_recipients: JSON.stringify(recipients) });
    await refreshSummaries(tx, thread.conversation_id);
  }

  private async findConversation(h: Handle, group: GroupView, conversationId: string): Promise<GroupConversationTable> {
    if (parseConversationId(conversationId) === null) throw malformedId();
    const row = await conversationsStore.findConversation(h, group.row.id, conversationId);
    if (row === undefined) throw itemNotFound();
    return row;
  }

  private async findThread(h: Handle, group: GroupView, address: ThreadAddress): Promise<GroupThreadTable> {
    if (parseThreadId(address.threadId) === null) throw malformedId();
    if (address.conversationId !== undefined) await this.findConversation(h, group, address.conversationId);
    const row = await conversationsStore.findThread(h, group.row.id, address.threadId);
    if (row === undefined || (address.conversationId !== undefined && row.conversation_id !== address.conversationId)) throw itemNotFound();
    return row;
  }

  private async findPost(h: Handle, thread: GroupThreadTable, postId: string): Promise<GroupPostTable> {
    if (!isPostIdShaped(postId)) throw malformedId();
    const row = await conversationsStore.findPost(h, thread.id, postId);
    if (row === undefined) throw itemNotFound();
    return row;
  }
}

function shellRow(group: GroupView, id: string, input: ConversationRefBody, at: string): GroupConversationTable {
  return {
    id,
    tenant_id: group.row.tenant_id,
    group_id: group.row.id,
    topic: input.topic,
    has_attachments: input.hasAttachments === true ? 1 : 0,
    last_delivered_date_time: input.lastDeliveredDateTime === undefined ? at : new Date(input.lastDeliveredDateTime).toISOString(),
    preview: input.preview ?? '',
    unique_senders: JSON.stringify(input.uniqueSenders ?? []),
  };
}

/** Keeps every thread's and the conversation's summary in step with the posts, in the same transaction. */
async function refreshSummaries(tx: Handle, conversationId: string): Promise<void> {
  const posts = await conversationsStore.postsOfConversation(tx, conversationId);
  for (const thread of await conversationsStore.threadsOfConversation(tx, conversationId)) {
    const summary = summaryOf(posts.filter((post) => post.thread_id === thread.id));
    if (summary !== null) await conversationsStore.updateThread(tx, thread.id, summary);
  }
  const summary = summaryOf(posts);
  if (summary !== null) await conversationsStore.updateConversationSummary(tx, conversationId, summary);
}
