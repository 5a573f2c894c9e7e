import type { Server } from 'node:http';
import { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { shuttingDown } from './errors.ts';
import { type ShapeForPath, discardUnreadBody, sendFailure } from './failures.ts';

// What a client is told to wait before it retries, once this instance is stopping: about what a
// restart takes here (decision 103).
const retryAfterSeconds = 5;

/**
 * A graceful stop (docs/decisions.md 103): requests in flight finish, and every request that arrives
 * meanwhile, on an open connection or a new one, is answered 503 with `Retry-After` in the envelope;
 * every answer then closes its connection. `app.close()` alone answers the same way while it closes,
 * without a bound and closing idle connections at once, as Fastify does.
 */
export class Drain {
  #isDraining = false;
  #deadline = Number.POSITIVE_INFINITY;

  register(app: FastifyInstance, shapeFor: ShapeForPath): void {
    app.addHook('onRequest', (request, reply, done) => {
      if (!this.#isDraining || !isFromConnection(request)) {
        done();
        return;
      }
      // The body is read first, so that the client, still sending it, reads the answer.
      discardUnreadBody(request, reply)
        .then(() => sendFailure(request, reply, shuttingDown(retryAfterSeconds), shapeFor(request.url)))
        .catch((err: unknown) => request.log.debug({ err }, 'the answer was not delivered'));
    });
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (this.#isDraining) reply.header('connection', 'close');
      done(null, payload);
    });
    app.addHook('preClose', (done) => {
      this.#isDraining = true;
      done();
    });
  }

  /**
   * Resolves once every connection has closed (after its answer, or at its keep-alive timeout) or
   * `graceMs` has passed; then the listener closes, and with it whatever is still open, requests in
   * flight included. The listener stays open until then: closing it resets the connections the
   * kernel has queued and Node has not yet accepted, whose clients have sent a request; accepted,
   * they are answered 503. Idle kept-alive connections are not closed at once either, as
   * `http.Server#close` would: a client may have just sent a request on one.
   */
  async run(server: Server, graceMs: number): Promise<void> {
    this.#isDraining = true;
    this.#deadline = Math.min(this.#deadline, Date.now() + graceMs);
    while (Date.now() < this.#deadline && (await openConnections(server)) > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, this.#deadline - Date.now())));
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Ends a drain at once: what is still open is closed (a second signal). */
  force(): void {
    this.#deadline = Date.now();
  }
}

// How often a drain counts the open connections.
const pollMs = 50;

const openConnections = (server: Server) =>
  new Promise<number>((resolve, reject) => server.getConnections((err, count) => (err === null ? resolve(count) : reject(err))));

/** A client's request, not one the app makes to itself (a $batch's items), which belongs to its batch. */
const isFromConnection = (request: FastifyRequest): boolean => request.raw.socket instanceof Socket;
