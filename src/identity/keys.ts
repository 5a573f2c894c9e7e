import { randomUUID } from 'node:crypto';
import { type CryptoKey, type JWK, importJWK } from 'jose';
import type { Store } from '../store/db.ts';
import { withTransaction } from '../store/transaction.ts';
import * as identityStore from './identity.store.ts';
import { takeKeyPair } from './key-pairs.ts';

export const tokenLifetimeSeconds = 3599;
// A retired key keeps verifying until every token it signed has expired (refresh tokens live a day).
const retiredKeyKeepMs = 25 * 3600 * 1000;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/**
 * The authority's RS256 keys, shared by every instance through the database. The newest unretired
 * key signs; every key not yet pruned verifies, so a rotation never invalidates live tokens.
 */
export class KeyRing {
  private readonly verifyKeys = new Map<string, CryptoKey>();
  // Settles once the first key exists: every read of the keys waits for it, so that a server can answer
  // (health, dev-mode requests) while RSA is still at work, and a token is signed only once it is done.
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /**
   * Creates the first key once, whichever instance gets there first. The key pair is made outside the
   * transaction, as RSA takes a few hundred milliseconds, and only while no instance has made one.
   */
  ensureKey(): Promise<void> {
    this.ready = this.createFirstKey();
    return this.ready;
  }

  private async createFirstKey(): Promise<void> {
    if (await identityStore.hasMarker(this.store.db, keyBootstrapMarker)) return;
    const pair = await newKeyPair();
    await withTransaction(this.store, async (tx) => {
      if (await identityStore.claimMarker(tx, keyBootstrapMarker)) await insertKey(tx, pair);
    });
  }

  /** Adds a new signing key and retires the others, which stay published for verification. */
  async rotate(): Promise<string> {
    await this.ready;
    const pair = await newKeyPair();
    return withTransaction(this.store, async (tx) => {
      const kid = await insertKey(tx, pair);
      const now = new Date();
      await identityStore.retireSigningKeysExcept(tx, kid, now.toISOString());
      await identityStore.deleteSigningKeysRetiredBefore(tx, new Date(now.getTime() - retiredKeyKeepMs).toISOString());
      return kid;
    });
  }

  async signingKey(): Promise<SigningKey> {
    await this.ready;
    const rows = await identityStore.listSigningKeys(this.store.db);
    const active = rows.find((row) => row.retired_date_time === null) ?? rows[0];
    if (active === undefined) throw new Error('no signing key: the authority was not initialised');
    return { kid: active.kid, privateKey: (await importJWK(JSON.parse(active.private_jwk) as JWK, 'RS256')) as CryptoKey };
  }

  async publicJwks(): Promise<{ keys: JWK[] }> {
    await this.ready;
    const rows = await identityStore.listSigningKeys(this.store.db);
    return { keys: rows.map((row) => JSON.parse(row.public_jwk) as JWK) };
  }

  /** The public key for a token's `kid`; keys never change, so each is read from the store once. */
  async verificationKey(kid: string): Promise<CryptoKey | null> {
    const cached = this.verifyKeys.get(kid);
    if (cached !== undefined) return cached;
    await this.ready;
    const row = (await identityStore.listSigningKeys(this.store.db)).find((key) => key.kid === kid);
    if (row === undefined) return null;
    const key = (await importJWK(JSON.parse(row.public_jwk) as JWK, 'RS256')) as CryptoKey;
    this.verifyKeys.set(kid, key);
    return key;
  }
}

const keyBootstrapMarker = 'signing_key_bootstrap';

/** A new RS256 key pair, with its id and JWKs as they are stored and published. */
async function newKeyPair() {
  const { publicKey, privateKey } = await takeKeyPair();
  const kid = randomUUID().replace(/-/g, '');
  const common = { kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), ...common },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kty: 'RSA', ...common },
  };
}

async function insertKey(tx: Parameters<typeof identityStore.insertSigningKey>[0], pair: Awaited<ReturnType<typeof newKeyPair>>): Promise<string> {
  await identityStore.insertSigningKey(tx, {
    kid: pair.kid,
    private_jwk: JSON.stringify(pair.privateJwk),
    public_jwk: JSON.stringify(pair.publicJwk),
    created_date_time: new Date().toISOString(),
    retired_date_time: null,
  });
  return pair.kid;
}
