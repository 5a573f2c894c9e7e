import fs from 'node:fs';
import path from 'node:path';

// The coverage map (test/coverage/coverage-map.ts, docs/test-coverage.md) is built from what the suite
// really sent and got back, not from what tests say they cover: with TEAMGRAPH_TEST_TRAFFIC naming a
// folder, each test process writes there one line per Graph request its test client sent, in order.

/** One request of the shared test client to a Graph route, as the coverage map reads it. */
export interface Exchange {
  /** The test file that sent it. */
  readonly file: string;
  readonly operation: string;
  readonly method: string;
  /** The path without the query, lower-cased, as Graph paths compare. */
  readonly path: string;
  /** Who sent it (callerOf). */
  readonly caller: string;
  readonly status: number;
  /** The error's code and message, for a failure in Graph's envelope. */
  readonly code?: string;
  readonly message?: string;
}

const folder = process.env.TEAMGRAPH_TEST_TRAFFIC;
const recorded: Exchange[] = [];

if (folder !== undefined && folder !== '') {
  // Written once, as the test process exits, so that recording costs the tests nothing.
  process.once('exit', () => {
    if (recorded.length === 0) return;
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${process.pid}.jsonl`), recorded.map((exchange) => `${JSON.stringify(exchange)}\n`).join(''));
  });
}

/**
 * Who sent a request, as the coverage map tells callers apart: the token's user (`oid`) or app
 * (`azp`, `appid`), read without checking the token; `dev` without one.
 */
export function callerOf(headers: Readonly<Record<string, string>> | undefined): string {
  const token = /^Bearer (.+)$/i.exec(headers?.authorization ?? headers?.Authorization ?? '')?.[1];
  if (token === undefined) return 'dev';
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, string | undefined>;
    return claims.oid ?? claims.azp ?? claims.appid ?? 'unknown';
  } catch {
    return 'unreadable'; // a test's deliberately broken token: a caller of its own
  }
}

export function recordExchange(sent: { operation: string; method: string; url: string; status: number; body: unknown; caller: string }): void {
  if (folder === undefined || folder === '') return;
  const { operation, method, url, status, body, caller } = sent;
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  recorded.push({
    file: path.relative(process.cwd(), process.argv[1] ?? ''),
    operation,
    method: method.toUpperCase(),
    path: (url.split('?')[0] ?? '').toLowerCase(),
    caller,
    status,
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  });
}
