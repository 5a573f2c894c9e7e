import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDialects } from '../helpers/databases.ts';
import { demoClientId, demoClientSecret, demoTenantId, userToken } from '../helpers/tokens.ts';

// Every fenced block of README.md is run as a reader would run it, or is output that is compared with
// what teamgraph prints (docs/decisions.md 146). Each `describe` below takes the blocks of one section;
// the last test fails when a block is taken by none, so no block reaches the README unverified.
//
// What a block may not do as written, and what the test changes instead:
// - Ports: README's 4545 and 4546 become free ports, in the blocks' text and as TEAMGRAPH_PORT for
//   the servers they start without --port. A fixed port would collide with a teamgraph the developer
//   has running, or with another run of this file.
// - Data: TEAMGRAPH_DATA points at a fresh directory, so that no run reads or changes ./.teamgraph.
// - The PostgreSQL URL becomes a fresh test database (and the section is skipped without one).
// - `npm ci` is not run: it would replace the node_modules this test runs from, and the checkout it
//   runs in is what `npm ci` leaves (installed, and built by `prepare`). `npm test`, `npm run …` are
//   checked to name a script of package.json: the suite, the bench and the mutation run are run by
//   their own commands, not from inside the suite, and `npm run build` would rewrite the dist/ that
//   other test files' servers are loading.

interface Block {
  /** The heading the block is under. */
  readonly heading: string;
  readonly info: string;
  readonly code: string;
  /** 1-based line of its opening fence, for messages. */
  readonly line: number;
}

/** Every fenced block, indented or not, of backticks or tildes (CommonMark's fences), with the heading it is under. */
function readmeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let heading = '';
  let open: { fence: string; info: string; line: number; lines: string[] } | null = null;
  for (const [index, line] of markdown.split('\n').entries()) {
    if (open === null) {
      const fence = /^ *(`{3,}|~{3,})(.*)$/.exec(line);
      if (fence !== null) open = { fence: fence[1] as string, info: (fence[2] ?? '').trim(), line: index + 1, lines: [] };
      else heading = /^#+ (.*)$/.exec(line)?.[1] ?? heading;
    } else if (line.trim() === open.fence) {
      blocks.push({ heading, info: open.info, code: `${open.lines.join('\n')}\n`, line: open.line });
      open = null;
    } else {
      open.lines.push(line);
    }
  }
  assert.equal(open, null, 'README.md ends inside a code block');
  return blocks;
}

const blocks = readmeBlocks(fs.readFileSync('README.md', 'utf8'));
const taken = new Set<Block>();

/**
 * The first block with this info string under this heading not taken yet; it counts as verified by
 * the caller, which verifies it as its info string says: `sh` run as commands, `ts` run as a module,
 * `js` run as a test file, `text` compared with what a server printed.
 */
function take(heading: string, info: string): Block | undefined {
  const found = blocks.find((block) => block.heading === heading && block.info === info && !taken.has(block));
  if (found !== undefined) taken.add(found);
  return found;
}

const describeBlock = (block: Block) => `README.md:${block.line} \`\`\`${block.info} under "${block.heading}"`;

// The reader's shell: none of the developer's TEAMGRAPH_* settings, no test runner context. npx finds
// the package's own bin locally; offline keeps a run from asking the registry anything.
const readerEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TEAMGRAPH_') && name !== 'NODE_TEST_CONTEXT')),
  npm_config_offline: 'true',
};

const readmePorts = ['4545', '4546'];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Output {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Output> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A server a block started: `npm start` or `npx teamgraph …`, in a process group of its own so that stopping it stops npm's children too. */
interface StartedServer {
  readonly command: string;
  /** The origin its banner names. */
  readonly url: string;
  readonly stdout: () => string;
  stop(): Promise<void>;
}

const bannerTimeoutMs = 120_000; // npx's first run in a checkout links the package into npm's cache: 15 s on an idle machine

function startServer(command: string, env: NodeJS.ProcessEnv): Promise<StartedServer> {
  const child: ChildProcess = spawn('sh', ['-c', command], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearInterval(poll);
      void stop().then(() => reject(new Error(`\`${command}\` ${why}\n${stdout}\n${stderr}`)));
    };
    const timer = setTimeout(() => fail(`printed no banner within ${bannerTimeoutMs} ms`), bannerTimeoutMs);
    // The banner ends with its `try` line; it is complete once that line is.
    const poll = setInterval(() => {
      const url = /listening on (\S+)/.exec(stdout)?.[1];
      if (url !== undefined && /^ {2}try .*\n/m.test(stdout)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ command, url, stdout: () => stdout, stop });
      } else if (child.exitCode !== null) {
        clearTimeout(timer);
        fail(`exited ${child.exitCode} before its banner`);
      }
    }, 50);
  });
}

/**
 * One section's run: its free ports, a fresh data directory, the environment its blocks run in, and
 * the servers they started.
 */
class SectionRun {
  readonly servers: StartedServer[] = [];
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-readme-'));
  // Named as README's default data directory, so that the banner's `…/.teamgraph/teamgraph.db` holds.
  readonly dataDir = path.join(this.dir, '.teamgraph');
  readonly env: NodeJS.ProcessEnv;

  private constructor(
    private readonly ports: ReadonlyMap<string, string>,
    env: Record<string, string>,
    private readonly replacements: ReadonlyMap<string, string>,
  ) {
    this.env = { ...readerEnv, TEAMGRAPH_PORT: ports.get('4545'), TEAMGRAPH_DATA: this.dataDir, ...env };
  }

  static async start(env: Record<string, string> = {}, replacements: ReadonlyMap<string, string> = new Map()): Promise<SectionRun> {
    const ports = new Map<string, string>();
    for (const port of readmePorts) ports.set(port, String(await freePort()));
    return new SectionRun(ports, env, replacements);
  }

  port(readmePort: string): string {
    return this.ports.get(readmePort) as string;
  }

  /** The block's text as this run runs it: README's ports and the listed strings replaced. */
  text(block: Block): string {
    let text = block.code.replace(new RegExp(`\\b(${readmePorts.join('|')})\\b`, 'g'), (port) => this.port(port));
    for (const [from, to] of this.replacements) text = text.replaceAll(from, to);
    return text;
  }

  /**
   * Runs a ```sh block line by line: servers are started and left running, other commands must exit
   * 0; their standard outputs are returned in order. A command of a kind this file has no rule for
   * fails the test, so that a new kind of command gets one.
   */
  async commands(block: Block): Promise<string[]> {
    const outputs: string[] = [];
    const scripts = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const line of this.text(block).split('\n')) {
      const commands = line.replace(/\s+#\s.*$/, '').split(' && ');
      for (const command of commands.map((part) => part.trim())) {
        if (command === '' || command === 'npm ci') continue;
        const script = /^npm (?:run )?(\S+)$/.exec(command)?.[1];
        if (command === 'npm start' || /^npx teamgraph( |$)/.test(command)) {
          this.servers.push(await startServer(command, this.env));
        } else if (script !== undefined) {
          assert.ok(scripts[script] !== undefined, `${describeBlock(block)}: \`${command}\` names no script of package.json`);
        } else if (/^curl /.test(command)) {
          const result = await run('sh', ['-c', command], this.env);
          assert.equal(result.code, 0, `${describeBlock(block)}: \`${command}\` exited ${result.code}\n${result.stdout}\n${result.stderr}`);
          outputs.push(result.stdout);
        } else {
          assert.fail(`${describeBlock(block)}: no rule to run or check \`${command}\``);
        }
      }
    }
    return outputs;
  }

  /**
   * Runs a ```ts block as the module a reader saves it as, with the command the banner's `trust it`
   * line gives (`NODE_EXTRA_CA_CERTS=… node your-app.js`), through tsx. The file lives inside the
   * project so that its imports resolve to the installed SDKs.
   */
  async module(block: Block, banner: string): Promise<string> {
    const trust = /^ {2}trust it {4}(NODE_EXTRA_CA_CERTS=\S+ node) your-app\.js$/m.exec(banner)?.[1];
    assert.ok(trust !== undefined, `the banner has no trust line:\n${banner}`);
    const file = path.resolve(projectScratch(), `readme-${block.line}.ts`);
    fs.writeFileSync(file, this.text(block));
    const result = await run('sh', ['-c', `${trust} --import tsx ${file}`], this.env);
    assert.equal(result.code, 0, `${describeBlock(block)} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

let scratch: string | null = null;
/** A directory inside the project (where `node_modules` and `import 'teamgraph'` resolve), removed after the file. */
function projectScratch(): string {
  if (scratch === null) {
    fs.mkdirSync('.teamgraph', { recursive: true });
    scratch = fs.mkdtempSync(path.join('.teamgraph', 'readme-'));
  }
  return scratch;
}
after(() => {
  if (scratch !== null) fs.rmSync(scratch, { recursive: true, force: true });
});

/** The `text` block's lines, in order, in what a server printed; `…` in the block stands for any text. */
function assertShown(block: Block, shown: string, printed: string): void {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = shown
    .trimEnd()
    .split('\n')
    .map((line) => new RegExp(`^${line.split('…').map(literal).join('.*')}$`));
  const lines = printed.split('\n');
  const start = lines.findIndex((line) => patterns[0]?.test(line));
  assert.ok(start >= 0, `${describeBlock(block)}: its first line is not in what the server printed:\n${printed}`);
  patterns.forEach((pattern, offset) => assert.match(lines[start + offset] ?? '', pattern, `${describeBlock(block)}, line ${offset + 1}`));
}

interface TlsResponse {
  readonly status: number;
  /** The parsed JSON body, or undefined for an empty one. */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary Graph JSON
}

/** A request over TLS trusting only the server's self-signed certificate. */
function requestTls(url: string, ca: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: options.method ?? 'GET', headers: options.headers, ca }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('README.md: every code block runs as written, or shows what teamgraph prints', () => {
  describe('the quick start and the banner it prints', () => {
    const quickStart = take('teamgraph', 'sh');
    const banner = take('Start', 'text');

    it('`npm start` serves the demo tenant and prints the banner README shows; the other commands are scripts of package.json', async () => {
      assert.ok(quickStart !== undefined && banner !== undefined);
      const section = await SectionRun.start();
      try {
        await section.commands(quickStart);
        const [server] = section.servers;
        assert.ok(server !== undefined && server.command === 'npm start');
        assertShown(banner, section.text(banner), server.stdout());
        const me = await fetch(`${server.url}/v1.0/me`);
        assert.equal(((await me.json()) as { userPrincipalName: string }).userPrincipalName, 'AdeleV@contoso.com');
      } finally {
        await section.close();
      }
    });
  });

  describe('Use it from your app: each SDK snippet, twice, against one server started with --https --auth strict', () => {
    const start = take('Use it from your app', 'sh');
    const graphClient = take('`@microsoft/microsoft-graph-client` v3 (app-only, client secret)', 'ts');
    const kiota = take('`@microsoft/msgraph-sdk` v1.0 (delegated, username and password)', 'ts');
    const kiotaBeta = take('`@microsoft/msgraph-beta-sdk` (app-only)', 'ts');
    let section: SectionRun;
    let server: StartedServer;
    let ca: string;
    let appToken: string | undefined;
    before(async () => {
      section = await SectionRun.start();
      assert.ok(start !== undefined);
      await section.commands(start);
      server = section.servers[0] as StartedServer;
      ca = fs.readFileSync(path.join(section.dataDir, 'tls', 'localhost.crt'), 'utf8');
    });
    after(() => section.close());

    // Reads what the snippets left, as the demo app, over the server's TLS.
    const read = async (url: string) => {
      appToken ??= (
        await requestTls(`${server.url}/${demoTenantId}/oauth2/v2.0/token`, ca, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: demoClientId,
            client_secret: demoClientSecret,
            scope: 'https://graph.microsoft.com/.default',
          }).toString(),
        })
      ).body.access_token;
      return requestTls(`${server.url}${url}`, ca, { headers: { authorization: `Bearer ${appToken}` } });
    };
    const twice = async (block: Block | undefined) => {
      assert.ok(block !== undefined);
      return [await section.module(block, server.stdout()), await section.module(block, server.stdout())];
    };

    it('the command starts a strict HTTPS server whose banner says how to trust it', () => {
      assert.equal(server.url, `https://127.0.0.1:${section.port('4545')}`);
      assert.match(server.stdout(), /\(auth mode strict\)/);
      assert.match(server.stdout(), /NODE_EXTRA_CA_CERTS=/);
    });

    it('graph-client v3 reads a user and creates a group chat', async () => {
      for (const stdout of await twice(graphClient)) {
        const id = /^Adele Vance is in the new chat (19:\S+@thread\.v2) \(Launch plan\)\n$/.exec(stdout)?.[1];
        assert.ok(id !== undefined, stdout);
        const chat = await read(`/v1.0/chats/${id}`);
        assert.equal(chat.status, 200);
        assert.equal(chat.body.topic, 'Launch plan');
      }
    });

    it('the Kiota v1.0 SDK reads /me and sends a chat message as that user', async () => {
      for (const stdout of await twice(kiota)) {
        const [, id, chatId] = /^Megan Bowen sent message (\d+) to chat (19:\S+)\n$/.exec(stdout) ?? [];
        assert.ok(id !== undefined && chatId !== undefined, stdout);
        const message = await read(`/v1.0/chats/${chatId}/messages/${id}`);
        assert.equal(message.status, 200);
        assert.equal(message.body.from.user.displayName, 'Megan Bowen');
        assert.equal(message.body.body.content, 'Hello from the Kiota SDK');
      }
    });

    it('the Kiota beta SDK reads a user, and creates and deletes a section with If-Match', async () => {
      const created = (await twice(kiotaBeta)).map((stdout) => /^Adele Vance created section (\S+) \(From the beta SDK\) and deleted it\n$/.exec(stdout)?.[1]);
      assert.ok(created.every((id) => id !== undefined) && created[0] !== created[1], created.join());
      const sections = await read('/beta/users/AdeleV@contoso.com/teamwork/sections');
      assert.equal(sections.status, 200);
      assert.deepEqual(
        (sections.body.value as { id: string }[]).filter((s) => created.includes(s.id)),
        [],
      );
    });
  });

  describe('Embed it in a test suite', () => {
    const example = take('Embed it in a test suite', 'js');

    it('the example passes under `node --test` as the file a reader saves it as', async () => {
      assert.ok(example !== undefined && example.code.includes("from 'teamgraph'"));
      const file = path.join(projectScratch(), 'embedding.test.mjs');
      fs.writeFileSync(file, example.code);
      const { code, stdout, stderr } = await run(process.execPath, ['--test', file], readerEnv);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      assert.match(stdout, /^# pass 1$/m);
      assert.match(stdout, /^# fail 0$/m);
    });
  });

  describe('Receive change notifications', () => {
    const example = take('Receive change notifications', 'js');

    it('the receiver example passes under `node --test` as the file a reader saves it as', async () => {
      assert.ok(example !== undefined && example.code.includes('/v1.0/subscriptions'));
      const file = path.join(projectScratch(), 'notifications.test.mjs');
      fs.writeFileSync(file, example.code);
      const { code, stdout, stderr } = await run(process.execPath, ['--test', file], readerEnv);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      assert.match(stdout, /^# pass 1$/m);
      assert.match(stdout, /^# fail 0$/m);
    });
  });

  describe('PostgreSQL and several instances', () => {
    const instances = take('PostgreSQL and several instances', 'sh');
    const skip = testDialects().includes('postgres') ? false : 'no PostgreSQL answers';

    it('two instances on one database serve the same data', { skip }, async () => {
      assert.ok(instances !== undefined);
      const database = await createTestDatabase('postgres');
      const url = database.target.kind === 'postgres' ? database.target.url : '';
      const section = await SectionRun.start({}, new Map([['postgres://user@db-host:5432/teamgraph', url]]));
      try {
        await section.commands(instances);
        const [first, second] = section.servers;
        assert.ok(first !== undefined && second !== undefined && section.servers.length === 2);
        assert.equal(first.url, `http://127.0.0.1:${section.port('4545')}`);
        assert.equal(second.url, `http://127.0.0.1:${section.port('4546')}`);
        for (const server of section.servers) assert.match(server.stdout(), /listening on \S+ \(PostgreSQL\)/);
        const chatUrl = '/v1.0/chats/19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2/messages';
        const posted = await fetch(`${first.url}${chatUrl}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ body: { content: 'Written through one instance' } }),
        });
        assert.equal(posted.status, 201);
        const { id } = (await posted.json()) as { id: string };
        const read = await fetch(`${second.url}${chatUrl}/${id}`);
        assert.equal(read.status, 200);
      } finally {
        await section.close();
        await database.drop();
      }
    });
  });

  describe('Fail on purpose', () => {
    const faults = take('Fail on purpose', 'sh');

    it('starts with the faults the flags give, and a PUT changes them while it runs', async () => {
      assert.ok(faults !== undefined);
      const section = await SectionRun.start();
      try {
        const [serverLine, ...rest] = faults.code.split('\n');
        await section.commands({ ...faults, code: `${serverLine}\n` });
        const server = section.servers[0] as StartedServer;
        const started = (await (await fetch(`${server.url}/_teamgraph/faults`)).json()) as Record<string, unknown>;
        assert.deepEqual({ rate: started.rate, statuses: started.statuses, seed: started.seed }, { rate: 0.1, statuses: [429, 503], seed: 42 });
        const [put, get] = (await section.commands({ ...faults, code: rest.join('\n') })).map((output) => JSON.parse(output) as Record<string, unknown>);
        assert.deepEqual(put?.routes, ['POST /v1.0/chats/*/messages']);
        assert.equal(get?.rate, 0.5);
        const chatUrl = `${server.url}/v1.0/chats/19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2/messages`;
        const statuses: number[] = [];
        for (let n = 0; n < 20; n++) {
          const posted = await fetch(chatUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ body: { content: `try ${n}` } }),
          });
          statuses.push(posted.status);
        }
        assert.ok(statuses.includes(201) && statuses.some((status) => [429, 500, 502, 503, 504].includes(status)), statuses.join(' '));
        assert.equal((await fetch(chatUrl)).status, 200, 'a GET is not among the routes named');
      } finally {
        await section.close();
      }
    });
  });

  describe('Control plane', () => {
    const strict = take('Control plane', 'sh');

    it('with --auth strict, the control key resets the data', async () => {
      assert.ok(strict !== undefined);
      const section = await SectionRun.start({ TEAMGRAPH_CONTROL_KEY: randomBytes(16).toString('hex') });
      try {
        const [serverLine, ...rest] = strict.code.split('\n');
        // The server first, then a chat for the reset to take away, then the reset.
        await section.commands({ ...strict, code: `${serverLine}\n` });
        const server = section.servers[0] as StartedServer;
        const token = await userToken(server, 'AdeleV@contoso.com');
        const member = (upn: string) => ({
          '@odata.type': '#microsoft.graph.aadUserConversationMember',
          roles: ['owner'],
          'user@odata.bind': `${server.url}/v1.0/users('${upn}')`,
        });
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const created = await fetch(`${server.url}/v1.0/chats`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ chatType: 'group', topic: 'Before the reset', members: [member('AdeleV@contoso.com'), member('MeganB@contoso.com')] }),
        });
        assert.equal(created.status, 201);
        const { id } = (await created.json()) as { id: string };
        assert.deepEqual(await section.commands({ ...strict, code: rest.join('\n') }), ['']);
        assert.equal((await fetch(`${server.url}/v1.0/chats/${id}`, { headers })).status, 404);
      } finally {
        await section.close();
      }
    });
  });

  describe('Develop', () => {
    const scripts = take('Develop', 'sh');

    it('each command is a script of package.json', async () => {
      assert.ok(scripts !== undefined);
      const section = await SectionRun.start();
      try {
        assert.deepEqual(await section.commands(scripts), []);
      } finally {
        await section.close();
      }
    });
  });

  it('every block is taken by one of the tests above', () => {
    assert.deepEqual(
      blocks.filter((block) => !taken.has(block)).map(describeBlock),
      [],
      'a block none of them takes: give it a test, or the info string of one that verifies it',
    );
  });
});
