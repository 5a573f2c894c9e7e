import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const keyLength = 32;

/** Passwords and client secrets are kept only as salted scrypt hashes: `scrypt$<salt>$<hash>`. */
export async function hashSecret(secret: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const hash = await scrypt(secret, salt, keyLength);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64url'), keyLength);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
