import { type KeyObject, generateKeyPair } from 'node:crypto';

type KeyPair = { readonly publicKey: KeyObject; readonly privateKey: KeyObject };

let started: Promise<KeyPair> | null = null;

/**
 * Starts making an RSA key pair in Node's thread pool, for the next `takeKeyPair`. Making one takes a
 * few hundred milliseconds; a start calls this first, so that the pair is made while the server's
 * modules load and its database is prepared, on another core. A database that already holds a key
 * leaves the pair unused.
 */
export function prepareKeyPair(): void {
  started ??= newPair();
}

/** The prepared key pair if there is one, else a new one; a prepared pair is taken once. */
export function takeKeyPair(): Promise<KeyPair> {
  const pair = started ?? newPair();
  started = null;
  return pair;
}

function newPair(): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) => (err === null ? resolve({ publicKey, privateKey }) : reject(err)));
  });
}
