import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestIds } from './errors.ts';

// Graph's response headers that clients log (concepts/best-practices.md): request-id, the echoed
// client-request-id (equal to request-id when the client sent none), and x-ms-ags-diagnostic.
const diagnostic = JSON.stringify({ ServerInfo: { DataCenter: 'teamgraph', Slice: 'local', Ring: '0', ScaleUnit: '000', RoleInstance: os.hostname() } });

export const newRequestId = (): string => randomUUID();

export function requestIds(request: FastifyRequest): RequestIds {
  return { requestId: request.id, clientRequestId: clientRequestIdOr(request.headers['client-request-id'], request.id) };
}

/** The client's client-request-id when it sent a usable one, else `requestId`. */
function clientRequestIdOr(sent: unknown, requestId: string): string {
  return typeof sent === 'string' && sent.length > 0 && sent.length <= 200 ? sent : requestId;
}

/** Ids for an exchange that failed before Fastify saw a request: a fresh request-id, the client's id if known. */
export function transportIds(clientRequestId: unknown): RequestIds {
  const requestId = newRequestId();
  return { requestId, clientRequestId: clientRequestIdOr(clientRequestId, requestId) };
}

export function requestIdHeaders(ids: RequestIds): Record<string, string> {
  return { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId, 'x-ms-ags-diagnostic': diagnostic, 'cache-control': 'no-cache' };
}

export function setRequestIdHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.headers(requestIdHeaders(requestIds(request)));
}
