import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { type TestServer, startTestServer } from '../helpers/server.ts';

/** GET over TLS trusting only `ca`: proves which certificate the server presents. */
function getTrusting(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('HTTPS with the certificate a user brings', () => {
  let dir: string;
  let cert: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-tls-'));
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    cert = pems.cert;
    fs.writeFileSync(path.join(dir, 'cert.pem'), pems.cert);
    fs.writeFileSync(path.join(dir, 'key.pem'), pems.private);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const serve = async (args: string[], check: (server: TestServer) => Promise<void>) => {
    const server = await startTestServer('sqlite', args);
    try {
      await check(server);
    } finally {
      await server.close();
    }
  };

  it('--cert and --key serve the given certificate', async () => {
    await serve(['--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem')], async (server) => {
      assert.match(server.url, /^https:/);
      const response = await getTrusting(`${server.url}/v1.0/me`, cert);
      assert.equal(response.status, 200);
      assert.equal(JSON.parse(response.body).userPrincipalName, 'AdeleV@contoso.com');
    });
  });

  it('--pfx with --pfx-passphrase serves the bundled certificate', async () => {
    const pfx = path.join(dir, 'bundle.pfx');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-in',
      path.join(dir, 'cert.pem'),
      '-inkey',
      path.join(dir, 'key.pem'),
      '-out',
      pfx,
      '-passout',
      'pass:s3cret',
    ]);
    await serve(['--pfx', pfx, '--pfx-passphrase', 's3cret'], async (server) => {
      const response = await getTrusting(`${server.url}/_teamgraph/health`, cert);
      assert.equal(response.status, 200);
    });
  });

  it('--https makes one self-signed certificate in the data dir and reuses it on the next start', async () => {
    const dataDir = path.join(dir, 'data');
    let firstCert = '';
    await serve(['--https', '--data', dataDir], async (server) => {
      firstCert = fs.readFileSync(path.join(dataDir, 'tls', 'localhost.crt'), 'utf8');
      assert.equal((await getTrusting(`${server.url}/v1.0/me`, firstCert)).status, 200);
    });
    await serve(['--https', '--data', dataDir], async (server) => {
      assert.equal(fs.readFileSync(path.join(dataDir, 'tls', 'localhost.crt'), 'utf8'), firstCert);
      assert.equal((await getTrusting(`${server.url}/v1.0/me`, firstCert)).status, 200);
    });
  });
});
