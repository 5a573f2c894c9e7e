import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from './auth.ts';
import { GraphError, badRequest, errorEnvelope } from './errors.ts';
import { newRequestId, requestIds } from './request-id.ts';
import { type ApiVersion, type HttpMethod, apiVersions, graphJsonContentType } from './routes.ts';

// JSON batching (concepts/json-batching.md, docs/decisions.md 80-84): up to 20 requests in one POST.
// Each one runs through the whole pipeline by app.inject, so its authentication, permissions,
// validation and errors are exactly those of the direct call.

const maxBatchRequests = 20;
const methods: readonly HttpMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
const writeMethods: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH', 'PUT']);

/** One request of a batch, validated. */
export interface BatchStep {
  readonly id: string;
  readonly method: HttpMethod;
  /** As the client wrote it: relative to the service root, with or without a leading slash. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON value, or a string (base64 unless the type is text); undefined when there is none. */
  readonly body: unknown;
  readonly dependsOn: readonly string[];
}

export interface BatchItemResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates a batch body; anything malformed fails the whole batch with 400, as Graph does. */
export function parseBatch(body: unknown): BatchStep[] {
  if (!isObject(body) || !Array.isArray(body.requests)) throw badRequest("The batch body must be a JSON object with a 'requests' array.");
  if (body.requests.length > maxBatchRequests) {
    throw badRequest(`A batch holds at most ${maxBatchRequests} requests; this one has ${body.requests.length}.`);
  }
  // Ids are compared without case (json-batching.md); a dependency must come before its dependant.
  const earlier = new Set<string>();
  return body.requests.map((raw: unknown, index) => {
    const step = parseStep(raw, index, earlier);
    earlier.add(step.id.toLowerCase());
    return step;
  });
}

function parseStep(raw: unknown, index: number, earlier: ReadonlySet<string>): BatchStep {
  if (!isObject(raw)) throw badRequest(`Request at index ${index} of the batch is not a JSON object.`);
  const id = raw.id;
  if (typeof id !== 'string' || id === '') throw badRequest(`Request at index ${index} of the batch has no 'id'.`);
  if (earlier.has(id.toLowerCase())) throw badRequest(`Request Id ${id} has to be unique in a batch.`);
  const method = typeof raw.method === 'string' ? methods.find((known) => known === (raw.method as string).toUpperCase()) : undefined;
  if (method === undefined) throw badRequest(`Request Id ${id} has no valid 'method': use one of ${methods.join(', ')}.`);
  if (typeof raw.url !== 'string' || raw.url === '') throw badRequest(`Request Id ${id} has no 'url'.`);
  if (/^[a-z][a-z\d+.-]*:/i.test(raw.url)) throw badRequest(`Request Id ${id} has an absolute 'url'; write it relative to the service root, e.g. /me.`);
  if (raw.atomicityGroup !== undefined) throw badRequest(`Request Id ${id} names an atomicityGroup; atomic groups are not supported.`);
  const headers = parseHeaders(id, raw.headers);
  const body = raw.body ?? undefined;
  // Graph's own rule and words (msgraph-sdk-dotnet#2628): a body needs a Content-Type, a write needs both.
  const hasContentType = headers['content-type'] !== undefined;
  if ((body !== undefined && !hasContentType) || (writeMethods.has(method) && (body === undefined || !hasContentType))) {
    throw badRequest(`Write request id : ${id} does not contain Content-Type header or body.`);
  }
  return { id, method, url: raw.url, headers, body, dependsOn: parseDependsOn(id, raw.dependsOn, earlier) };
}

function parseHeaders(id: string, raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw) || Object.values(raw).some((value) => typeof value !== 'string')) {
    throw badRequest(`Request Id ${id} has 'headers' that are not an object of string values.`);
  }
  return Object.fromEntries(Object.entries(raw as Record<string, string>).map(([name, value]) => [name.toLowerCase(), value]));
}

function parseDependsOn(id: string, raw: unknown, earlier: ReadonlySet<string>): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((dependency) => typeof dependency !== 'string')) {
    throw badRequest(`Request Id ${id} has a 'dependsOn' that is not an array of request ids.`);
  }
  for (const dependency of raw as string[]) {
    // This also refuses cycles: one of their members would depend on a request after it.
    if (!earlier.has(dependency.toLowerCase())) throw badRequest(`Request Id ${id} depends on '${dependency}', which is not a request before it in the batch.`);
  }
  return raw as string[];
}

/**
 * Runs every step as soon as the steps it depends on are done: independent steps start together,
 * and a step whose dependency failed (status 400 or above, 424 included) is not run but answered
 * by `failedDependency`. Responses come back in request order.
 */
export function runBatch(
  steps: readonly BatchStep[],
  execute: (step: BatchStep) => Promise<BatchItemResponse>,
  failedDependency: (step: BatchStep, failedId: string) => BatchItemResponse,
): Promise<BatchItemResponse[]> {
  const outcomes = new Map<string, Promise<BatchItemResponse>>();
  for (const step of steps) {
    const dependencies = step.dependsOn.map((dependency) => outcomes.get(dependency.toLowerCase()) as Promise<BatchItemResponse>);
    const outcome = Promise.all(dependencies).then((done) => {
      const failed = done.find((response) => response.status >= 400);
      return failed === undefined ? execute(step) : failedDependency(step, failed.id);
    });
    outcomes.set(step.id.toLowerCase(), outcome);
  }
  return Promise.all(outcomes.values());
}

// A sub-request carries this header with a per-process secret: that is how the pipeline tells it
// from a client's request (to refuse a nested $batch) and learns the batch's scheme, which the
// injected request's fake socket cannot carry (links in sub-responses use it).
const subRequestHeader = 'x-teamgraph-batch-sub-request';

/** POST /v1.0/$batch and /beta/$batch. */
export function registerBatchRoutes(app: FastifyInstance, authenticate: Authenticator): void {
  const secret = randomUUID();
  const subRequests = new WeakSet<IncomingMessage>();
  app.addHook('onRequest', (request, _reply, done) => {
    const [sentSecret, protocol] = String(request.headers[subRequestHeader] ?? '').split(' ');
    if (sentSecret === secret) {
      subRequests.add(request.raw);
      if (protocol === 'https') (request.raw.socket as { encrypted?: boolean }).encrypted = true;
    }
    done();
  });
  for (const version of apiVersions) {
    app.post(`/${version}/$batch`, {
      // Who calls is settled for the batch as a whole; each request then checks its own permissions.
      onRequest: async (request) => {
        await authenticate(request.headers.authorization);
      },
      handler: async (request, reply) => {
        if (subRequests.has(request.raw)) throw badRequest('A batch request cannot contain another $batch request.');
        const steps = parseBatch(request.body);
        const batchIds = requestIds(request);
        const responses = await runBatch(
          steps,
          (step) => runSubRequest(app, request, version, step, `${secret} ${request.protocol}`),
          (step, failedId) => failedDependencyResponse(step, failedId, batchIds.clientRequestId),
        );
        await reply.code(200).type(graphJsonContentType).send(JSON.stringify({ responses }));
      },
    });
  }
}

async function runSubRequest(app: FastifyInstance, batch: FastifyRequest, version: ApiVersion, step: BatchStep, marker: string): Promise<BatchItemResponse> {
  // The batch's token applies to every request; one a request names itself is ignored.
  const headers = Object.fromEntries(Object.entries(step.headers).filter(([name]) => name !== 'authorization'));
  const response = await app.inject({
    method: step.method,
    url: subRequestUrl(version, step.url),
    headers: {
      ...headers,
      ...(batch.headers.authorization === undefined ? {} : { authorization: batch.headers.authorization }),
      host: batch.host,
      'client-request-id': headers['client-request-id'] ?? requestIds(batch).clientRequestId,
      [subRequestHeader]: marker,
    },
    ...(step.body === undefined ? {} : { payload: requestPayload(step.body, headers['content-type'] ?? '') }),
  });
  const contentType = String(response.headers['content-type'] ?? '');
  return {
    id: step.id,
    status: response.statusCode,
    headers: itemHeaders(response.headers),
    ...(response.rawPayload.length === 0 ? {} : { body: responseBody(response.rawPayload, contentType) }),
  };
}

/** `/me`, `me` and `/v1.0/me` all name /v1.0/me in a v1.0 batch; a leading version segment is kept. */
function subRequestUrl(version: ApiVersion, url: string): string {
  const path = url.startsWith('/') ? url : `/${url}`;
  const first = path.split(/[/?]/)[1]?.toLowerCase();
  return apiVersions.some((known) => known.toLowerCase() === first) ? path : `/${version}${path}`;
}

// Bodies follow the OData JSON batch format: JSON for JSON types, a string for text, base64 otherwise.
function requestPayload(body: unknown, contentType: string): string | Buffer {
  if (isJson(contentType)) return JSON.stringify(body);
  if (typeof body !== 'string') return JSON.stringify(body);
  return /^text\//i.test(contentType) ? body : Buffer.from(body, 'base64');
}

function responseBody(payload: Buffer, contentType: string): unknown {
  if (isJson(contentType)) return JSON.parse(payload.toString('utf8')) as unknown;
  return /^text\//i.test(contentType) ? payload.toString('utf8') : payload.toString('base64');
}

const isJson = (contentType: string) => /^application\/json(\s*;|$)/i.test(contentType);

// Transport headers describe the injected exchange, not the item; the rest are the item's own.
const transportHeaders = new Set(['content-length', 'connection', 'date', 'keep-alive', 'transfer-encoding']);
// Graph spells item header names canonically, and graph-client v3 looks up `Content-Type` exactly.
const headerSpelling: Readonly<Record<string, string>> = { etag: 'ETag', 'odata-version': 'OData-Version', 'www-authenticate': 'WWW-Authenticate' };
const lowerCaseHeaders = new Set(['request-id', 'client-request-id', 'x-ms-ags-diagnostic']);

function itemHeaders(headers: Readonly<Record<string, string | number | string[] | undefined>>): Record<string, string> {
  const item: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (transportHeaders.has(name) || value === undefined) continue;
    item[lowerCaseHeaders.has(name) ? name : (headerSpelling[name] ?? capitalized(name))] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return item;
}

const capitalized = (name: string) => name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());

function failedDependencyResponse(step: BatchStep, failedId: string, clientRequestId: string): BatchItemResponse {
  const error = new GraphError('FailedDependency', `Request Id ${step.id} was not run: request ${failedId}, which it depends on, failed.`);
  return {
    id: step.id,
    status: error.status,
    headers: { 'Content-Type': graphJsonContentType },
    body: errorEnvelope(error, { requestId: newRequestId(), clientRequestId }),
  };
}
