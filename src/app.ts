import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { ControlAccess } from './control/control.access.ts';
import { ControlService } from './control/control.service.ts';
import { controlRoutes, registerControlPlane } from './control/control.routes.ts';
import { AuthorityService } from './identity/authority.service.ts';
import { isAuthorityPath, registerAuthorityRoutes } from './identity/authority.routes.ts';
import { entraShape } from './identity/entra-errors.ts';
import { devAuthenticator } from './identity/dev-authenticator.ts';
import type { KeyRing } from './identity/keys.ts';
import { tokenAuthenticator } from './identity/verifier.ts';
import { ChatAccess } from './resources/chats/chats.access.ts';
import { ChatMembersService } from './resources/chats/chat-members.service.ts';
import { chatMemberRoutes } from './resources/chats/chat-members.routes.ts';
import { ChatMessagesService } from './resources/chats/chat-messages.service.ts';
import { chatMessageRoutes } from './resources/chats/chat-messages.routes.ts';
import { ChatsService } from './resources/chats/chats.service.ts';
import { chatRoutes } from './resources/chats/chats.routes.ts';
import { ChannelArchiveService } from './resources/channels/channel-archive.service.ts';
import { ChannelMembersService } from './resources/channels/channel-members.service.ts';
import { channelMemberRoutes } from './resources/channels/channel-members.routes.ts';
import { ChannelMessagesService } from './resources/channels/channel-messages.service.ts';
import { channelMessageRoutes } from './resources/channels/channel-messages.routes.ts';
import { ChannelAccess } from './resources/channels/channels.access.ts';
import { ChannelsService } from './resources/channels/channels.service.ts';
import { channelRoutes } from './resources/channels/channels.routes.ts';
import { ConversationsAccess } from './resources/conversations/conversations.access.ts';
import { conversationRoutes } from './resources/conversations/conversations.routes.ts';
import { ConversationsService } from './resources/conversations/conversations.service.ts';
import { postRoutes } from './resources/conversations/posts.routes.ts';
import { threadRoutes } from './resources/conversations/threads.routes.ts';
import { GroupsService } from './resources/groups/groups.service.ts';
import { OperationsService } from './resources/operations/operations.service.ts';
import { operationRoutes } from './resources/operations/operations.routes.ts';
import { groupRoutes } from './resources/groups/groups.routes.ts';
import { TeamworkAccess } from './resources/teamwork/teamwork.access.ts';
import { TeamworkItemsService } from './resources/teamwork/teamwork-items.service.ts';
import { teamworkRoutes } from './resources/teamwork/teamwork.routes.ts';
import { TeamworkService } from './resources/teamwork/teamwork.service.ts';
import { TeamCreateService } from './resources/teams/team-create.service.ts';
import { TeamMembersService } from './resources/teams/team-members.service.ts';
import { teamMemberRoutes } from './resources/teams/team-members.routes.ts';
import { TeamAccess } from './resources/teams/teams.access.ts';
import { TeamsService } from './resources/teams/teams.service.ts';
import { teamRoutes } from './resources/teams/teams.routes.ts';
import { NotificationWorker } from './resources/subscriptions/notifications.worker.ts';
import { RichContent } from './resources/subscriptions/notifications.content.ts';
import { SubscriptionsAccess } from './resources/subscriptions/subscriptions.access.ts';
import { subscriptionRoutes } from './resources/subscriptions/subscriptions.routes.ts';
import { SubscriptionsService } from './resources/subscriptions/subscriptions.service.ts';
import { UsersService } from './resources/users/users.service.ts';
import { userRoutes } from './resources/users/users.routes.ts';
import type { SeedFile } from './seed/seed.schemas.ts';
import type { Store } from './store/db.ts';
import { MessageIdAllocator } from './store/message-ids.ts';
import type { TlsOptions } from './tls.ts';
import { loadOrCreateSecret } from './store/meta.ts';
import { PageTokens } from './wire/odata/page-tokens.ts';
import { registerBatchRoutes } from './wire/batch.ts';
import type { Drain } from './wire/drain.ts';
import { Faults } from './wire/faults.ts';
import { graphShape } from './wire/failures.ts';
import { lazyValidatorCompiler } from './wire/validation.ts';
import { acceptJsonBodies, renderErrors } from './wire/pipeline.ts';
import { RequestLog } from './wire/request-log.ts';
import { newRequestId, setRequestIdHeaders } from './wire/request-id.ts';
import { type GraphRoute, registerGraphRoutes, rewriteKeySegments } from './wire/routes.ts';
import { answerClientErrors, answerFrameworkErrors } from './wire/transport.ts';

export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly seed: SeedFile | null;
  readonly tls: TlsOptions | null;
  /** How the app stops: `main.ts` runs it on SIGTERM and SIGINT. */
  readonly drain: Drain;
  readonly keys: KeyRing;
}

const bodyLimitBytes = 4 * 1024 * 1024;
const maxParamLength = 512;

/** The services behind the routes, wired once per app; `rememberedFacts` is the switch of decision 105. */
export function createServices(store: Store, operations: OperationsService, rememberedFacts: boolean) {
  const users = new UsersService(store, rememberedFacts);
  const groups = new GroupsService(store);
  const teamAccess = new TeamAccess(store, users, groups);
  const teams = new TeamsService(store, teamAccess, users, groups, operations);
  const conversationsAccess = new ConversationsAccess(groups, users);
  const conversations = new ConversationsService(store, conversationsAccess, users);
  const chatAccess = new ChatAccess(store, users);
  const chatMembers = new ChatMembersService(store, users, chatAccess);
  const chats = new ChatsService(store, users, chatAccess, chatMembers, operations);
  // One allocator for chat and channel messages: its hint is kept per conversation (message-ids.ts).
  const messageIds = new MessageIdAllocator();
  const chatMessages = new ChatMessagesService(store, chatAccess, users, messageIds);
  const teamworkAccess = new TeamworkAccess(store, users);
  const teamwork = new TeamworkService(store, teamworkAccess);
  const teamworkItems = new TeamworkItemsService(store, teamworkAccess);
  const channelAccess = new ChannelAccess(store, teamAccess, groups, users, rememberedFacts);
  const channelMembers = new ChannelMembersService(store, channelAccess, users);
  const channels = new ChannelsService(store, channelAccess, channelMembers, operations);
  const channelMessages = new ChannelMessagesService(store, channelAccess, users, messageIds);
  const channelArchive = new ChannelArchiveService(store, channelAccess, operations);
  const teamCreation = new TeamCreateService(store, groups, channels, channelMembers, operations);
  const teamMembers = new TeamMembersService(teamAccess, groups, channelMembers);
  const subscriptions = new SubscriptionsService(store, new SubscriptionsAccess(chats, channels, teams, conversationsAccess, users));
  return {
    users,
    groups,
    teams,
    teamCreation,
    teamMembers,
    channelArchive,
    operations,
    chats,
    chatMembers,
    chatMessages,
    channels,
    channelMembers,
    channelMessages,
    conversations,
    teamwork,
    teamworkItems,
    subscriptions,
  };
}

/** Every Graph operation teamgraph serves, in URL order per family. */
export function graphRoutes(services: ReturnType<typeof createServices>): GraphRoute[] {
  const {
    users,
    groups,
    teams,
    teamCreation,
    teamMembers,
    channelArchive,
    operations,
    chats,
    chatMembers,
    chatMessages,
    channels,
    channelMembers,
    channelMessages,
    conversations,
    teamwork,
    teamworkItems,
    subscriptions,
  } = services;
  return [
    ...userRoutes(users),
    ...groupRoutes(groups),
    ...conversationRoutes(conversations),
    ...threadRoutes(conversations),
    ...postRoutes(conversations),
    ...teamRoutes(teams, teamCreation),
    ...teamMemberRoutes(teamMembers),
    ...chatRoutes(chats),
    ...chatMemberRoutes(chatMembers),
    ...chatMessageRoutes(chatMessages),
    ...operationRoutes(operations, teams, chats),
    ...channelRoutes(channels, channelArchive),
    ...channelMemberRoutes(channelMembers),
    ...channelMessageRoutes(channelMessages),
    ...teamworkRoutes(teamwork, teamworkItems),
    ...subscriptionRoutes(subscriptions),
  ];
}

/** Every permission some route accepts, by kind: what `.default` consent grants in the demo tenant. */
function permissionCatalogue(routes: readonly GraphRoute[]) {
  return {
    delegated: new Set(routes.flatMap((route) => route.permissions.delegated)),
    application: new Set(routes.flatMap((route) => route.permissions.application)),
  };
}

/**
 * Node's bounds on a connection. Node checks the headers and request timeouts on an interval, 30 s
 * by default; a quarter of the headers timeout (at most a second) closes a client within the timeout
 * and a quarter more.
 */
function connectionOptions(config: Config) {
  return {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.ceil(config.headersTimeoutMs / 4)),
  };
}

/** The built server, with the control plane's service (for `reset`) and the Graph route table it serves. */
export interface BuiltApp {
  readonly app: FastifyInstance;
  readonly control: ControlService;
  readonly routes: readonly GraphRoute[];
}

/** Builds the server; the stages below run in this order for every request. */
export async function buildApp({ config, store, seed, tls, drain, keys }: AppDeps): Promise<BuiltApp> {
  // Failures found before a route is known (the URL, the HTTP exchange) take the shape of the path they name.
  const shapeFor = (url: string) => (isAuthorityPath(url) ? entraShape : graphShape);
  const app = Fastify({
    // 0. The connection: a client that is idle or trickles its request is closed within the
    // configured timeouts (decision 102), and the number of open connections is bounded.
    ...(tls === null ? { http: connectionOptions(config) } : { https: { ...tls.options, ...connectionOptions(config) } }),
    keepAliveTimeout: config.keepAliveTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    logger: { level: config.logLevel },
    logController: new RequestLog(),
    // 1. Graph paths are case-insensitive and tolerate a trailing slash; `x('key')` reads as `x/key`.
    // Keys run past the router's default 100-character limit: membership ids are base64 of several
    // ids, chat operation ids three GUIDs, Exchange thread and post ids over 100 characters.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength },
    rewriteUrl: (request) => rewriteKeySegments(request.url ?? '/'),
    // A URL the router cannot decode, and a request Node refuses or stops waiting for, are answered
    // in Graph's envelope (or Entra's), never in Fastify's or Node's own body.
    frameworkErrors: answerFrameworkErrors(shapeFor, maxParamLength),
    clientErrorHandler: answerClientErrors(shapeFor),
    // While the app stops, the drain answers new requests in the envelope, with Retry-After.
    return503OnClosing: false,
    // 2. Each request gets Graph's request-id, which the log lines carry too.
    genReqId: newRequestId,
    bodyLimit: bodyLimitBytes,
  });
  // Schemas are compiled on first use, and bodies' schemas carry Graph's wording for their 400s.
  app.setValidatorCompiler(lazyValidatorCompiler());
  app.server.maxConnections = config.maxConnections;
  app.addHook('onRequest', (request, reply, done) => {
    setRequestIdHeaders(request, reply);
    done();
  });
  // A stopping app answers new requests 503 and closes each connection after its answer.
  drain.register(app, shapeFor);
  // Graph requests fail at random when asked to (--faults), before anything runs (decision 153).
  const faults = new Faults(config.faults);
  faults.register(app);

  // 3. Bodies: JSON only, up to 4 MB; everything else is a Graph-shaped 400/413/415.
  acceptJsonBodies(app);

  // 4. Failures of every kind leave as Graph's error envelope.
  const operations = new OperationsService(store, config.operationDelayMs, (err) => app.log.error({ err }, 'operation step failed'));
  const services = createServices(store, operations, config.rememberedFacts);
  const routes = graphRoutes(services);
  renderErrors(app, () => routes);

  // 5. The emulated Entra authority that issues the tokens Graph routes verify.
  const permissions = permissionCatalogue(routes);
  registerAuthorityRoutes(app, new AuthorityService(store, keys, permissions), keys, config.publicUrl);
  const devPrincipal = devAuthenticator(store, new Set([...permissions.delegated, ...permissions.application]));
  const authenticate = tokenAuthenticator(store, keys, config.auth, devPrincipal);

  // 6. The control plane, outside the Graph surface; in strict mode every route but health needs the
  // control key or a home-tenant admin's token.
  const notifications = new NotificationWorker(
    store,
    { retryMs: config.notificationRetryMs, retryWindowMs: config.notificationRetryWindowMs },
    new RichContent(keys),
    (err) => app.log.error({ err }, 'change notification pass failed'),
  );
  const control = new ControlService(store, config, seed, keys, notifications, faults);
  registerControlPlane(app, control, new ControlAccess(config, authenticate, services.users, control.homeTenantId), controlRoutes(control));

  // 7. Graph routes under /v1.0 and /beta: authenticate, check permissions, validate, handle.
  const pageTokens = new PageTokens(await loadOrCreateSecret(store.db, 'page_token_secret'));
  registerGraphRoutes(app, routes, { authenticate, pageTokens, publicUrl: config.publicUrl });

  // 8. JSON $batch: each request it holds runs through stages 1-7 as a direct call would.
  registerBatchRoutes(app, authenticate);

  // 9. The async-operation worker and the change-notification worker run in every instance while it
  // serves; closing waits for their passes in progress.
  let stopWorkers = (): Promise<unknown> => Promise.resolve();
  app.addHook('onReady', (done) => {
    const stops = [operations.start(), notifications.start()];
    stopWorkers = () => Promise.all(stops.map((stop) => stop()));
    done();
  });
  app.addHook('onClose', async () => {
    await stopWorkers();
  });
  return { app, control, routes };
}
