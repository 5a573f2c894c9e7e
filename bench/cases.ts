// The bench's cases (docs/benchmarks.md has the table). Most send one request, the same on both sides,
// to teamgraph and to the baseline server, in each flavour the route takes: with an app-only token,
// with a delegated token, and for a few the token-less dev-mode shortcut, reported apart.

/** How a request signs in: a client-credentials token, a password-grant token, or no token at all (dev mode). */
export type Flavour = 'app' | 'delegated' | 'dev';

/**
 * The server a side runs on: by default teamgraph for the Graph side and the baseline server for the
 * baseline; `teamgraph-full` is teamgraph with `--sqlite-synchronous full` on the same SQLite file.
 */
export type Server = 'baseline' | 'teamgraph' | 'teamgraph-full';

export interface Target {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** A fresh body per request (a new chat topic each time), or none. */
  readonly body?: () => unknown;
  readonly flavour: Flavour;
  readonly server?: Server;
  /** How many requests make one operation; rates are operations per second. */
  readonly requestsPerOperation?: number;
}

export interface Case {
  /** The operation and, for a matched case, its flavour: `user-get-app`. */
  readonly name: string;
  readonly operation: string;
  readonly graph: Target;
  readonly baseline: Target;
  /** A case about an SQLite setting, not run on PostgreSQL. */
  readonly isSqliteOnly?: boolean;
  /** Subscriptions watching the Graph side's channel, each posting to the bench's receiver. */
  readonly watchers?: number;
}

export const tenantId = 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f';
export const adele = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
const chatId = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
const teamId = '57fb72d0-d811-46f4-8947-305e6072eaa5';
const channelId = '19:6a2c9e4b1d8f4c7ab0e5d3f2a1b4c6d8@thread.tacv2';
const channelMessages = `/v1.0/teams/${teamId}/channels/${encodeURIComponent(channelId)}/messages`;
// The notify case posts to two channels no other case posts to: the team's General channel, which no
// subscription watches, and a copy of it the bench adds, which ten do.
export const generalChannelId = '19:0b1f4a6e8c2d4e9fa7b3c5d6e7f80912@thread.tacv2';
export const watchedChannel = { teamId, channelId: '19:benchwatchedchannel00000000000000@thread.tacv2' };
let sequence = 0;
const member = (userId: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
});
const groupChat = () => ({
  chatType: 'group',
  topic: `Bench chat ${process.pid}-${++sequence}`,
  members: [member(adele), member('8b081ef6-4792-4def-b2c9-c363a1bf41d5'), member('8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca')],
});
const message = () => ({ body: { contentType: 'text', content: `Bench message ${++sequence}` } });
// One $batch of 20 user reads against the same 20 reads sent one by one to teamgraph.
const batchSize = 20;
const batchOfUserGets = { requests: Array.from({ length: batchSize }, (_, index) => ({ id: String(index + 1), method: 'GET', url: `/users/${adele}` })) };
// The chat the chat-message-filter cases fill with 10,000 messages, one a minute from this instant.
export const filterChatId = '19:bench-filter-chat@thread.v2';
export const filterStart = Date.parse('2026-01-01T00:00:00Z');
export const filterMessages = 10_000;
const filterAfter = new Date(filterStart + (filterMessages / 2) * 60_000).toISOString();

type Request = Pick<Target, 'method' | 'path' | 'body'>;
const userGet: Request = { method: 'GET', path: `/v1.0/users/${adele}` };
const teamGet: Request = { method: 'GET', path: `/v1.0/teams/${teamId}` };
const chatCreate: Request = { method: 'POST', path: '/v1.0/chats', body: groupChat };
const chatGetMembers: Request = { method: 'GET', path: `/v1.0/chats/${encodeURIComponent(chatId)}?$expand=members` };
const channelMessageCreate: Request = { method: 'POST', path: channelMessages, body: message };
const channelMessageList: Request = { method: 'GET', path: `${channelMessages}?$top=50` };
// chat-list-messages.md's filter: lastModifiedDateTime gt …, with $orderby on the same property.
const chatMessageFilter: Request = {
  method: 'GET',
  path: `/v1.0/chats/${encodeURIComponent(filterChatId)}/messages?$filter=${encodeURIComponent(`lastModifiedDateTime gt ${filterAfter}`)}&$orderby=${encodeURIComponent('lastModifiedDateTime desc')}&$top=50`,
};

/** The same request, with the same token, to teamgraph and to the baseline server. */
const matched = (operation: string, flavour: Flavour, request: Request): Case => ({
  name: `${operation}-${flavour}`,
  operation,
  graph: { ...request, flavour },
  baseline: { ...request, flavour },
});

export const cases: readonly Case[] = [
  matched('user-get', 'app', userGet),
  matched('user-get', 'delegated', userGet),
  matched('user-get', 'dev', userGet),
  matched('team-get', 'app', teamGet),
  matched('team-get', 'delegated', teamGet),
  matched('chat-create', 'app', chatCreate),
  matched('chat-create', 'delegated', chatCreate),
  matched('chat-get-members', 'app', chatGetMembers),
  matched('chat-get-members', 'delegated', chatGetMembers),
  // An app posts to a channel only in migration mode (channel-post-messages.md): delegated only.
  matched('channel-message-create', 'delegated', channelMessageCreate),
  matched('channel-message-create', 'dev', channelMessageCreate),
  matched('channel-message-list', 'app', channelMessageList),
  matched('channel-message-list', 'delegated', channelMessageList),
  matched('chat-message-filter', 'app', chatMessageFilter),
  matched('chat-message-filter', 'delegated', chatMessageFilter),
  {
    name: 'batch-get-20',
    operation: 'batch-get-20',
    graph: { method: 'POST', path: '/v1.0/$batch', body: () => batchOfUserGets, flavour: 'delegated' },
    baseline: { ...userGet, flavour: 'delegated', server: 'teamgraph', requestsPerOperation: batchSize },
  },
  {
    // What change notifications cost a write (decision 152): the same post, to a channel ten
    // subscriptions watch and to one none does, on one teamgraph; the deliveries run meanwhile.
    name: 'channel-message-create-notify-10',
    operation: 'channel-message-create-notify-10',
    graph: {
      method: 'POST',
      path: `/v1.0/teams/${teamId}/channels/${encodeURIComponent(watchedChannel.channelId)}/messages`,
      body: message,
      flavour: 'delegated',
      server: 'teamgraph',
    },
    baseline: {
      method: 'POST',
      path: `/v1.0/teams/${teamId}/channels/${encodeURIComponent(generalChannelId)}/messages`,
      body: message,
      flavour: 'delegated',
      server: 'teamgraph',
    },
    watchers: 10,
  },
  {
    // What syncing every commit costs (decision 96): the same channel post, teamgraph with FULL against
    // teamgraph with the default NORMAL, on one SQLite file.
    name: 'sqlite-synchronous-full',
    operation: 'sqlite-synchronous-full',
    graph: { ...channelMessageCreate, flavour: 'delegated', server: 'teamgraph-full' },
    baseline: { ...channelMessageCreate, flavour: 'delegated', server: 'teamgraph' },
    isSqliteOnly: true,
  },
];
