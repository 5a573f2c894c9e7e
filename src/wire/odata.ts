import { createHmac, timingSafeEqual } from 'node:crypto';
import { badRequest } from './errors.ts';

// OData system query options (concepts/query-parameters.md). Beta accepts them without the `$`, and
// so do some v1.0 APIs; teamgraph accepts both forms everywhere (docs/decisions.md).
const knownOptions = ['select', 'top', 'skiptoken', 'skip', 'filter', 'orderby', 'expand', 'count', 'search', 'format'] as const;
type KnownOption = (typeof knownOptions)[number];

/** What a collection or entity route supports; anything else is Graph's 400. */
export interface QuerySupport {
  /** The Graph type named in "Could not find a property …" errors, e.g. microsoft.graph.user. */
  readonly entityType: string;
  /** Properties `$select` may name. */
  readonly properties: readonly string[];
  /** Page size for collections: the default and Graph's documented maximum. */
  readonly top?: { readonly default: number; readonly max: number };
  /** Properties `$filter` may compare with `eq` to a string literal (the one form these APIs document). */
  readonly filter?: readonly string[];
  /** Relationships `$expand` may name, one per request (concepts/query-parameters.md). */
  readonly expand?: readonly string[];
  /** The `$orderby` values the collection accepts, exactly as Graph documents them. */
  readonly orderby?: readonly string[];
}

export interface EqualityFilter {
  readonly property: string;
  readonly value: string;
}

export interface QueryOptions {
  readonly select: readonly string[] | null;
  readonly top: number;
  /** The decoded, verified position after which the next page starts. */
  readonly after: unknown;
  readonly filter: EqualityFilter | null;
  /** The one relationship to expand, or null. */
  readonly expand: string | null;
  readonly orderby: string | null;
}

export const noQueryOptions: QueryOptions = { select: null, top: 0, after: null, filter: null, expand: null, orderby: null };

/** Signs and verifies $skiptoken values so that a forged or foreign token is a 400, never a 500. */
export class PageTokens {
  constructor(private readonly secret: Buffer) {}

  sign(operation: string, after: unknown): string {
    const payload = Buffer.from(JSON.stringify({ o: operation, a: after })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(operation: string, token: string): unknown {
    const [payload, mac] = token.split('.');
    if (payload === undefined || mac === undefined || !this.macMatches(payload, mac)) throw invalidSkipToken();
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { o?: unknown; a?: unknown };
    if (decoded.o !== operation || decoded.a === undefined) throw invalidSkipToken();
    return decoded.a;
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

const invalidSkipToken = () => badRequest('The $skiptoken value is not valid: use the @odata.nextLink exactly as returned.');

export function parseQueryOptions(
  query: Readonly<Record<string, string | string[] | undefined>>,
  support: QuerySupport | undefined,
  operation: string,
  tokens: PageTokens,
): QueryOptions {
  const options = new Map<KnownOption, string>();
  for (const [rawName, rawValue] of Object.entries(query)) {
    const isDollar = rawName.startsWith('$');
    const name = (isDollar ? rawName.slice(1) : rawName).toLowerCase();
    if (!(knownOptions as readonly string[]).includes(name)) {
      if (isDollar) throw badRequest(`Query option '${rawName}' is not supported.`);
      continue; // Plain parameters that are not OData options are not ours to judge.
    }
    if (Array.isArray(rawValue)) throw badRequest(`Query option '$${name}' was specified more than once, but it must be specified at most once.`);
    options.set(name as KnownOption, rawValue ?? '');
  }

  for (const name of options.keys()) {
    const supported =
      support !== undefined &&
      (name === 'select' ||
        (support.top !== undefined && (name === 'top' || name === 'skiptoken')) ||
        (support.filter !== undefined && name === 'filter') ||
        (support.expand !== undefined && name === 'expand') ||
        (support.orderby !== undefined && name === 'orderby'));
    if (!supported) throw badRequest(`Query option '$${name}' is not supported for this request.`);
  }
  if (support === undefined) return noQueryOptions;

  return {
    select: parseSelect(options.get('select'), support),
    top: parseTop(options.get('top'), support),
    after: options.has('skiptoken') ? verifyToken(tokens, operation, options.get('skiptoken') ?? '') : null,
    filter: parseFilter(options.get('filter'), support),
    expand: parseExpand(options.get('expand'), support),
    orderby: parseOrderby(options.get('orderby'), support),
  };
}

function verifyToken(tokens: PageTokens, operation: string, token: string): unknown {
  try {
    return tokens.verify(operation, token);
  } catch {
    throw invalidSkipToken();
  }
}

function parseSelect(value: string | undefined, support: QuerySupport): readonly string[] | null {
  if (value === undefined) return null;
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    const known = support.properties.find((property) => property.toLowerCase() === name.toLowerCase());
    if (known === undefined) throw badRequest(`Could not find a property named '${name}' on type '${support.entityType}'.`);
  }
  return names.map((name) => support.properties.find((property) => property.toLowerCase() === name.toLowerCase()) as string);
}

function parseFilter(value: string | undefined, support: QuerySupport): EqualityFilter | null {
  if (value === undefined) return null;
  const match = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(value);
  const property = support.filter?.find((name) => name.toLowerCase() === match?.[1]?.toLowerCase());
  if (match === null || property === undefined) {
    throw badRequest(`Invalid filter clause: '${value}'. Supported: <property> eq '<value>' on ${(support.filter ?? []).join(', ')}.`);
  }
  return { property, value: (match[2] as string).replace(/''/g, "'") };
}

function parseExpand(value: string | undefined, support: QuerySupport): string | null {
  if (value === undefined) return null;
  const known = support.expand?.find((name) => name.toLowerCase() === value.trim().toLowerCase());
  if (known === undefined) throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${value}' on type '${support.entityType}'.`);
  return known;
}

function parseTop(value: string | undefined, support: QuerySupport): number {
  const limits = support.top;
  if (limits === undefined) return 0;
  if (value === undefined) return limits.default;
  const top = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(top >= 1 && top <= limits.max)) {
    throw badRequest(`Invalid page size specified: '${value}'. Must be between 1 and ${limits.max} inclusive.`);
  }
  return top;
}

function parseOrderby(value: string | undefined, support: QuerySupport): string | null {
  if (value === undefined) return null;
  const normalized = value.trim().replace(/\s+/g, ' ');
  const known = support.orderby?.find((accepted) => accepted.toLowerCase() === normalized.toLowerCase());
  if (known === undefined) throw badRequest(`The $orderby value '${value}' is not supported for this request.`);
  return known;
}

/** Keeps `@odata.*` annotations, `id`, the selected and the expanded properties, in the entity's own order. */
export function applySelect<T extends object>(entity: T, select: readonly string[] | null, expand: string | null = null): Partial<T> {
  if (select === null) return entity;
  const kept = new Set([...select, 'id', ...(expand === null ? [] : [expand])]);
  return Object.fromEntries(Object.entries(entity).filter(([key]) => key.startsWith('@odata.') || kept.has(key))) as Partial<T>;
}
