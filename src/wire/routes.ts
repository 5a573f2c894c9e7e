import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { type Authenticator, type Principal, type RoutePermissions, assertPermitted, signedInUserId } from './auth.ts';
import type { ListPage, Literal } from '../query/list-query.ts';
import type { PageTokens } from './odata/page-tokens.ts';
import { type QueryOptions, type QuerySupport, applySelect, parseQueryOptions, queryDigest } from './odata/query-options.ts';

export const apiVersions = ['v1.0', 'beta'] as const;
export type ApiVersion = (typeof apiVersions)[number];
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a route's handler sees: no Fastify types, only what Graph semantics need. */
export interface GraphRequest<Params = Record<string, string>, Body = unknown> {
  readonly principal: Principal;
  readonly params: Params;
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

/** One Graph operation, as data: the same table registers routes, feeds the auth matrix and the docs. */
export interface GraphRoute<P extends TSchema = TSchema, B extends TSchema = TSchema> {
  /** `<resource>-<verb>`, the name its test file and the inventory use. */
  readonly operation: string;
  /** The Graph doc page it follows, relative to microsoft-graph-docs-contrib. */
  readonly doc: string;
  readonly method: HttpMethod;
  /** Graph's path with `{name}` parameters, without the version prefix. */
  readonly url: string;
  readonly versions?: readonly ApiVersion[];
  readonly permissions: RoutePermissions;
  readonly params?: P;
  readonly body?: B;
  readonly odata?: QuerySupport;
  readonly handle: (req: GraphRequest<Static<P>, Static<B>>) => Promise<GraphResponse>;
}

/** Keeps each route's handler typed by its own schemas while the table holds them side by side. */
export function defineRoute<P extends TSchema, B extends TSchema>(route: GraphRoute<P, B>): GraphRoute {
  return route;
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

/** Registers every route under each of its versions; authentication and permissions run first. */
export function registerGraphRoutes(app: FastifyInstance, routes: readonly GraphRoute[], deps: RouteDeps): void {
  app.decorateRequest('principal', null);
  for (const route of routes) {
    const isMeRoute = route.url === '/me' || route.url.startsWith('/me/');
    for (const version of route.versions ?? apiVersions) {
      app.route({
        method: route.method,
        url: `/${version}${fastifyPath(route.url)}`,
        schema: {
          ...(route.params === undefined ? {} : { params: route.params }),
          ...(route.body === undefined ? {} : { body: route.body }),
        },
        // Graph answers 401/403 before it looks at the body, so who calls is settled first.
        onRequest: async (request) => {
          request.principal = await deps.authenticate(request.headers.authorization);
          if (isMeRoute) signedInUserId(request.principal); // Graph's 400 for app tokens comes before 403.
          assertPermitted(request.principal, route.permissions);
        },
        handler: async (request, reply) => {
          const origin = deps.publicUrl ?? `${request.protocol}://${request.host}`;
          const odata = parseQueryOptions(request.query as Record<string, string>, request.headers, route.odata, route.operation, deps.pageTokens);
          const graphRequest: GraphRequest = {
            principal: request.principal as Principal,
            params: request.params as Record<string, string>,
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
  }
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
export function explainUnmatched(routes: readonly GraphRoute[], method: string, path: string): { kind: 'version'; segment: string } | { kind: 'method' } | { kind: 'segment'; segment: string } {
  const segments = path.split('/').filter((segment) => segment !== '');
  const [version = '', ...rest] = segments;
  const knownVersion = apiVersions.find((known) => known.toLowerCase() === version.toLowerCase());
  if (knownVersion === undefined) return { kind: 'version', segment: decodeSegment(version) };
  let matchedMax = 0;
  for (const route of routes) {
    if (!(route.versions ?? apiVersions).includes(knownVersion)) continue;
    const template = route.url.split('/').filter((segment) => segment !== '');
    let matched = 0;
    while (matched < rest.length && matched < template.length && segmentMatches(template[matched] as string, rest[matched] as string)) matched++;
    if (matched === rest.length && matched === template.length && route.method !== method) return { kind: 'method' };
    matchedMax = Math.max(matchedMax, matched);
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

