import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DatabaseTarget, loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import type { KeyRing } from '../../src/identity/keys.ts';
import type { Store } from '../../src/store/db.ts';
import { type GraphRoute, findRouteForm } from '../../src/wire/routes.ts';
import { type Dialect, createTestDatabase, type TestDatabase } from './databases.ts';
import { assertGraphResponse } from './graph-schema.ts';
import { callerOf, recordExchange } from './traffic.ts';

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, or undefined for an empty one. */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary Graph JSON
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

/** A route as Fastify's router holds it: the method and the registered path. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

export interface TestServer {
  readonly url: string;
  readonly store: Store;
  /** The server's signing keys, for tokens the authority would not issue. */
  readonly keys: KeyRing;
  readonly dialect: Dialect;
  readonly args: readonly string[];
  readonly database: DatabaseTarget;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Every route the built app registered, whoever registered it. */
  routes(): RegisteredRoute[];
  close(): Promise<void>;
}

/**
 * Boots the real server on an ephemeral port over a fresh database of the given dialect, loaded with
 * the demo tenant (or nothing, with `--no-seed`). Tests talk to it over HTTP only.
 */
export async function startTestServer(dialect: Dialect, args: readonly string[] = []): Promise<TestServer> {
  const database: TestDatabase = await createTestDatabase(dialect);
  return boot(dialect, args, database.target, () => database.drop());
}

/**
 * Like startTestServer, on a database a second process can open too (spawnSecondInstance): a SQLite
 * file in a directory of its own, removed on close, or the fresh PostgreSQL database.
 */
export async function startSharedTestServer(dialect: Dialect, args: readonly string[] = []): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-shared-'));
  const database: TestDatabase = await createTestDatabase(dialect, path.join(dir, 'teamgraph.db'));
  return boot(dialect, args, database.target, async () => {
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

// Runs a suite with remembered facts on or off (decision 105); a test's own --remembered-facts wins.
const rememberedFacts = process.env.TEAMGRAPH_TEST_REMEMBERED_FACTS;

async function boot(dialect: Dialect, args: readonly string[], target: DatabaseTarget, drop: () => Promise<void>): Promise<TestServer> {
  const suiteArgs = rememberedFacts === undefined || rememberedFacts === '' ? [] : ['--remembered-facts', rememberedFacts];
  const loaded = loadConfig(['--port', '0', '--log-level', 'silent', ...suiteArgs, ...args], {});
  assert.equal(loaded.kind, 'run', loaded.kind === 'error' ? loaded.message : loaded.kind);
  const config = loaded.kind === 'run' ? { ...loaded.config, database: target } : (undefined as never);
  const server = await startServer(config);
  const { app, routes, store, keys, origin: url } = server;
  return {
    url,
    store,
    keys,
    dialect,
    args,
    database: target,
    request: async (method, path, options = {}) =>
      checkedResponse(routes, method, path, await request(url, method, path, options), options.body, callerOf(options.headers)),
    routes: () => registeredRoutes(app.printRoutes({ commonPrefix: false })),
    close: async () => {
      await server.close();
      await drop();
    },
  };
}

/**
 * Reads Fastify's printed route tree (`printRoutes({ commonPrefix: false })`), where each line is a
 * path segment under its parent's, indented four characters per level, with the methods it takes.
 */
function registeredRoutes(printed: string): RegisteredRoute[] {
  const parents: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const line of printed.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    const url = `${parents[depth - 1] ?? ''}${match[2] ?? ''}`;
    parents.length = depth;
    parents.push(url);
    for (const method of (match[3] ?? '').split(', ').filter((name) => name !== '')) routes.push({ method, url });
  }
  return routes;
}

export async function request(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/**
 * Every 2xx answer of a Graph route must carry what the route declares (decision 125): the test
 * fails here, whatever the test itself goes on to assert.
 */
export function checkedResponse(
  routes: readonly GraphRoute[],
  method: string,
  path: string,
  response: TestResponse,
  sent?: unknown,
  caller = 'dev',
): TestResponse {
  const found = findRouteForm(routes, method, path);
  if (found !== null) recordExchange({ operation: found.route.operation, method, url: path, status: response.status, body: response.body, caller });
  if (response.status < 200 || response.status > 299) return response;
  const batch = /^\/(v1\.0|beta)\/\$batch\b/i.exec(path);
  if (found === null && batch !== null) checkBatchItems(routes, batch[1] as string, sent, response, caller);
  if (found === null) return response;
  const isJson = /^application\/json/.test(response.headers.get('content-type') ?? '');
  assertGraphResponse(
    found.route.response,
    response.status,
    isJson ? response.body : response.text === '' ? undefined : response.text,
    () => `${found.route.operation}: ${describeResponse(response)}`,
  );
  return response;
}

/** Each 2xx item of a JSON $batch answer, checked as the direct call would be (json-batching.md). */
function checkBatchItems(routes: readonly GraphRoute[], version: string, sent: unknown, response: TestResponse, caller: string): void {
  const requests = (sent as { requests?: { id?: unknown; method?: unknown; url?: unknown }[] } | undefined)?.requests ?? [];
  for (const item of (response.body?.responses ?? []) as { id?: unknown; status?: number; headers?: Record<string, string>; body?: unknown }[]) {
    const sentItem = requests.find((candidate) => candidate.id === item.id);
    if (sentItem === undefined || typeof sentItem.url !== 'string' || typeof sentItem.method !== 'string' || item.status === undefined) continue;
    const itemPath = `/${version}/${sentItem.url.replace(/^\//, '')}`;
    const headers = new Headers({ ...(item.body === undefined ? {} : { 'content-type': 'application/json' }), ...item.headers });
    checkedResponse(
      routes,
      sentItem.method,
      itemPath,
      { status: item.status, headers, text: item.body === undefined ? '' : JSON.stringify(item.body), body: item.body },
      undefined,
      caller,
    );
  }
}

/** Prints the whole response when an assertion about it fails. */
export function describeResponse(response: TestResponse): string {
  return `${response.status}\n${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${response.text}`;
}

/** Asserts a status and, for failures, Graph's error envelope with the given code. */
export function assertGraphError(response: TestResponse, status: number, code: string, message?: string | RegExp): void {
  assert.equal(response.status, status, describeResponse(response));
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, describeResponse(response));
  const error = response.body?.error;
  assert.equal(error?.code, code, describeResponse(response));
  assert.equal(typeof error?.message, 'string', describeResponse(response));
  if (message instanceof RegExp) assert.match(error.message, message);
  else if (message !== undefined) assert.equal(error.message, message);
  assert.match(error.innerError?.date ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, describeResponse(response));
  assert.equal(error.innerError?.['request-id'], response.headers.get('request-id'));
  assert.equal(error.innerError?.['client-request-id'], response.headers.get('client-request-id'));
}

export function assertStatus(response: TestResponse, status: number): void {
  assert.equal(response.status, status, describeResponse(response));
}
