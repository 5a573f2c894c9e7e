import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type GraphError, headersTooLarge, internalError, malformedHttp, malformedUrl, requestTimeout, segmentTooLong, urlTooLong } from './errors.ts';
import { type ShapeForPath, sendFailure } from './failures.ts';
import { transportIds } from './request-id.ts';

// Failures of the HTTP exchange itself, which Fastify and Node answer in their own shape unless told
// otherwise (docs/decisions.md 101): a URL the router cannot decode, and a request Node's parser
// refuses or gives up waiting for. Each is answered in the shape of the path it names.

/** Fastify's `frameworkErrors`: the router could not decode the URL, or a segment is too long. */
export function answerFrameworkErrors(shapeFor: ShapeForPath, maxParamLength: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const failure =
      error.code === 'FST_ERR_BAD_URL' ? malformedUrl() : error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? segmentTooLong(maxParamLength) : internalError();
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed');
    sendFailure(request, reply, failure, shapeFor(request.url)).catch((err: unknown) => request.log.debug({ err }, 'the answer was not delivered'));
  };
}

// After answering, the connection is half-closed and what the client still sends is read and dropped
// for this long: closing a socket with unread input resets it, and the reset can reach the client
// before it has read the answer.
const lingerMs = 500;

/**
 * Node's 'clientError': a request its parser refuses (headers over 16 KB, malformed HTTP) or one not
 * received within the headers or request timeout. It is answered on the socket, with
 * `Connection: close`, when an answer can still be written: no response to it has started, and the
 * client has sent something (a silent connection gets no answer it did not ask for).
 */
export function answerClientErrors(shapeFor: ShapeForPath) {
  const answered = new WeakSet<Socket>();
  // Fastify calls it with the app as `this`.
  return function (this: { log: FastifyBaseLogger }, err: Error & { code?: string; reason?: string; rawPacket?: unknown }, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
    answered.add(socket);
    // Node's own default answer reads the same property: the response in progress on this socket.
    const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
    const requestLine = Buffer.isBuffer(err.rawPacket) ? /^[A-Z]+ (\S+)( |\r?\n|$)/.exec(err.rawPacket.subarray(0, 8192).toString('latin1')) : null;
    const path = response?.req.url ?? requestLine?.[1] ?? '/';
    const failure = clientFailure(err, requestLine !== null && requestLine[2] === '');
    this.log.debug({ err, path }, 'client error');
    if (socket.writable && response?.headersSent !== true && socket.bytesRead > 0) {
      socket.write(rawResponse(failure, shapeFor(path), response?.req.headers['client-request-id']));
    }
    socket.on('error', () => undefined); // the client may reset while we linger; nothing is left to tell it
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), lingerMs).unref();
  };
}

function clientFailure(err: Error & { code?: string; reason?: string }, isInRequestLine: boolean): GraphError {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return requestTimeout();
  // The request line alone overflowed when the packet holds no line break after it.
  if (err.code === 'HPE_HEADER_OVERFLOW') return isInRequestLine ? urlTooLong() : headersTooLarge();
  return malformedHttp(err.reason ?? err.message);
}

function rawResponse(failure: GraphError, shape: ReturnType<ShapeForPath>, clientRequestId: unknown): string {
  const ids = transportIds(clientRequestId);
  const body = JSON.stringify(shape.body(failure, ids));
  const headers = {
    ...shape.headers(ids),
    ...failure.headers,
    date: new Date().toUTCString(),
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${failure.status} ${STATUS_CODES[failure.status] ?? ''}\r\n${lines.join('')}\r\n${body}`;
}
