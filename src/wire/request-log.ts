import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * One log line per request, written when it is answered: `GET /v1.0/me 200`, with its request id,
 * status and time. Fastify's default is two lines of request and response objects, which at the
 * default level buries the banner and everything else.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    const message = `${request.method} ${request.url} ${reply.statusCode}`;
    if (error === null || error === undefined) reply.log.info(line, message);
    else reply.log.error({ ...line, err: error }, message);
  }
}
