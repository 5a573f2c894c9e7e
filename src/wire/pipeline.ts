import type { FastifyError, FastifyInstance } from 'fastify';
import {
  GraphError,
  badRequest,
  entityTooLarge,
  internalError,
  invalidJsonBody,
  invalidVersion,
  methodNotAllowed,
  resourceSegmentNotFound,
  unsupportedMediaType,
} from './errors.ts';
import { schemaFailure } from './validation.ts';
import { discardUnreadBody, graphShape, sendFailure } from './failures.ts';
import { parseJsonBody } from './json-body.ts';
import { type GraphRoute, explainUnmatched } from './routes.ts';

/** Bodies are JSON, as Graph's are; the content type may carry parameters (odata.metadata, charset). */
export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/json(\s*;.*)?$/i, { parseAs: 'buffer' }, (_request, body, done) => {
    const parsed = parseJsonBody(body as Buffer);
    if (parsed.ok) done(null, parsed.value);
    else done(parsed.error, undefined);
  });
  // Anything else with a body is refused here rather than by Fastify, so the answer is Graph-shaped.
  app.addContentTypeParser('*', (request, _payload, done) => {
    done(unsupportedMediaType(String(request.headers['content-type'] ?? '')), undefined);
  });
}

/** Every failure, expected or not, leaves as Graph's error envelope; unexpected ones are logged. */
export function renderErrors(app: FastifyInstance, routes: () => readonly GraphRoute[]): void {
  app.setErrorHandler(async (err: FastifyError | GraphError, request, reply) => {
    const graphError = toGraphError(err, request.routeOptions.schema?.body);
    if (graphError.status >= 500) request.log.error({ err, requestId: request.id }, 'request failed');
    await discardUnreadBody(request, reply);
    await sendFailure(request, reply, graphError, graphShape);
  });
  app.setNotFoundHandler(async (request, reply) => {
    // A HEAD is its GET without the body: the GET runs through the whole pipeline, and Node sends no
    // body in answer to a HEAD.
    if (request.method === 'HEAD') {
      const get = await app.inject({ method: 'GET', url: request.url, headers: request.headers });
      const { connection: _connection, 'transfer-encoding': _encoding, ...headers } = get.headers;
      return reply.code(get.statusCode).headers(headers).send(get.rawPayload);
    }
    const path = request.url.split('?')[0] ?? '/';
    const why = explainUnmatched(routes(), request.method, path);
    const error = why.kind === 'version' ? invalidVersion(why.segment) : why.kind === 'method' ? methodNotAllowed() : resourceSegmentNotFound(why.segment);
    await sendFailure(request, reply, error, graphShape);
  });
}

/** Graph's error for any failure: its own, a schema's, Fastify's, or an unexpected one (500). */
export function toGraphError(err: FastifyError | GraphError, bodySchema?: unknown): GraphError {
  if (err instanceof GraphError) return err;
  if (err.validation !== undefined) return schemaFailure(err.validation[0], err.validationContext, bodySchema);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return entityTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType('');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalidJsonBody();
    default:
      if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return badRequest(err.message);
      return internalError();
  }
}
