import type { FastifyInstance, FastifyReply } from 'fastify';
import Type, { type Static, type TSchema } from 'typebox';
import { type Authenticator, type Principal, type RoutePermissions, assertPermitted, signedInUserId } from './auth.ts';
import type { ListPage, Literal } from '../query/list-query.ts';
import type { PageTokens } from './odata/page-tokens.ts';
import { type QueryOptions, type QuerySupport, applySelect, parseQueryOptions, queryDigest } from './odata/query-options.ts';

export const apiVersions = ['v1.0', 'beta'] as const;
export type ApiVersion = (typeof apiVersions)[number];
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a route's handler sees: no Fastify types, only what Graph semantics need. */
export interface GraphRequest<Params = Record<string, string>, Body = unknown, PathUser = string | undefined> {
  readonly principal: Principal;
  readonly params: Params;
  /**
   * The user the request's form names: the signed-in user under `/me`, `{userId}` under
   * `/users/{userId}`, nothing under any other form (decision 123).
   */
  readonly pathUserId: PathUser;
  readonly body: Body;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly version: ApiVersion;
  /** e.g. http://127.0.0.1:4545/v1.0: the base of @odata.context and other absolute links. */
  readonly serviceRoot: string;
  readonly odata: QueryOptions;
  /** The absolute URL of the next page: this request's URL with a signed $skiptoken for `after`. */
  nextLink(after: readonly Literal[]): string;
}

export interface GraphResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The `{name}` parameters of a path template, e.g. `chatId` of `/chats/{chatId}`. */
type ParamNames<Url extends string> = Url extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;
/** The names every form of a route carries (an intersection over the union of forms). */
type CommonParamNames<Url extends string> = (Url extends string ? (names: ParamNames<Url>) => void : never) extends (names: infer Common) => void
  ? Common
  : never;
/** A route's path parameters: those of every form are strings, those of some forms may be absent. */
type PathParams<Url extends string> = string extends Url
  ? Record<string, string>
  : { readonly [Name in CommonParamNames<Url> & string]: string } & { readonly [Name in Exclude<ParamNames<Url>, CommonParamNames<Url>>]?: string };
/** `string` when every form names a user, `undefined` when none does. */
type PathUserOf<Url extends string> = string extends Url
  ? string | undefined
  : Url extends `/me` | `/me/${string}` | `/users/{userId}` | `/users/{userId}/${string}`
    ? string
    : undefined;

/**
 * The Graph type of a route's 2xx body, written as OData writes a return type: an entity type
 * (`microsoft.graph.chat`) or a collection of one (`Collection(microsoft.graph.chat)`, the items of
 * `value`); null when the route answers without a body (decision 125).
 */
export type GraphResponseType = `microsoft.graph.${string}` | `Collection(microsoft.graph.${string})` | null;

/** One Graph operation, as data: the same table registers routes, feeds the auth matrix, the tests and the docs. */
export interface GraphRoute<Url extends string = string, B extends TSchema = TSchema> {
  /** `<resource>-<verb>`, the name its test file and the inventory use. */
  readonly operation: string;
  /** The Graph doc page it follows, relative to microsoft-graph-docs-contrib. */
  readonly doc: string;
  readonly method: HttpMethod;
  /**
   * Every path Graph serves the operation at, as the doc page's "HTTP request" lists them, with
   * `{name}` parameters and without the version prefix: e.g. `/chats/{chatId}`, `/me/chats/{chatId}`
   * and `/users/{userId}/chats/{chatId}`. Parameters are declared by the paths alone (decision 123).
   */
  readonly forms: readonly [Url, ...Url[]];
  readonly versions?: readonly ApiVersion[];
  readonly response: GraphResponseType;
  /** What a caller needs under a form that names no user or names one by id; `/me` forms take the delegated half. */
  readonly permissions: RoutePermissions;
  readonly body?: B;
  readonly odata?: QuerySupport;
  readonly handle: (req: GraphRequest<PathParams<Url>, Static<B>, PathUserOf<Url>>) => Promise<GraphResponse>;
}

/** Keeps each route's handler typed by its own forms and body while the table holds them side by side. */
export function defineRoute<const Url extends string, B extends TSchema>(route: GraphRoute<Url, B>): GraphRoute {
  return route as unknown as GraphRoute;
}

/** One path of a route, with how it names the user it acts for and what it lets through. */
export interface RouteForm {
  readonly url: string;
  /** `me` for the signed-in user, `param` for `/users/{userId}`, null for a form that names no user. */
  readonly pathUser: 'me' | 'param' | null;
  readonly permissions: RoutePermissions;
}

/** `/me` needs a signed-in user, so its forms take delegated permissions only (user-get.md, chat-list.md). */
export function routeForms(route: GraphRoute): RouteForm[] {
  return route.forms.map((url) => {
    if (url === '/me' || url.startsWith('/me/')) return { url, pathUser: 'me', permissions: { delegated: route.permissions.delegated, application: [] } };
    if (url === '/users/{userId}' || url.startsWith('/users/{userId}/')) return { url, pathUser: 'param', permissions: route.permissions };
    return { url, pathUser: null, permissions: route.permissions };
  });
}

/**
 * The route and form a request path reaches, found as the router finds it: version prefix,
 * case-insensitive segments, key syntax, and a literal segment before a parameter. Null when no
 * Graph route serves the path (the control plane, the authority, `$batch`).
 */
export function findRouteForm(routes: readonly GraphRoute[], method: string, url: string): { route: GraphRoute; form: RouteForm } | null {
  const [version = '', ...segments] = (rewriteKeySegments(url).split('?')[0] ?? '').split('/').filter((segment) => segment !== '');
  let best: { route: GraphRoute; form: RouteForm; literals: number } | null = null;
  for (const route of routes) {
    if (route.method !== method.toUpperCase() || !(route.versions ?? apiVersions).some((known) => known.toLowerCase() === version.toLowerCase())) continue;
    for (const form of routeForms(route)) {
      const template = form.url.split('/').filter((segment) => segment !== '');
      if (template.length !== segments.length || !template.every((part, at) => segmentMatches(part, segments[at] as string))) continue;
      const literals = template.filter((part) => !part.startsWith('{')).length;
      if (best === null || literals > best.literals) best = { route, form, literals };
    }
  }
  return best === null ? null : { route: best.route, form: best.form };
}

/** Path parameters are non-empty strings; the router hands them over already decoded. */
// One schema object per set of parameter names: the validator compiles each object once, and ~370
// route registrations (every form, in both versions) share ~50 of them, a large part of start-up.
const paramsSchemas = new Map<string, TSchema>();

function paramsSchema(url: string): TSchema | undefined {
  const names = [...url.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  if (names.length === 0) return undefined;
  const key = names.join('/');
  const schema = paramsSchemas.get(key) ?? Type.Object(Object.fromEntries(names.map((name) => [name, Type.String({ minLength: 1 })])));
  paramsSchemas.set(key, schema);
  return schema;
}

export const graphJsonContentType = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** A single entity with its @odata.context (`contextPath` as Graph writes it, e.g. `users`). */
export function entityResponse(req: GraphRequest<unknown, unknown>, contextPath: string, entity: object, status = 200): GraphResponse {
  return {
    status,
    body: { '@odata.context': contextUrl(req, contextPath, true), ...applySelect(entity, req.odata.select, req.odata.expand) },
  };
}

/** A page of a collection, its items already in Graph's shape; `@odata.count` when it was counted. */
export function collectionResponse(req: GraphRequest<unknown, unknown>, contextPath: string, page: ListPage<object>): GraphResponse {
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(req, contextPath, false),
      ...(page.count === undefined ? {} : { '@odata.count': page.count }),
      ...(page.after === null ? {} : { '@odata.nextLink': req.nextLink(page.after) }),
      value: page.items.map((item) => applySelect(item, req.odata.select, req.odata.expand)),
    },
  };
}

function contextUrl(req: GraphRequest<unknown, unknown>, contextPath: string, isEntity: boolean): string {
  const select = req.odata.select === null ? '' : `(${req.odata.select.join(',')})`;
  return `${req.serviceRoot}/$metadata#${contextPath}${select}${isEntity ? '/$entity' : ''}`;
}

/** Percent-encodes a key the way Graph writes it inside `('…')` in @odata.context. */
export function contextKey(key: string): string {
  return encodeURIComponent(key);
}

export interface RouteDeps {
  readonly authenticate: Authenticator;
  readonly pageTokens: PageTokens;
  readonly publicUrl: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Registers every form of every route under each of its versions; authentication and permissions run first. */
export function registerGraphRoutes(app: FastifyInstance, routes: readonly GraphRoute[], deps: RouteDeps): void {
  app.decorateRequest('principal', null);
  for (const route of routes) {
    for (const form of routeForms(route)) {
      for (const version of route.versions ?? apiVersions) registerForm(app, route, form, version, deps);
    }
  }
}

function registerForm(app: FastifyInstance, route: GraphRoute, form: RouteForm, version: ApiVersion, deps: RouteDeps): void {
  const params = paramsSchema(form.url);
  app.route({
    method: route.method,
    // No HEAD twin per GET: they doubled the routes the router builds at start (decision 148); a HEAD
    // is answered by the not-found handler as its GET would be (src/wire/pipeline.ts).
    exposeHeadRoute: false,
    url: `/${version}${fastifyPath(form.url)}`,
    schema: {
      ...(params === undefined ? {} : { params }),
      ...(route.body === undefined ? {} : { body: route.body }),
    },
    // Graph answers 401/403 before it looks at the body, so who calls is settled first.
    onRequest: async (request) => {
      request.principal = await deps.authenticate(request.headers.authorization);
      if (form.pathUser === 'me') signedInUserId(request.principal); // Graph's 400 for app tokens comes before 403.
      assertPermitted(request.principal, form.permissions);
    },
    handler: async (request, reply) => {
      const origin = deps.publicUrl ?? `${request.protocol}://${request.host}`;
      const odata = parseQueryOptions(request.query as Record<string, string>, request.headers, route.odata, route.operation, deps.pageTokens);
      const principal = request.principal as Principal;
      const pathParams = request.params as Record<string, string>;
      const graphRequest: GraphRequest = {
        principal,
        params: pathParams,
        pathUserId: form.pathUser === 'me' ? signedInUserId(principal) : form.pathUser === 'param' ? pathParams.userId : undefined,
        body: request.body,
        headers: request.headers as Record<string, string | undefined>,
        version,
        serviceRoot: `${origin}/${version}`,
        odata,
        nextLink: (after) => {
          const query = queryDigest(odata.list.filter, odata.list.orderby);
          return `${origin}${withSkipToken(request.url, deps.pageTokens.sign({ operation: route.operation, query, after }))}`;
        },
      };
      await sendGraphResponse(reply, await route.handle(graphRequest));
    },
  });
}

async function sendGraphResponse(reply: FastifyReply, response: GraphResponse): Promise<void> {
  reply.code(response.status);
  if (response.headers !== undefined) reply.headers(response.headers);
  if (response.body === undefined) {
    await reply.send();
    return;
  }
  await reply.type(graphJsonContentType).send(JSON.stringify(response.body));
}

/**
 * The request's own path and options, its $skiptoken replaced, written as Graph writes nextLinks.
 * `$skip` is dropped: it placed the first page, and the token carries the position from there.
 */
function withSkipToken(requestUrl: string, token: string): string {
  const [path, query = ''] = requestUrl.split('?', 2) as [string, string?];
  const kept = query.split('&').filter((pair) => pair !== '' && !/^(\$|%24)?skip(token)?=/i.test(pair));
  return `${path}?${[...kept, `$skiptoken=${token}`].join('&')}`;
}

function fastifyPath(graphPath: string): string {
  return graphPath.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Graph also addresses entities by key syntax, `chats('19:…')/operations('…')`, and the Location
 * headers it sends use that form; this rewrites it to the path form the router knows.
 */
export function rewriteKeySegments(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!path.includes('(')) return url;
  const rewritten = path.replace(/\((?:'|%27)(.*?)(?:'|%27)\)/gi, (_match, key: string) => `/${key.replace(/''|%27%27/gi, "'")}`);
  return queryAt === -1 ? rewritten : rewritten + url.slice(queryAt);
}

/** Why no route matched: the first unknown segment, or a known path asked with another method. */
export function explainUnmatched(
  routes: readonly GraphRoute[],
  method: string,
  path: string,
): { kind: 'version'; segment: string } | { kind: 'method' } | { kind: 'segment'; segment: string } {
  const segments = path.split('/').filter((segment) => segment !== '');
  const [version = '', ...rest] = segments;
  const knownVersion = apiVersions.find((known) => known.toLowerCase() === version.toLowerCase());
  if (knownVersion === undefined) return { kind: 'version', segment: decodeSegment(version) };
  let matchedMax = 0;
  for (const route of routes) {
    if (!(route.versions ?? apiVersions).includes(knownVersion)) continue;
    for (const url of route.forms) {
      const template = url.split('/').filter((segment) => segment !== '');
      let matched = 0;
      while (matched < rest.length && matched < template.length && segmentMatches(template[matched] as string, rest[matched] as string)) matched++;
      if (matched === rest.length && matched === template.length && route.method !== method) return { kind: 'method' };
      matchedMax = Math.max(matchedMax, matched);
    }
  }
  return { kind: 'segment', segment: decodeSegment(rest[matchedMax] ?? version) };
}

function segmentMatches(template: string, segment: string): boolean {
  return template.startsWith('{') || template.toLowerCase() === decodeSegment(segment).toLowerCase();
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
