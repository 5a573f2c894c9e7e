import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { DatabaseTarget } from '../../src/config.ts';
import { databaseArgs, spawnServer } from './processes.ts';

// A burst of writes (chat messages posted by several clients at once) whose every outcome is kept:
// what the reliability tests check after a signal or a kill -9 and a restart.
export const burstChatId = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
const messagesPath = `/v1.0/chats/${encodeURIComponent(burstChatId)}/messages`;
const requestTimeoutMs = 30_000;

export interface BurstOutcomes {
  /** Ids of the messages acknowledged with 201. */
  readonly acknowledged: string[];
  /** 503 answers, each checked for Graph's envelope and Retry-After. */
  unavailable: number;
  /** Connections refused before a request was sent: the server no longer listened. */
  refused: number;
  /** Requests that got no complete HTTP answer (a reset, a closed socket), with their errors. */
  readonly dropped: string[];
  /** Answers other than 201 and a well-formed 503. */
  readonly unexpected: string[];
}

export interface WriteBurst {
  readonly outcomes: BurstOutcomes;
  /** Requests sent and not yet answered. */
  inFlight(): number;
  /** Resolves once `count` writes have been acknowledged. */
  acknowledgedAtLeast(count: number): Promise<void>;
  /** Each client stops after its current request; resolves when all have. */
  stop(): Promise<void>;
  /** Resolves when every client has stopped: told to, or after a 503 or a refused connection. */
  readonly done: Promise<void>;
}

/** Starts `clients` loops, each posting one message after another to the demo tenant's chat. */
export function startWriteBurst(url: string, clients: number, label: string): WriteBurst {
  const outcomes: BurstOutcomes = { acknowledged: [], unavailable: 0, refused: 0, dropped: [], unexpected: [] };
  let inFlight = 0;
  let isStopped = false;
  const waiters: { count: number; resolve: () => void }[] = [];
  const acknowledge = (id: string) => {
    outcomes.acknowledged.push(id);
    for (const waiter of waiters.filter((candidate) => candidate.count <= outcomes.acknowledged.length)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const client = async (clientIndex: number) => {
    for (let sequence = 0; !isStopped; sequence++) {
      inFlight++;
      try {
        const response = await fetch(`${url}${messagesPath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ body: { content: `${label} client ${clientIndex} write ${sequence}` } }),
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const text = await response.text();
        if (response.status === 201) {
          acknowledge((JSON.parse(text) as { id: string }).id);
        } else if (response.status === 503 && isShutdownAnswer(response, text)) {
          outcomes.unavailable++;
          return;
        } else {
          outcomes.unexpected.push(`${response.status} ${text.slice(0, 200)}`);
          return;
        }
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        if (cause?.code === 'ECONNREFUSED') outcomes.refused++;
        else outcomes.dropped.push(`${cause?.code ?? ''} ${cause?.message ?? (err as Error).message}`);
        return;
      } finally {
        inFlight--;
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, index) => client(index))).then(() => undefined);
  return {
    outcomes,
    inFlight: () => inFlight,
    acknowledgedAtLeast: (count) => (outcomes.acknowledged.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    stop: () => {
      isStopped = true;
      return done;
    },
    done,
  };
}

function isShutdownAnswer(response: Response, text: string): boolean {
  const body = JSON.parse(text) as { error?: { code?: string; innerError?: { 'request-id'?: string } } };
  return response.headers.get('retry-after') !== null && body.error?.code === 'ServiceUnavailable' && typeof body.error.innerError?.['request-id'] === 'string';
}

/** Ids of every message in the burst's chat, read page by page from a running server. */
export async function storedMessageIds(url: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let next: string | undefined = `${url}${messagesPath}?$top=50`;
  while (next !== undefined) {
    const response = await fetch(next);
    assert.equal(response.status, 200);
    const page = (await response.json()) as { value: { id: string }[]; '@odata.nextLink'?: string };
    for (const message of page.value) ids.add(message.id);
    next = page['@odata.nextLink'];
  }
  return ids;
}

/** Restarts a server on the database and checks that every acknowledged write is there. */
export async function assertAcknowledgedAfterRestart(t: TestContext, target: DatabaseTarget, acknowledged: readonly string[]): Promise<void> {
  const server = await spawnServer(databaseArgs(target));
  try {
    const stored = await storedMessageIds(server.url);
    const missing = acknowledged.filter((id) => !stored.has(id));
    t.diagnostic(`after the restart: ${acknowledged.length - missing.length} of ${acknowledged.length} acknowledged writes found`);
    assert.deepEqual(missing, [], 'acknowledged writes missing after the restart');
  } finally {
    await server.stop();
  }
}
