import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** One POST a receiver got: its query and parsed JSON body. */
export interface Received {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- notification JSON
  readonly at: number;
}

/** What the receiver answers: a status for notifications; for validation, the token echoed or not. */
export interface ReceiverBehaviour {
  /** The status of a notification POST (default 202). */
  notificationStatus: number;
  /** Whether validation requests get the decoded token back with 200 (default true). */
  validates: boolean;
  /** How long to wait before answering a notification, in ms (default 0). */
  delayMs: number;
}

/** A subscriber's webhook, a real HTTP server on an ephemeral port, as an app under test would run. */
export interface Receiver {
  readonly url: string;
  readonly behaviour: ReceiverBehaviour;
  /** Every notification POST (not the validation requests), in arrival order. */
  readonly notifications: Received[];
  readonly validations: Received[];
  /** The change (or lifecycle) items received so far, flattened from every POST's `value`. */
  items(): any[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- notification JSON
  /** Resolves once `predicate` holds of the items received, or rejects after `timeoutMs`. */
  waitFor(predicate: (items: any[]) => boolean, timeoutMs?: number): Promise<any[]>; // eslint-disable-line @typescript-eslint/no-explicit-any -- notification JSON
  close(): Promise<void>;
}

/** Starts a receiver on http, or on https with the given certificate and key (PEM). */
export async function startReceiver(tls?: { readonly cert: string; readonly key: string }): Promise<Receiver> {
  const behaviour: ReceiverBehaviour = { notificationStatus: 202, validates: true, delayMs: 0 };
  const notifications: Received[] = [];
  const validations: Received[] = [];
  const waiters = new Set<() => void>();
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const text = Buffer.concat(chunks).toString('utf8');
      const token = url.searchParams.get('validationToken');
      if (token !== null) {
        validations.push({ path: url.pathname, query: url.searchParams, body: text, at: Date.now() });
        if (!behaviour.validates) {
          res.writeHead(400).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
        return;
      }
      notifications.push({ path: url.pathname, query: url.searchParams, body: text === '' ? undefined : JSON.parse(text), at: Date.now() });
      for (const wake of waiters) wake();
      setTimeout(() => res.writeHead(behaviour.notificationStatus).end(), behaviour.delayMs);
    });
  };
  const server = tls === undefined ? http.createServer(handler) : https.createServer(tls, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const items = () => notifications.flatMap((received) => (received.body?.value ?? []) as unknown[]);
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/notify`,
    behaviour,
    notifications,
    validations,
    items,
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(items())) return;
          cleanup();
          resolve(items());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the receiver did not get what was awaited within ${timeoutMs} ms; it got ${JSON.stringify(items(), null, 2)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
