import { isUtf8 } from 'node:buffer';
import { type GraphError, badRequest, invalidJsonBody } from './errors.ts';

// How deep a request body may nest objects and arrays (docs/decisions.md 100). Graph's bodies nest
// a few levels (a $batch item's body starts at level 4); System.Text.Json, which ASP.NET Core reads
// JSON bodies with, stops at 64 by default too.
export const jsonDepthMax = 64;

const quote = 0x22;
const backslash = 0x5c;
const [openArray, openObject, closeArray, closeObject] = [0x5b, 0x7b, 0x5d, 0x7d];
const [letterU, digitZero] = [0x75, 0x30];

/**
 * One pass over the raw bytes, before anything is parsed: how deep the text nests (it stops as soon
 * as it passes `depthMax`, so a body a million levels deep costs a few hundred bytes of reading, not
 * a million arrays), and whether a string holds the escape `\u0000`. Bytes below 0x80 never occur
 * inside a multi-byte UTF-8 sequence, so reading bytes is exact.
 */
export function scanJson(bytes: Uint8Array, depthMax: number): { isTooDeep: boolean; holdsNul: boolean } {
  let depth = 0;
  let holdsNul = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === quote) {
      for (i++; i < bytes.length && bytes[i] !== quote; i++) {
        if (bytes[i] !== backslash) continue;
        if (bytes[i + 1] === letterU && bytes[i + 2] === digitZero && bytes[i + 3] === digitZero && bytes[i + 4] === digitZero && bytes[i + 5] === digitZero)
          holdsNul = true;
        i++; // the escaped character, which may be a quote or a backslash
      }
    } else if (byte === openArray || byte === openObject) {
      if (++depth > depthMax) return { isTooDeep: true, holdsNul };
    } else if (byte === closeArray || byte === closeObject) {
      depth--;
    }
  }
  return { isTooDeep: false, holdsNul };
}

/**
 * A JSON body read as Graph requires (UTF-8, RFC 8259), refused with a 400 before it is built when
 * it is not UTF-8 or nests too deep, and after when it is not JSON or holds U+0000.
 */
export function parseJsonBody(bytes: Buffer): { ok: true; value: unknown } | { ok: false; error: GraphError } {
  if (bytes.length === 0) return { ok: true, value: undefined };
  // Decoding would turn invalid sequences into U+FFFD, and the body would be stored altered.
  if (!isUtf8(bytes)) return { ok: false, error: badRequest('The request body is not valid UTF-8.') };
  const scan = scanJson(bytes, jsonDepthMax);
  if (scan.isTooDeep) return { ok: false, error: badRequest(`The request body nests objects and arrays deeper than ${jsonDepthMax} levels.`) };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return { ok: false, error: invalidJsonBody() };
  }
  // PostgreSQL text cannot hold U+0000; refusing it here keeps both databases alike (docs/compatibility.md).
  if (scan.holdsNul) return { ok: false, error: badRequest('The request body holds a U+0000 character, which teamgraph does not store.') };
  return { ok: true, value };
}
