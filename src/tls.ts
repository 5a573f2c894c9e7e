import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';

export interface TlsOptions {
  readonly options: { key: Buffer; cert: Buffer } | { pfx: Buffer; passphrase?: string };
  /** The certificate clients should trust (the self-signed one), or null for the user's own. */
  readonly selfSignedCertPath: string | null;
}

/**
 * The TLS material `--https`, `--cert/--key` or `--pfx` asks for. The self-signed certificate for
 * localhost, 127.0.0.1 and ::1 is made once and kept (in the data directory, or the user's cache with
 * `--memory`), so that a client told to trust it (NODE_EXTRA_CA_CERTS) keeps trusting it across restarts.
 */
export async function loadTls(config: Config): Promise<TlsOptions | null> {
  const tls = config.tls;
  try {
    switch (tls.kind) {
      case 'none':
        return null;
      case 'pem':
        return { options: { cert: await fs.readFile(tls.cert), key: await fs.readFile(tls.key) }, selfSignedCertPath: null };
      case 'pfx':
        return { options: { pfx: await fs.readFile(tls.pfx), ...(tls.passphrase === null ? {} : { passphrase: tls.passphrase }) }, selfSignedCertPath: null };
      case 'self-signed':
        return await selfSigned(tls.dir);
    }
  } catch (err) {
    throw new Error(`cannot load TLS certificate: ${(err as Error).message}`);
  }
}

async function selfSigned(dir: string): Promise<TlsOptions> {
  const certPath = path.join(dir, 'localhost.crt');
  const keyPath = path.join(dir, 'localhost.key');
  const existing = await Promise.all([fs.readFile(certPath), fs.readFile(keyPath)]).catch(() => null);
  if (existing !== null) return { options: { cert: existing[0], key: existing[1] }, selfSignedCertPath: certPath };
  // The certificate library is large and needed once per data directory: it is loaded only to make one.
  const { generate } = (await import('selfsigned')).default;
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 2);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.writeFile(keyPath, pems.private, { mode: 0o600 });
  await fs.writeFile(certPath, pems.cert);
  return { options: { cert: Buffer.from(pems.cert), key: Buffer.from(pems.private) }, selfSignedCertPath: certPath };
}
