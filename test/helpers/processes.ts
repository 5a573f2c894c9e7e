import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { DatabaseTarget } from '../../src/config.ts';
import { type RequestOptions, type TestResponse, type TestServer, request } from './server.ts';

const bin = path.resolve('bin/teamgraph.js');
const startTimeoutMs = 60_000;

/** A teamgraph server running as a process of its own, as `npx teamgraph` runs it. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string };
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Resolves once the process has exited, with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The `--database` argument for a test database: its file or its URL. */
export function databaseArgs(target: DatabaseTarget): string[] {
  return ['--database', target.kind === 'sqlite' ? target.file : target.url];
}

/**
 * Spawns `bin/teamgraph.js` with `args` on a free port and resolves once its banner names the URL it
 * serves. Processes, not in-process apps, are what kill -9, signals and two instances need.
 */
export function spawnServer(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, '--port', '0', '--log-level', 'silent', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`teamgraph did not start within ${startTimeoutMs} ms\n${stdout}\n${stderr}`));
    }, startTimeoutMs);
    const onData = () => {
      const url = /listening on (\S+)/.exec(stdout)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url,
        child,
        output: () => ({ stdout, stderr }),
        request: (method, requestPath, options) => request(url, method, requestPath, options),
        exited,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`teamgraph exited (${code ?? signal}) before listening\n${stdout}\n${stderr}`));
    });
  });
}

/**
 * A second instance of a test server as a process of its own on the same database, as a scaled-out
 * deployment runs them (docs/decisions.md 134): it shares nothing with the first but the database.
 */
export function spawnSecondInstance(server: TestServer): Promise<ServerProcess> {
  if (server.database.kind === 'sqlite' && server.database.file === ':memory:') {
    throw new Error('a second instance needs a database it can open: start the first with startSharedTestServer');
  }
  return spawnServer([...databaseArgs(server.database), ...server.args]);
}
