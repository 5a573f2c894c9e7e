import fs from 'node:fs/promises';
import type { SeedSource } from '../config.ts';
import { hashSecret } from '../identity/passwords.ts';
import { packageFile } from '../package-files.ts';

/** The password of a seeded user that names none. */
export const defaultPassword = 'Passw0rd!';

/** The file a seed source names: the demo tenant ships with the package. */
export function seedFileOf(source: Exclude<SeedSource, { kind: 'none' }>): string {
  return source.kind === 'demo' ? packageFile('src/seed/demo-tenant.json') : source.path;
}

// scrypt is slow by design (about 100 ms a hash on a 2-core VM): each distinct secret is hashed once per
// process, and its hash is reused by a reset, by the next start in the same process, and by every user
// who shares the password.
const hashes = new Map<string, Promise<string>>();

export function secretHash(secret: string): Promise<string> {
  let hash = hashes.get(secret);
  if (hash === undefined) {
    hash = hashSecret(secret);
    hashes.set(secret, hash);
  }
  return hash;
}

/**
 * The secrets a seed's users and applications sign in with: the default password, every password
 * given, every client secret. It reads a seed not yet checked too, where what is not a string is no secret.
 */
export function seedSecrets(seed: unknown): string[] {
  const entries = (list: unknown) => (Array.isArray(list) ? (list as unknown[]) : []);
  const field = (entry: unknown, name: string) => {
    const value = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? [value] : [];
  };
  const { users, applications } = seed !== null && typeof seed === 'object' ? (seed as Record<string, unknown>) : {};
  return [
    ...new Set([
      defaultPassword,
      ...entries(users).flatMap((user) => field(user, 'password')),
      ...entries(applications).flatMap((app) => field(app, 'clientSecret')),
    ]),
  ];
}

/**
 * Starts hashing the secrets of the seed file a start was given, read as plain JSON before readSeed
 * checks it: the CLI calls this before it loads the server's modules, so that the hashes are made in
 * Node's thread pool meanwhile instead of being waited for when the seed is loaded (docs/decisions.md
 * 149). A file that cannot be read is readSeed's to report.
 */
export function prepareSeedSecrets(source: SeedSource): void {
  if (source.kind === 'none') return;
  fs.readFile(seedFileOf(source), 'utf8')
    .then((text) => {
      for (const secret of seedSecrets(JSON.parse(text))) secretHash(secret).catch(() => undefined);
    })
    .catch(() => undefined);
}
