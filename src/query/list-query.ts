// What a collection request asks for once its query options are parsed and checked: the shared
// language of the wire (which parses and type-checks $filter and $orderby) and the stores (which
// compile it to SQL). It imports nothing, so neither layer reaches into the other (docs/decisions.md 70).

/** How a property compares in $filter and sorts in $orderby. */
type ScalarType = 'string' | 'enum' | 'boolean' | 'dateTime' | 'guid';

export interface ScalarField {
  readonly type: ScalarType;
  /** An enum's members as Graph spells them; literals match them case-insensitively. */
  readonly values?: readonly string[];
}

/** A navigation collection `$filter` reaches with `any`, e.g. `members/any(m: m/displayName eq 'x')`. */
export interface CollectionField {
  readonly type: 'collection';
  readonly fields: Readonly<Record<string, ScalarField>>;
}

type FieldSpec = ScalarField | CollectionField;
/** A collection's filterable and sortable properties by Graph name; every one has an `id`. */
export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/** A literal already converted to its property's type: dates are ISO 8601 UTC, enums Graph's spelling. */
export type Literal = string | boolean | null;

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A checked $filter: every property names a field of its scope, every literal has the field's type. */
export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | { readonly kind: 'compare'; readonly property: string; readonly op: CompareOp; readonly value: Literal }
  | { readonly kind: 'in'; readonly property: string; readonly values: readonly Literal[] }
  | { readonly kind: 'startswith'; readonly property: string; readonly prefix: string }
  /** `predicate` is checked against the collection's element fields; null is `any()`: not empty. */
  | { readonly kind: 'any'; readonly property: string; readonly predicate: FilterNode | null };

export interface SortKey {
  readonly property: string;
  readonly descending: boolean;
}

/** The keys a page is sorted and positioned on: the requested ones, then `id` to break ties unless they name it. */
export function pagingKeys(orderby: readonly SortKey[]): readonly SortKey[] {
  if (orderby.some((key) => key.property === 'id')) return orderby;
  return [...orderby, { property: 'id', descending: orderby[orderby.length - 1]?.descending ?? false }];
}

export interface ListQuery {
  readonly filter: FilterNode | null;
  /** The sort keys, never empty; paging adds `id` as a tie-breaker (pagingKeys). */
  readonly orderby: readonly SortKey[];
  /** The last row of the previous page: one value per paging key. */
  readonly after: readonly Literal[] | null;
  readonly skip: number;
  readonly top: number;
  /** Whether to count the filtered collection (`$count=true`, first page only). */
  readonly count: boolean;
}

/** A page of rows and the position the next page starts after (null on the last page). */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly after: readonly Literal[] | null;
  readonly count?: number;
}
