import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import {
  type CollectionField,
  type CompareOp,
  type FilterNode,
  type ListPage,
  type ListQuery,
  type Literal,
  type ScalarField,
  pagingKeys,
} from '../query/list-query.ts';

// Compiles a checked $filter and $orderby (src/query/list-query.ts) to a Kysely query: properties
// map to the columns a store declares here, literals are always bound parameters, and paging is
// keyset on the sort keys plus id, so a page starts strictly after the last row the client saw
// whatever was inserted meanwhile (docs/decisions.md 72).

/** A property's column, or an expression over the list query's tables for derived values. */
export interface ScalarColumn extends ScalarField {
  readonly column: string | Expression<unknown>;
}

/** A collection `any` reaches: its element columns and the correlated `exists` over its rows. */
interface CollectionColumn extends CollectionField {
  readonly fields: Readonly<Record<string, ScalarColumn>>;
  /** `exists (rows of the collection for the outer row [and where])`. */
  readonly exists: (where: Expression<SqlBool> | null) => Expression<SqlBool>;
}

/** A collection's fields by Graph name with the SQL each maps to; it must name `id`, the unique key. */
export type ListColumns = Readonly<Record<string, ScalarColumn | CollectionColumn>>;

const sqlOperators: Readonly<Record<CompareOp, string>> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
const never = sql<SqlBool>`(1 = 0)`;

function scalar(columns: Readonly<Record<string, ScalarColumn | CollectionColumn>>, property: string): ScalarColumn {
  const column = columns[property];
  // The wire checked every property against the route's fields; a miss is a declaration out of step.
  if (column === undefined || column.type === 'collection') throw new Error(`No column declared for '${property}'.`);
  return column;
}

function expressionOf(column: ScalarColumn): Expression<unknown> {
  return typeof column.column === 'string' ? sql.ref(column.column) : column.column;
}

/** Strings compare case-insensitively on equality, as Graph's do; booleans are stored as 0/1. */
function operands(column: ScalarColumn, value: Literal): [Expression<unknown>, unknown] {
  if (typeof value === 'boolean') return [expressionOf(column), value ? 1 : 0];
  if (column.type === 'string' && value !== null) return [sql`lower(${expressionOf(column)})`, value.toLowerCase()];
  return [expressionOf(column), value];
}

function filterExpression(node: FilterNode, columns: Readonly<Record<string, ScalarColumn | CollectionColumn>>): Expression<SqlBool> {
  switch (node.kind) {
    case 'and':
      return sql<SqlBool>`(${filterExpression(node.left, columns)} and ${filterExpression(node.right, columns)})`;
    case 'or':
      return sql<SqlBool>`(${filterExpression(node.left, columns)} or ${filterExpression(node.right, columns)})`;
    case 'not':
      return sql<SqlBool>`(not ${filterExpression(node.operand, columns)})`;
    case 'compare':
      return compare(scalar(columns, node.property), node.op, node.value);
    case 'in': {
      const column = scalar(columns, node.property);
      return sql<SqlBool>`(${sql.join(
        node.values.map((value) => compare(column, 'eq', value)),
        sql` or `,
      )})`;
    }
    case 'startswith': {
      const pattern = `${node.prefix.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
      return sql<SqlBool>`(lower(${expressionOf(scalar(columns, node.property))}) like ${pattern} escape '\\')`;
    }
    case 'any': {
      const collection = columns[node.property];
      if (collection?.type !== 'collection') throw new Error(`No collection declared for '${node.property}'.`);
      return collection.exists(node.predicate === null ? null : filterExpression(node.predicate, collection.fields));
    }
  }
}

function compare(column: ScalarColumn, op: CompareOp, value: Literal): Expression<SqlBool> {
  const [left, right] = operands(column, value);
  if (right === null) {
    if (op === 'eq') return sql<SqlBool>`(${left} is null)`;
    if (op === 'ne') return sql<SqlBool>`(${left} is not null)`;
    return never; // OData: an order comparison with null is false.
  }
  const comparison = sql<SqlBool>`(${left} ${sql.raw(sqlOperators[op])} ${right})`;
  // OData's `ne` is true for a null property; SQL's `<>` is unknown there.
  return op === 'ne' ? sql<SqlBool>`(${left} is null or ${comparison})` : comparison;
}

interface SortColumn {
  readonly expression: Expression<unknown>;
  readonly descending: boolean;
}

/** Rows strictly after `values` in the order of `keys`: (k1 > v1) or (k1 = v1 and k2 > v2) or … */
function after(keys: readonly SortColumn[], values: readonly Literal[]): Expression<SqlBool> {
  const branches = keys.map((key, index) => {
    const equalities = keys.slice(0, index).map((earlier, at) => sql<SqlBool>`${earlier.expression} = ${values[at] ?? null}`);
    const beyond = sql<SqlBool>`${key.expression} ${sql.raw(key.descending ? '<' : '>')} ${values[index] ?? null}`;
    return sql<SqlBool>`(${sql.join([...equalities, beyond], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(branches, sql` or `)})`;
}

const sortAlias = (index: number) => `list_sort_${index}`;

/**
 * One page of `query` (the collection's rows, scoped but unordered) under `list`: filtered, sorted by
 * the requested keys then id, keyset-positioned, `top + 1` rows read to know whether more exist.
 */
export async function listPage<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, columns: ListColumns, list: ListQuery): Promise<ListPage<O>> {
  const page = pageOf((await pageQuery(query, columns, list).execute()) as O[], list);
  // Graph counts the filtered collection once, on the first page (concepts/paging.md).
  const count = list.count && list.after === null ? await countOf(applyFilter(query, columns, list.filter)) : undefined;
  return count === undefined ? page : { ...page, count };
}

/**
 * The query listPage runs for a page, without its count: also what a prepared statement of a fixed
 * shape is built from (a page size, a first page or a next one), so that every page is read one way.
 */
export function pageQuery<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: ListColumns,
  list: ListQuery,
): SelectQueryBuilder<DB, TB, O> {
  const keys: SortColumn[] = pagingKeys(list.orderby).map((key) => ({
    expression: expressionOf(scalar(columns, key.property)),
    descending: key.descending,
  }));
  let page = applyFilter(query, columns, list.filter).select(keys.map((key, index) => sql`${key.expression}`.as(sortAlias(index)))) as SelectQueryBuilder<
    DB,
    TB,
    O
  >;
  if (list.after !== null) page = page.where(after(keys, list.after));
  for (const key of keys) page = page.orderBy(key.expression, key.descending ? 'desc' : 'asc');
  // The size is written into the text (a checked integer): as a parameter, PostgreSQL's generic plan
  // assumes a tenth of the rows are read, never finds itself as cheap as a custom one, and the
  // statement is planned afresh on every run.
  page = page.limit(sql.lit(list.top + 1));
  return list.after === null && list.skip > 0 ? page.offset(list.skip) : page;
}

/** The page pageQuery's rows make: at most `top` items without their sort values, and where the next page starts. */
export function pageOf<O>(rows: readonly O[], list: ListQuery): ListPage<O> {
  const keyCount = pagingKeys(list.orderby).length;
  // Each row is copied, then the copy loses its sort values: deleted in place on the row pg builds,
  // they cost a PostgreSQL channel page a fifth more server time (measured), on SQLite nothing.
  const items = rows.slice(0, list.top).map((row) => {
    const item: Record<string, unknown> = { ...(row as Record<string, unknown>) };
    for (let index = 0; index < keyCount; index++) delete item[sortAlias(index)];
    return item as O;
  });
  const last = rows[list.top - 1] as Record<string, unknown> | undefined;
  const next = rows.length > list.top && last !== undefined ? Array.from({ length: keyCount }, (_key, index) => sortValue(last[sortAlias(index)])) : null;
  return { items, after: next };
}

/** Sort keys are text columns (strings, dates, enums, ids); a driver may hand a number back. */
function sortValue(value: unknown): Literal {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;
}

async function countOf<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  const row = (await query
    .clearSelect()
    .select(sql<string | number>`count(*)`.as('count'))
    .executeTakeFirstOrThrow()) as { count: string | number };
  return Number(row.count);
}

/** A whole, unpaged collection filtered by $filter, for the lists Graph answers in one response. */
export function applyFilter<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: ListColumns,
  filter: FilterNode | null,
): SelectQueryBuilder<DB, TB, O> {
  return filter === null ? query : query.where(filterExpression(filter, columns));
}
