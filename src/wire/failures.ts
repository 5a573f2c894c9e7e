import type { FastifyReply, FastifyRequest } from 'fastify';
import { type GraphError, type RequestIds, errorEnvelope } from './errors.ts';
import { requestIdHeaders, requestIds } from './request-id.ts';
import { graphJsonContentType } from './routes.ts';

/**
 * How a failure is written on a given path: Graph's envelope everywhere but on the paths of another
 * surface served alongside it, the emulated authority, whose clients read Entra's shape.
 */
export interface FailureShape {
  headers(ids: RequestIds): Record<string, string>;
  body(error: GraphError, ids: RequestIds): unknown;
}

export type ShapeForPath = (url: string) => FailureShape;

export const graphShape: FailureShape = {
  headers: (ids) => ({ ...requestIdHeaders(ids), 'content-type': graphJsonContentType }),
  body: (error, ids) => errorEnvelope(error, ids),
};

export async function sendFailure(request: FastifyRequest, reply: FastifyReply, error: GraphError, shape: FailureShape): Promise<void> {
  const ids = requestIds(request);
  reply.code(error.status).headers(shape.headers(ids));
  if (error.headers !== undefined) reply.headers(error.headers);
  await reply.send(JSON.stringify(shape.body(error, ids)));
}

// How much of a refused body is read and dropped so that its client, still sending, reads the
// answer: eight times the 4 MB limit. A client sending more is cut off (docs/decisions.md 101).
const discardLimitBytes = 32 * 1024 * 1024;

/**
 * A body refused before it was read (too large, not JSON) is still on its way: answering and closing
 * the connection then makes the client's next write fail (EPIPE) before it reads the answer. So the
 * rest is read and dropped first, up to `discardLimitBytes`, and a connection whose body was read in
 * full stays open for the next request.
 */
export async function discardUnreadBody(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = request.raw;
  const isRead =
    raw.complete || raw.readableEnded || (!raw.destroyed && Number(raw.headers['content-length'] ?? 0) <= discardLimitBytes && (await discardRest(raw)));
  // Fastify asks to close a connection whose body failed to parse, in case more of it follows.
  if (isRead) reply.removeHeader('connection');
}

/** Reads and drops the rest of a body; resolves whether it ended within the limit. */
function discardRest(raw: FastifyRequest['raw']): Promise<boolean> {
  return new Promise((resolve) => {
    let discardedBytes = 0;
    const onData = (chunk: Buffer) => {
      discardedBytes += chunk.length;
      if (discardedBytes > discardLimitBytes) settle(false);
    };
    const onEnd = () => settle(true);
    const onClose = () => settle(raw.complete);
    const settle = (isComplete: boolean) => {
      raw.off('data', onData).off('end', onEnd).off('close', onClose);
      resolve(isComplete);
    };
    raw.on('data', onData).once('end', onEnd).once('close', onClose);
    raw.resume();
  });
}
