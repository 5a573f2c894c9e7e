import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestIds } from './errors.ts';

// Graph's response headers that clients log (concepts/best-practices.md): request-id, the echoed
// client-request-id (equal to request-id when the client sent none), and x-ms-ags-diagnostic.
const diagnostic = JSON.stringify({ ServerInfo: { DataCenter: 'teamgraph', Slice: 'local', Ring: '0', ScaleUnit: '000', RoleInstance: os.hostname() } });

export const newRequestId = (): string => randomUUID();

export function requestIds(request: FastifyRequest): RequestIds {
  const sent = request.headers['client-request-id'];
  const clientRequestId = typeof sent === 'string' && sent.length > 0 && sent.length <= 200 ? sent : request.id;
  return { requestId: request.id, clientRequestId };
}

export function setRequestIdHeaders(request: FastifyRequest, reply: FastifyReply): void {
  const ids = requestIds(request);
  reply.headers({
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
    'x-ms-ags-diagnostic': diagnostic,
    'cache-control': 'no-cache',
  });
}
