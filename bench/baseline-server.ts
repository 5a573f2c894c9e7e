// The benchmark's baseline: a plain Fastify server answering the bench's requests, on the same paths
// and with the same tokens as teamgraph, doing the database work teamgraph does for each by the fastest
// means a plain route has (baseline-store.ts), with none of teamgraph's pipeline: no request ids, OData,
// Graph serialisation or error envelope. Its answers are the rows read or written, as JSON.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { type Permissions, type Principal, authenticator, failure } from './baseline-auth.ts';
import { type Row, openBaselineStore } from './baseline-store.ts';

const database = process.argv[2] ?? '';
const store = openBaselineStore(database);
const authenticate = await authenticator(store);
const app = Fastify({ logger: false });
const as = (request: { headers: { authorization?: string } }, accepted: Permissions): Promise<Principal> =>
  authenticate(request.headers.authorization, accepted);
const found = <T>(row: T | undefined): T => {
  if (row === undefined) throw failure(404, 'not found');
  return row;
};
// The page size the bench asks for; one row more says whether there is a next page.
const pageSize = 50;
const page = (rows: readonly unknown[]) => ({ value: rows.slice(0, pageSize), more: rows.length > pageSize });

type UserParams = { Params: { userId: string } };
app.get<UserParams>('/v1.0/users/:userId', async (request) => {
  const principal = await as(request, {
    delegated: ['User.Read', 'User.ReadBasic.All', 'User.Read.All'],
    application: ['User.ReadBasic.All', 'User.Read.All'],
  });
  return found(await store.user(principal.tenantId, request.params.userId));
});

// The bench's team is public: teamgraph reads nothing more for it either.
app.get<{ Params: { teamId: string } }>('/v1.0/teams/:teamId', async (request) => {
  const principal = await as(request, { delegated: ['Team.ReadBasic.All'], application: ['Team.ReadBasic.All'] });
  return found(await store.team(principal.tenantId, request.params.teamId));
});

type ChatBody = { Body: { topic: string; members: { 'user@odata.bind': string }[] } };
app.post<ChatBody>('/v1.0/chats', async (request, reply) => {
  const principal = await as(request, { delegated: ['Chat.Create'], application: ['Chat.Create'] });
  const memberIds = request.body.members.map((member) => /users\('([^']+)'\)/.exec(member['user@odata.bind'])?.[1] ?? '');
  if (memberIds.length !== 3) throw failure(400, 'the bench creates chats of three members');
  if (principal.userId !== null && !memberIds.includes(principal.userId)) throw failure(400, 'the caller must be a member');
  const at = new Date().toISOString();
  // Graph's group chat id; the first twelve digits the time, so that new chats append to the indexes (as teamgraph's do).
  const id = `19:${Date.now().toString(16).padStart(12, '0')}${randomUUID().replace(/-/g, '').slice(12)}@thread.v2`;
  const chat = {
    id,
    tenantId: principal.tenantId,
    topic: request.body.topic,
    createdByUserId: principal.userId,
    createdByAppId: principal.userId === null ? principal.appId : null,
    at,
    memberIds: memberIds as [string, string, string],
  };
  if (!(await store.createGroupChat(chat))) throw failure(400, 'a member is not a user of the tenant');
  return reply.code(201).send(chat);
});

// One row per member: the chat's columns, then the member's (`member_…`).
const chatOf = ({
  member_user_id,
  member_tenant_id,
  member_roles,
  member_visible_history_start_date_time,
  member_created_date_time,
  member_display_name,
  member_mail,
  ...chat
}: Row) => ({
  chat,
  member: {
    member_user_id,
    member_tenant_id,
    member_roles,
    member_visible_history_start_date_time,
    member_created_date_time,
    member_display_name,
    member_mail,
  },
});

app.get<{ Params: { chatId: string } }>('/v1.0/chats/:chatId', async (request) => {
  const principal = await as(request, { delegated: ['Chat.ReadBasic', 'Chat.Read'], application: ['Chat.ReadBasic.All', 'Chat.Read.All'] });
  const rows = (await store.chatWithMembers(request.params.chatId)).map(chatOf);
  const { chat } = found(rows[0]);
  const visible = principal.userId === null ? chat.tenant_id === principal.tenantId : rows.some(({ member }) => member.member_user_id === principal.userId);
  if (!visible) throw failure(404, 'not found');
  return { ...chat, members: rows.map(({ member }) => member) };
});

type ChatMessagesRequest = { Params: { chatId: string }; Querystring: { $filter?: string } };
app.get<ChatMessagesRequest>('/v1.0/chats/:chatId/messages', async (request) => {
  const principal = await as(request, { delegated: ['Chat.Read'], application: ['Chat.Read.All'] });
  const after = /^lastModifiedDateTime gt (\S+)$/.exec(request.query.$filter ?? '')?.[1];
  if (after === undefined) throw failure(400, 'the bench filters on lastModifiedDateTime gt');
  return page(await store.chatPageModifiedAfter(principal.tenantId, request.params.chatId, principal.userId, new Date(after).toISOString()));
});

type ChannelRequest = { Params: { teamId: string; channelId: string } };
app.post<ChannelRequest & { Body: { body: { contentType: string; content: string } } }>(
  '/v1.0/teams/:teamId/channels/:channelId/messages',
  async (request, reply) => {
    const principal = await as(request, { delegated: ['ChannelMessage.Send'], application: [] });
    if (principal.userId === null) throw failure(403, 'an app posts only in migration mode');
    const { teamId, channelId } = request.params;
    const post = {
      tenantId: principal.tenantId,
      teamId,
      channelId,
      userId: principal.userId,
      contentType: request.body.body.contentType,
      content: request.body.body.content,
      at: new Date().toISOString(),
    };
    const id = await store.postChannelMessage(post);
    if (id === undefined) throw failure(403, 'not a member of the team, or archived');
    return reply.code(201).send({ ...post, id });
  },
);

app.get<ChannelRequest>('/v1.0/teams/:teamId/channels/:channelId/messages', async (request) => {
  const principal = await as(request, { delegated: ['ChannelMessage.Read.All'], application: ['ChannelMessage.Read.All'] });
  return page(await store.channelPage(principal.tenantId, request.params.teamId, request.params.channelId, principal.userId));
});

await app.listen({ port: 0, host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(
    signal,
    () =>
      void app
        .close()
        .then(() => store.close())
        .then(() => process.exit(0)),
  );
const address = app.server.address();
console.log(`listening ${typeof address === 'object' && address !== null ? address.port : 0}`);
