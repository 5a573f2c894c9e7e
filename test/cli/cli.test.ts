import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { request } from '../helpers/server.ts';
import { loadConfig } from '../../src/config.ts';

const bin = path.resolve('bin/teamgraph.js');

/** Runs teamgraph to its exit; one that is still running after 30 s (it started serving) is stopped. */
function run(args: string[], env: Record<string, string> = {}, cwd = process.cwd()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, cwd });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the server and resolves with its printed banner once it listens. */
function start(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<{ child: ChildProcess; banner: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, cwd });
    let banner = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (banner.includes('try ')) resolve({ child, banner });
    });
    child.on('close', (code) => reject(new Error(`exited ${code}: ${banner}`)));
  });
}

describe('teamgraph command line', () => {
  it('--help documents every flag with its environment variable and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    const bounds = ['--headers-timeout-ms', '--request-timeout-ms', '--keep-alive-timeout-ms', '--max-connections', '--shutdown-grace-ms'];
    for (const flag of [
      '--port',
      '--host',
      '--data',
      '--database',
      '--sqlite-synchronous',
      '--remembered-facts',
      '--memory',
      '--no-seed',
      '--seed',
      '--log-level',
      '--public-url',
      '--auth',
      '--control-key',
      ...bounds,
    ]) {
      assert.ok(stdout.includes(flag), `${flag} missing from --help`);
    }
    assert.match(stdout, /TEAMGRAPH_PORT/);
    assert.match(stdout, /TEAMGRAPH_CONTROL_KEY/);
    assert.match(stdout, /TEAMGRAPH_SQLITE_SYNCHRONOUS/);
    assert.match(stdout, /TEAMGRAPH_REMEMBERED_FACTS/);
  });

  it('--remembered-facts takes on or off, or the server stops with one line', async () => {
    const { code, stderr } = await run(['--memory', '--remembered-facts', 'maybe', '--port', '0']);
    assert.equal(code, 1);
    assert.match(stderr, /--remembered-facts/);
  });

  it('--control-key needs --auth strict and 16 characters without spaces, or the server stops with one line', async () => {
    for (const [args, expected] of [
      [['--memory', '--control-key', 'a-long-enough-secret'], /--control-key needs --auth strict/],
      [['--memory', '--auth', 'strict', '--control-key', 'short'], /--control-key must not have fewer than 16 characters/],
      [['--memory', '--auth', 'strict', '--control-key', 'a long enough secret'], /--control-key must not contain white space/],
    ] as const) {
      const { code, stderr } = await run([...args, '--port', '0']);
      assert.equal(code, 1);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, expected);
    }
  });

  it('with --public-url the banner names both the public URL and the address it listens on', async () => {
    const { child, banner } = await start(['--memory', '--port', '0', '--log-level', 'silent', '--public-url', 'https://graph.example.test']);
    try {
      assert.match(
        banner,
        /^teamgraph \S+ listening on http:\/\/127\.0\.0\.1:\d+ \(SQLite :memory:\)\n {2}public URL {2}https:\/\/graph\.example\.test\n {2}Graph v1\.0 {2}https:\/\/graph\.example\.test\/v1\.0\n/,
      );
    } finally {
      child.kill();
    }
  });

  it('at the default level each request writes one log line, naming its method, path and status', async () => {
    const { child, banner } = await start(['--memory', '--port', '0']);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const origin = banner.match(/listening on (\S+)/)?.[1] ?? '';
      const me = await request(origin, 'GET', '/v1.0/me');
      assert.equal(me.status, 200);
      assert.equal((await request(origin, 'GET', '/v1.0/nothing-here')).status, 400);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { reqId?: string; msg: string; status?: number; level: number });
      assert.deepEqual(
        lines.filter((line) => line.reqId !== undefined).map(({ msg, status, level }) => ({ msg, status, level })),
        [
          { msg: 'GET /v1.0/me 200', status: 200, level: 30 },
          { msg: 'GET /v1.0/nothing-here 400', status: 400, level: 30 },
        ],
      );
    } finally {
      child.kill();
    }
  });

  it('--memory --https writes nothing into the working directory: the certificate is kept in the user cache, the same across starts', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-cwd-'));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-cache-'));
    try {
      const certificates: string[] = [];
      for (let round = 0; round < 2; round++) {
        const { child, banner } = await start(['--memory', '--https', '--port', '0', '--log-level', 'silent'], { XDG_CACHE_HOME: cache }, cwd);
        child.kill();
        certificates.push(banner.match(/certificate (\S+)/)?.[1] ?? '');
        assert.equal(certificates[round], path.join(cache, 'teamgraph', 'tls', 'localhost.crt'));
        assert.deepEqual(fs.readdirSync(cwd), []);
      }
      assert.equal(fs.statSync(path.dirname(certificates[0] ?? '')).mode & 0o777, 0o700);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('dev mode on an interface other hosts can reach warns in the banner that anyone there acts as the admin', async () => {
    const exposed = await start(['--memory', '--host', '0.0.0.0', '--port', '0', '--log-level', 'silent']);
    try {
      assert.match(
        exposed.banner,
        /WARNING +--auth dev on 0\.0\.0\.0: anyone who can reach port \d+ acts as the tenant admin, and can reset\n +the data \(POST \/_teamgraph\/reset\)/,
      );
    } finally {
      exposed.child.kill();
    }
    for (const args of [
      ['--host', '127.0.0.1'],
      ['--host', '0.0.0.0', '--auth', 'strict'],
    ]) {
      const quiet = await start(['--memory', ...args, '--port', '0', '--log-level', 'silent']);
      try {
        assert.doesNotMatch(quiet.banner, /WARNING/, quiet.banner);
      } finally {
        quiet.child.kill();
      }
    }
  });

  it('a bad flag exits non-zero with one line and no stack trace', async () => {
    const { code, stdout, stderr } = await run(['--bogus']);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^teamgraph: Unknown option '--bogus'/);
  });

  it('a bad value, from a flag or the environment, names the setting in one line', async () => {
    const { code, stderr } = await run(['--memory'], { TEAMGRAPH_PORT: 'eighty', TEAMGRAPH_LOG_LEVEL: 'loud' });
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.equal(
      stderr.trim(),
      'teamgraph: invalid configuration: TEAMGRAPH_PORT (--port) must be integer; TEAMGRAPH_LOG_LEVEL (--log-level) must be one of fatal, error, warn, info, debug, trace, silent, not "loud"',
    );
  });

  it('an enumeration lists its values, and a yes/no variable takes the spellings --help names', () => {
    assert.deepEqual(loadConfig(['--auth', 'Strict'], {}), {
      kind: 'error',
      message: 'invalid configuration: --auth must be one of dev, strict, not "Strict"',
    });
    assert.deepEqual(loadConfig([], { TEAMGRAPH_MEMORY: 'maybe' }), {
      kind: 'error',
      message: 'invalid configuration: TEAMGRAPH_MEMORY (--memory) must be one of 1, true, yes, on, 0, false, no, off, not "maybe"',
    });
    for (const [word, memory] of [
      ['1', true],
      ['YES', true],
      ['On', true],
      ['true', true],
      ['0', false],
      ['no', false],
      ['OFF', false],
      ['False', false],
    ] as const) {
      const loaded = loadConfig([], { TEAMGRAPH_MEMORY: word });
      assert.equal(loaded.kind === 'run' && loaded.config.database.kind === 'sqlite' && loaded.config.database.file === ':memory:', memory, word);
    }
  });

  it('a --database URL of another scheme exits non-zero with one line naming the accepted forms, and creates nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-scheme-'));
    try {
      for (const [args, env] of [
        [['--database', 'mysql://x:secret@127.0.0.1/db', '--port', '0'], {}],
        [['--port', '0'], { TEAMGRAPH_DATABASE: 'sqlite://teamgraph.db' }],
      ] as const) {
        const { code, stdout, stderr } = await run([...args], env, dir);
        assert.equal(code, 1);
        assert.equal(stdout, '');
        assert.equal(stderr.trim().split('\n').length, 1, stderr);
        assert.match(
          stderr,
          /^teamgraph: invalid configuration: --database (mysql|sqlite):\/\/ is not a database teamgraph can use: give an SQLite file path, a postgres:\/\/ or postgresql:\/\/ URL, or --memory$/m,
        );
        assert.doesNotMatch(stderr, /secret/, 'the rest of the URL may hold a password');
      }
      assert.deepEqual(fs.readdirSync(dir), [], 'no folder named after the scheme');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a headers timeout longer than the request timeout is refused in one line', async () => {
    const { code, stderr } = await run(['--memory', '--headers-timeout-ms', '5000'], { TEAMGRAPH_REQUEST_TIMEOUT_MS: '1000' });
    assert.equal(code, 1);
    assert.equal(stderr.trim(), 'teamgraph: invalid configuration: --headers-timeout-ms must not exceed --request-timeout-ms');
  });

  it('an unreachable database exits non-zero with one line', async () => {
    const { code, stderr } = await run(['--database', 'postgres://nobody@127.0.0.1:1/none', '--port', '0']);
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^teamgraph: cannot reach database postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
  });

  it('--port 0 prints the real port and how to connect, then serves the demo tenant; flags win over env', async () => {
    const { child, banner } = await start(['--memory', '--port', '0', '--log-level', 'silent'], { TEAMGRAPH_PORT: '1' });
    try {
      const port = /http:\/\/127\.0\.0\.1:(\d+)\/v1\.0/.exec(banner)?.[1];
      assert.ok(port !== undefined && port !== '0' && port !== '1', banner);
      for (const expected of [
        '/beta',
        'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f',
        '6e2b3c8a-1f4d-4b7e-9a21-7c5d0e3f9b14',
        'teamgraph-demo-secret',
        'AdeleV@contoso.com',
        'curl ',
      ]) {
        assert.ok(banner.includes(expected), `${expected} missing from the banner:\n${banner}`);
      }
      const me = await request(`http://127.0.0.1:${port}`, 'GET', '/v1.0/me');
      assert.equal(me.body.userPrincipalName, 'AdeleV@contoso.com');
    } finally {
      child.kill();
    }
  });

  it('keeps its SQLite file in --data: a restart finds what was written, and the seed is not applied over it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-cli-'));
    // Neither is in the seed: a restart that lost the file (and seeded an empty one) shows neither.
    const chat = `/v1.0/chats/${encodeURIComponent('19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2')}`;
    const team = '/v1.0/teams/57fb72d0-d811-46f4-8947-305e6072eaa5';
    try {
      let messageId = '';
      for (let round = 0; round < 2; round++) {
        const { child, banner } = await start(['--data', dataDir, '--port', '0', '--log-level', 'silent']);
        try {
          const url = `http://127.0.0.1:${/:(\d+)\/v1\.0/.exec(banner)?.[1]}`;
          if (round === 0) {
            const posted = await request(url, 'POST', `${chat}/messages`, { body: { body: { content: 'Written before the restart' } } });
            assert.equal(posted.status, 201, posted.text);
            messageId = posted.body.id;
            assert.equal((await request(url, 'PATCH', team, { body: { description: 'Changed before the restart' } })).status, 204);
          } else {
            const message = await request(url, 'GET', `${chat}/messages/${messageId}`);
            assert.equal(message.status, 200, message.text);
            assert.equal(message.body.body.content, 'Written before the restart');
            assert.equal((await request(url, 'GET', team)).body.description, 'Changed before the restart');
          }
          assert.equal((await request(url, 'GET', '/v1.0/users')).body.value.length, 13);
        } finally {
          child.kill();
          await new Promise((resolve) => child.once('close', resolve));
        }
      }
      assert.ok(fs.existsSync(path.join(dataDir, 'teamgraph.db')));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('--seed loads your own tenant file, and a broken one stops the server with one line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-seed-'));
    try {
      const tenantFile = path.join(dir, 'tenant.json');
      fs.writeFileSync(
        tenantFile,
        JSON.stringify({
          tenants: [{ id: '11111111-1111-1111-1111-111111111111', displayName: 'Tailspin', domain: 'tailspin.example' }],
          users: [
            {
              id: '22222222-2222-2222-2222-222222222222',
              tenantId: '11111111-1111-1111-1111-111111111111',
              userPrincipalName: 'ana@tailspin.example',
              displayName: 'Ana',
              isAdmin: true,
            },
          ],
        }),
      );
      const { child, banner } = await start(['--memory', '--seed', tenantFile, '--port', '0', '--log-level', 'silent']);
      try {
        const port = /:(\d+)\/v1\.0/.exec(banner)?.[1];
        const me = await request(`http://127.0.0.1:${port}`, 'GET', '/v1.0/me');
        assert.equal(me.body.userPrincipalName, 'ana@tailspin.example');
      } finally {
        child.kill();
      }
      const brokenFile = path.join(dir, 'broken.json');
      fs.writeFileSync(brokenFile, JSON.stringify({ tenants: [], users: 'nobody' }));
      const broken = await run(['--memory', '--seed', brokenFile, '--port', '0']);
      assert.equal(broken.code, 1);
      assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
      assert.match(broken.stderr, /^teamgraph: invalid seed file .*broken\.json: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a database seeded from another seed is refused in one line naming the ways out; --reseed replaces it, a reformatted seed is the same', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-reseed-'));
    const tenant = { tenants: [{ id: '11111111-1111-1111-1111-111111111111', displayName: 'Tailspin', domain: 'tailspin.example' }] };
    const ana = { id: '22222222-2222-2222-2222-222222222222', tenantId: '11111111-1111-1111-1111-111111111111', userPrincipalName: 'ana@tailspin.example' };
    const seedFile = path.join(dir, 'tenant.json');
    fs.writeFileSync(seedFile, JSON.stringify({ ...tenant, users: [{ ...ana, displayName: 'Ana', isAdmin: true }] }));
    const data = ['--data', path.join(dir, 'data'), '--port', '0', '--log-level', 'silent'];
    const meOf = async (args: string[]) => {
      const { child, banner } = await start([...data, ...args]);
      try {
        return (await request(`http://127.0.0.1:${/:(\d+)\/v1\.0/.exec(banner)?.[1]}`, 'GET', '/v1.0/me')).body.userPrincipalName;
      } finally {
        child.kill();
        await new Promise((resolve) => child.once('close', resolve));
      }
    };
    try {
      assert.equal(await meOf([]), 'AdeleV@contoso.com');
      const refused = await run([...data, '--seed', seedFile]);
      assert.equal(refused.code, 1);
      assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
      assert.match(
        refused.stderr,
        /^teamgraph: the database holds another seed \(loaded .+\) than the one given; start with --memory or a new --data directory, or add --reseed/,
      );
      assert.equal(await meOf(['--seed', seedFile, '--reseed']), 'ana@tailspin.example');
      // The same seed, its keys in another order and indented: the same seed, and the data is kept.
      fs.writeFileSync(seedFile, JSON.stringify({ users: [{ isAdmin: true, displayName: 'Ana', ...ana }], ...tenant }, null, 2));
      assert.equal(await meOf(['--seed', seedFile]), 'ana@tailspin.example');
      assert.equal((await run([...data, '--reseed', '--no-seed'])).code, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--no-seed starts empty: without a default user, a token-less call is a 401', async () => {
    const { child, banner } = await start(['--memory', '--no-seed', '--port', '0', '--log-level', 'silent']);
    try {
      const port = /:(\d+)\/v1\.0/.exec(banner)?.[1];
      const me = await request(`http://127.0.0.1:${port}`, 'GET', '/v1.0/me');
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'InvalidAuthenticationToken');
    } finally {
      child.kill();
    }
  });
});
