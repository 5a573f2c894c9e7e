import { createHash } from 'node:crypto';
import { type FieldSpecs, type FilterNode, type ListQuery, type SortKey, pagingKeys } from '../../query/list-query.ts';
import { badRequest } from '../errors.ts';
import type { PageTokens } from './page-tokens.ts';
import { type ParseContext, parseFilter, parseOrderby } from './parser.ts';

// OData system query options (concepts/query-parameters.md). Beta accepts them without the `$`, and
// so do some v1.0 APIs; teamgraph accepts both forms everywhere (docs/decisions.md).
const knownOptions = ['select', 'top', 'skiptoken', 'skip', 'filter', 'orderby', 'expand', 'count', 'search', 'format'] as const;
type KnownOption = (typeof knownOptions)[number];

/** What a collection or entity route supports, declared once on the route; anything else is Graph's 400. */
export interface QuerySupport {
  /** The Graph type named in "Could not find a property …" errors, e.g. microsoft.graph.user. */
  readonly entityType: string;
  /** Properties `$select` may name. */
  readonly properties: readonly string[];
  /** A paged collection: its default page size and Graph's documented maximum for `$top`. */
  readonly top?: { readonly default: number; readonly max: number };
  /** The properties `$filter` may use, with their types; the store maps the same names to columns. */
  readonly fields?: FieldSpecs;
  /** The order of a paged collection without `$orderby` (Graph's documented default); by id if absent. */
  readonly defaultOrder?: readonly SortKey[];
  /** The properties `$orderby` may name (non-null string, enum, dateTime or guid fields) and their directions. */
  readonly orderby?: Readonly<Record<string, 'asc' | 'desc' | 'both'>>;
  /** Relationships `$expand` may name, one per request (concepts/query-parameters.md). */
  readonly expand?: readonly string[];
  /** `$skip` is accepted only where Graph documents it (the Outlook-backed group conversations). */
  readonly skip?: boolean;
  /** Directory collections count only with `ConsistencyLevel: eventual` (concepts/aad-advanced-queries.md). */
  readonly countNeedsEventual?: boolean;
}

export interface QueryOptions {
  readonly select: readonly string[] | null;
  /** The one relationship to expand, or null. */
  readonly expand: string | null;
  /** Filter, order and position of a collection route; an unfiltered single page elsewhere. */
  readonly list: ListQuery;
}

const byId: readonly SortKey[] = [{ property: 'id', descending: false }];
const wholeList: ListQuery = { filter: null, orderby: byId, after: null, skip: 0, top: 0, count: false };
const noQueryOptions: QueryOptions = { select: null, expand: null, list: wholeList };

/** Graph's cap on $skip where it takes one (Outlook's). */
const maxSkip = 100_000;

export function parseQueryOptions(
  query: Readonly<Record<string, string | string[] | undefined>>,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  support: QuerySupport | undefined,
  operation: string,
  tokens: PageTokens,
): QueryOptions {
  const options = readOptions(query);
  for (const name of options.keys()) {
    if (!supports(support, name)) throw badRequest(`Query option '$${name}' is not supported for this request.`);
  }
  if (support === undefined) return noQueryOptions;

  const context: ParseContext = { entityType: support.entityType, properties: support.properties, fields: support.fields ?? {} };
  const filterText = options.get('filter');
  const filter = filterText === undefined ? null : parseFilter(filterText, context);
  const orderby = parseSortOrder(options.get('orderby'), support, context);
  const count = parseCount(options.get('count'), support, headers);
  const skiptoken = options.get('skiptoken');
  return {
    select: parseSelect(options.get('select'), support),
    expand: parseExpand(options.get('expand'), support),
    list: {
      filter,
      orderby,
      after: skiptoken === undefined ? null : tokens.verify(skiptoken, operation, queryDigest(filter, orderby), pagingKeys(orderby).length),
      skip: parseSkip(options.get('skip')),
      top: parseTop(options.get('top'), support),
      count,
    },
  };
}

/** Binds a $skiptoken to the query it pages: the same filter and order, written any way. */
export function queryDigest(filter: FilterNode | null, orderby: readonly SortKey[]): string {
  return createHash('sha256')
    .update(JSON.stringify([filter, orderby]))
    .digest('base64url')
    .slice(0, 16);
}

function readOptions(query: Readonly<Record<string, string | string[] | undefined>>): Map<KnownOption, string> {
  const options = new Map<KnownOption, string>();
  for (const [rawName, rawValue] of Object.entries(query)) {
    const isDollar = rawName.startsWith('$');
    const name = (isDollar ? rawName.slice(1) : rawName).toLowerCase();
    if (!(knownOptions as readonly string[]).includes(name)) {
      if (isDollar) throw badRequest(`Query option '${rawName}' is not supported.`);
      continue; // Plain parameters that are not OData options are not ours to judge.
    }
    if (Array.isArray(rawValue) || options.has(name as KnownOption)) {
      throw badRequest(`Query option '$${name}' was specified more than once, but it must be specified at most once.`);
    }
    options.set(name as KnownOption, rawValue ?? '');
  }
  return options;
}

function supports(support: QuerySupport | undefined, name: KnownOption): boolean {
  if (support === undefined) return false;
  const paged = support.top !== undefined;
  switch (name) {
    case 'select':
      return true;
    case 'top':
    case 'skiptoken':
    case 'count':
      return paged;
    case 'filter':
      return support.fields !== undefined;
    case 'orderby':
      return support.orderby !== undefined;
    case 'expand':
      return support.expand !== undefined;
    case 'skip':
      return paged && support.skip === true;
    case 'search':
    case 'format':
      return false;
  }
}

function parseSelect(value: string | undefined, support: QuerySupport): readonly string[] | null {
  if (value === undefined) return null;
  return value.split(',').map((written) => {
    const name = written.trim();
    const known = support.properties.find((property) => property.toLowerCase() === name.toLowerCase());
    if (known === undefined) throw badRequest(`Could not find a property named '${name}' on type '${support.entityType}'.`);
    return known;
  });
}

function parseExpand(value: string | undefined, support: QuerySupport): string | null {
  if (value === undefined) return null;
  const known = support.expand?.find((name) => name.toLowerCase() === value.trim().toLowerCase());
  if (known === undefined)
    throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${value}' on type '${support.entityType}'.`);
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

function parseSkip(value: string | undefined): number {
  if (value === undefined) return 0;
  const skip = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(skip >= 0 && skip <= maxSkip)) throw badRequest(`Invalid value '${value}' for $skip: must be an integer between 0 and ${maxSkip}.`);
  return skip;
}

function parseCount(value: string | undefined, support: QuerySupport, headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  if (value === undefined) return false;
  const count = value.toLowerCase();
  if (count !== 'true' && count !== 'false') throw badRequest(`Invalid value '${value}' for $count: must be true or false.`);
  const eventual = headers.consistencylevel;
  if (count === 'true' && support.countNeedsEventual === true && (typeof eventual !== 'string' || eventual.toLowerCase() !== 'eventual')) {
    throw badRequest('$count is not currently supported without the ConsistencyLevel: eventual header.');
  }
  return count === 'true';
}

/** The requested order checked against the route's, or the route's default; never empty. */
function parseSortOrder(value: string | undefined, support: QuerySupport, context: ParseContext): readonly SortKey[] {
  const declared = support.orderby;
  if (value === undefined || declared === undefined) return support.defaultOrder ?? byId;
  const keys = parseOrderby(value, context);
  for (const key of keys) {
    const directions = declared[key.property];
    const allowed = directions === 'both' || directions === (key.descending ? 'desc' : 'asc');
    if (!allowed)
      throw badRequest(
        `The $orderby value '${value}' is not supported for this request: '${key.property} ${key.descending ? 'desc' : 'asc'}' cannot be sorted on.`,
      );
  }
  if (new Set(keys.map((key) => key.property)).size !== keys.length) throw badRequest(`Duplicate property named in $orderby '${value}'.`);
  return keys;
}

/** Keeps `@odata.*` annotations, `id`, the selected and the expanded properties (with their own @odata.context), in the entity's own order. */
export function applySelect<T extends object>(entity: T, select: readonly string[] | null, expand: string | null = null): Partial<T> {
  if (select === null) return entity;
  const kept = new Set([...select, 'id', ...(expand === null ? [] : [expand, `${expand}@odata.context`])]);
  return Object.fromEntries(Object.entries(entity).filter(([key]) => key.startsWith('@odata.') || kept.has(key))) as Partial<T>;
}
