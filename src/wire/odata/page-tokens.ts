import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Literal } from '../../query/list-query.ts';
import { badRequest } from '../errors.ts';

/** What a $skiptoken carries: the position after the previous page's last row. */
export interface PagePosition {
  /** The route's operation: a token minted for one collection is refused by another. */
  readonly operation: string;
  /** A digest of the $filter and $orderby the token was minted under: reusing it with others is refused. */
  readonly query: string;
  /** The last row's sort key values, then its id. */
  readonly after: readonly Literal[];
}

const invalidSkipToken = () => badRequest('The $skiptoken value is not valid: use the @odata.nextLink exactly as returned.');

/**
 * Signs and verifies $skiptoken values (HMAC-SHA256 over the payload) so that a forged, tampered,
 * foreign or stale token is a 400, never a 500 nor someone else's rows.
 */
export class PageTokens {
  constructor(private readonly secret: Buffer) {}

  sign(position: PagePosition): string {
    const payload = Buffer.from(JSON.stringify({ o: position.operation, q: position.query, a: position.after })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The position's sort values, checked against what this request expects, or Graph's 400. */
  verify(token: string, operation: string, query: string, keyCount: number): readonly Literal[] {
    const [payload, mac, extra] = token.split('.');
    if (payload === undefined || mac === undefined || extra !== undefined || !this.macMatches(payload, mac)) throw invalidSkipToken();
    let decoded: { o?: unknown; q?: unknown; a?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof decoded;
    } catch {
      throw invalidSkipToken();
    }
    const after = decoded.a;
    const valid = decoded.o === operation && decoded.q === query && Array.isArray(after) && after.length === keyCount && after.every(isLiteral);
    if (!valid) throw invalidSkipToken();
    return after;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  private macMatches(payload: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function isLiteral(value: unknown): value is Literal {
  return value === null || typeof value === 'string' || typeof value === 'boolean';
}
