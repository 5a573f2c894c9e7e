import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';

// The official SDKs, unmodified, sign in at teamgraph's authority through @azure/identity and call
// Graph over HTTPS. Node reads NODE_EXTRA_CA_CERTS only at start, so each client runs in a child
// process that trusts the server's self-signed certificate.
function runClient(script: string, origin: string, certPath: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('test/sdk/clients', script), origin], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${script} exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null'));
    });
  });
}

const dialect = testDialects()[0] as 'sqlite';

describe('official SDKs sign in through @azure/identity against the HTTPS server (strict auth)', () => {
  let server: TestServer;
  let dataDir: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-sdk-'));
    server = await startTestServer(dialect, ['--https', '--data', dataDir, '--auth', 'strict']);
  });
  after(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const certPath = () => path.join(dataDir, 'tls', 'localhost.crt');

  it('graph-client v3 with ClientSecretCredential and customHosts reads a user and creates a chat', async () => {
    const result = (await runClient('graph-client-v3.ts', server.url, certPath())) as { displayName: string; chat: { id: string; topic: string } };
    assert.equal(result.displayName, 'Adele Vance');
    assert.equal(result.chat.topic, 'Launch plan');
    const stored = await server.store.db.selectFrom('chats').select('topic').where('id', '=', result.chat.id).executeTakeFirst();
    assert.equal(stored?.topic, 'Launch plan');
  });

  it('the Kiota v1.0 SDK with UsernamePasswordCredential reads /me and sends a chat message as that user', async () => {
    const result = (await runClient('kiota-v1.ts', server.url, certPath())) as { userPrincipalName: string; sent: { id: string; from: string } };
    assert.equal(result.userPrincipalName, 'MeganB@contoso.com');
    assert.equal(result.sent.from, '8b081ef6-4792-4def-b2c9-c363a1bf41d5');
    assert.match(result.sent.id, /^\d{13}$/);
  });

  it('the Kiota beta SDK with ClientSecretCredential reads a user and creates a section with If-Match', async () => {
    assert.deepEqual(await runClient('kiota-beta.ts', server.url, certPath()), { displayName: 'Adele Vance', section: 'From the beta SDK' });
  });

  it('README shows exactly the snippets these tests run', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const script of fs.readdirSync('test/sdk/clients')) {
      const source = fs.readFileSync(path.join('test/sdk/clients', script), 'utf8');
      const snippet = /\/\/ snippet:start [\w-]+\n([\s\S]*?)\/\/ snippet:end/.exec(source)?.[1];
      assert.ok(snippet !== undefined, `${script} has no snippet markers`);
      assert.ok(readme.includes(snippet), `README lacks the snippet of ${script}`);
    }
  });
});
