// The `startup` case (docs/benchmarks.md): how long teamgraph takes from spawn to a healthy answer, and
// how much memory it then holds idle, each against a bare Fastify app started the same way in the same
// rounds; and how long `--help` takes against Node starting an empty script.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

interface Started {
  readonly ms: number;
  readonly rssMiB: number | null;
}

const idleMs = 1000;

/** Spawns a server, waits for its first 200 on `healthPath`, lets it idle, reads its RSS, runs `then` on it, and stops it. */
function startOnce(args: readonly string[], healthPath: string, then: (origin: string) => Promise<void> = () => Promise.resolve()): Promise<Started> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    let isHealthy = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const origin = /listening on (https?:\/\/[^\s(]+)/.exec(output)?.[1];
      if (origin === undefined || isHealthy) return;
      isHealthy = true;
      void healthy(`${origin}${healthPath}`).then(async () => {
        const ms = performance.now() - started;
        await new Promise((done) => setTimeout(done, idleMs));
        const rssMiB = residentMiB(child.pid);
        await then(origin);
        child.once('close', () => resolve({ ms, rssMiB })).kill();
      }, reject);
    });
    child.once('error', reject);
  });
}

async function healthy(url: string): Promise<void> {
  for (;;) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((done) => setTimeout(done, 5));
  }
}

/** Resident memory of a process, from Linux's /proc; null where there is none. */
function residentMiB(pid: number | undefined): number | null {
  const kB = pid === undefined ? undefined : /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kB === undefined ? null : Number(kB) / 1024;
}

/** Times `POST /_teamgraph/reset` over HTTP, a few times in a row (the first also pays for compiling the route's validators). */
async function resets(origin: string, into: number[]): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = performance.now();
    const response = await fetch(`${origin}/_teamgraph/reset`, { method: 'POST' });
    if (response.status !== 204) throw new Error(`reset answered ${response.status}`);
    into.push(performance.now() - started);
  }
}

function runToExit(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.once('close', () => resolve(performance.now() - started));
    child.once('error', reject);
  });
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const range = (values: readonly number[]) => `(min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)})`;

export async function benchStartup(rounds: number): Promise<string[]> {
  const teamgraph = ['bin/teamgraph.js', '--memory', '--port', '0', '--log-level', 'warn'];
  const bare = ['bench/startup-baseline.js'];
  const time: number[] = [];
  const rss: number[] = [];
  const help: number[] = [];
  const helpMs: number[] = [];
  const resetMs: number[] = [];
  const reset = (origin: string) => resets(origin, resetMs);
  for (let round = 1; round <= rounds; round++) {
    // Alternate which side starts first, as the load cases do.
    const [graph, base] =
      round % 2 === 1
        ? await startOnce(teamgraph, '/_teamgraph/health', reset).then(async (g) => [g, await startOnce(bare, '/health')] as const)
        : await startOnce(bare, '/health').then(async (b) => [await startOnce(teamgraph, '/_teamgraph/health', reset), b] as const);
    time.push(graph.ms / base.ms);
    if (graph.rssMiB !== null && base.rssMiB !== null) rss.push(graph.rssMiB / base.rssMiB);
    const helpTook = await runToExit(['bin/teamgraph.js', '--help']);
    help.push(helpTook / (await runToExit(['-e', ''])));
    helpMs.push(helpTook);
    console.log(
      `startup round ${round}: teamgraph healthy in ${graph.ms.toFixed(0)} ms holding ${graph.rssMiB?.toFixed(0) ?? '?'} MiB, bare Fastify ${base.ms.toFixed(0)} ms ${base.rssMiB?.toFixed(0) ?? '?'} MiB; --help ${helpTook.toFixed(0)} ms`,
    );
  }
  console.log(`startup time: teamgraph over bare Fastify, median ${median(time).toFixed(2)} ${range(time)}`);
  console.log(`startup idle memory: teamgraph over bare Fastify, median ${median(rss).toFixed(2)} ${range(rss)}`);
  console.log(`reset to the demo tenant (POST /_teamgraph/reset): median ${median(resetMs).toFixed(0)} ms ${range(resetMs)}`);
  console.log(`startup --help: median ${median(helpMs).toFixed(0)} ms, over an empty Node script ${median(help).toFixed(2)} ${range(help)}`);
  return [
    `ratio startup-time ${median(time).toFixed(2)}`,
    ...(rss.length === 0 ? [] : [`ratio startup-rss ${median(rss).toFixed(2)}`]),
    `ratio startup-help ${median(help).toFixed(2)}`,
  ];
}
