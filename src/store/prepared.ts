import { type Compilable, type CompiledQuery, type DialectAdapter, type QueryResult, createQueryId } from 'kysely';
import type { Handle } from './transaction.ts';

type Slot = { readonly path: readonly string[] } | { readonly value: unknown };

interface Plan<O> {
  readonly compiled: CompiledQuery<O>;
  readonly slots: readonly Slot[];
}

const placeholderPrefix = '\u0000prepared:';

// How deep a path may reach: `found.rows.0.user_type` is four steps. The bound keeps the compiler from
// expanding recursive types without end; a deeper path is refused, never accepted unchecked.
type Steps = [never, 0, 1, 2, 3, 4, 5];

/**
 * Every dotted path to a value in `P` that `prepare` can name: a key whose value is not an object, and
 * through objects, tuples and arrays (indexed by a number) the paths below them, at most six steps deep.
 * A misspelt name, or one that stops at an object, does not compile.
 */
export type ParamPath<P, Depth extends number = 5> = [Depth] extends [never]
  ? never
  : P extends readonly unknown[]
    ? PathTo<P[number], `${number}`, Steps[Depth]>
    : { [K in keyof P & string]-?: PathTo<P[K], K, Steps[Depth]> }[keyof P & string];

/** `Key` when its value `V` is a value (each member of a union on its own), the paths below it when an object. */
type PathTo<V, Key extends string, Depth extends number> = V extends object ? `${Key}.${ParamPath<V, Depth>}` : Key;

/** The paths `names` under `prefix`: prepared statements that take a whole row name its columns so. */
export function pathsUnder<Prefix extends string, Name extends string>(prefix: Prefix, names: readonly Name[]): `${Prefix}.${Name}`[] {
  return names.map((name): `${Prefix}.${Name}` => `${prefix}.${name}`);
}

/**
 * A query of fixed shape, built and compiled once per dialect. Kysely builds a query as a tree of
 * frozen nodes on every call, and for the joined reads that guard each request (a channel with its
 * team and the caller's roles: five tables, twenty columns) building and compiling cost as much as
 * SQLite takes to run them. Here `build` runs once, with a placeholder for each named parameter;
 * every later call only puts the values where the placeholders went.
 *
 * `build` must not branch on its parameters (it sees placeholders, not values), and a parameter must
 * reach the query whole, as a value, not inside a larger string or a list.
 *
 * A name is a path into the parameters, checked by the compiler (ParamPath, decision 115): `teamId`,
 * `row.id`, or `members.0.user_id` (a number indexes an array). Statements that take a whole row, or
 * the facts a write is guarded by, then read them where they already are: copied into one flat object
 * under made-up names, the values of a channel post's fifty-two parameters cost about a third of its
 * server time (measured: 247 → 168 µs a post).
 */
export function prepare<P extends object, O>(
  names: readonly ParamPath<P>[],
  build: (h: Handle, params: P) => Compilable<O>,
): (h: Handle, params: P) => Promise<QueryResult<O>> {
  const plans = new WeakMap<DialectAdapter, Plan<O>>(); // SQLite and PostgreSQL compile differently
  return async (h, params) => {
    const adapter = h.getExecutor().adapter;
    let plan = plans.get(adapter);
    if (plan === undefined) {
      plan = planOf(h, names, build);
      plans.set(adapter, plan);
    }
    const parameters = plan.slots.map((slot) => ('path' in slot ? valueAt(params, slot.path) : slot.value));
    return h.executeQuery<O>({ ...plan.compiled, parameters, queryId: createQueryId() });
  };
}

function planOf<P extends object, O>(h: Handle, names: readonly string[], build: (h: Handle, params: P) => Compilable<O>): Plan<O> {
  const compiled = build(h, placeholdersFor(names) as P).compile();
  const slots = compiled.parameters.map((value): Slot => {
    // A value the placeholders left undefined: `build` read a path that `names` does not give, which
    // would bind NULL on every call.
    if (value === undefined) throw new Error('prepared query: a parameter is read that is not among its names');
    if (typeof value !== 'string' || !value.includes(placeholderPrefix)) return { value };
    const name = value.slice(placeholderPrefix.length);
    if (!value.startsWith(placeholderPrefix) || !names.includes(name))
      throw new Error(`prepared query: parameter ${JSON.stringify(value)} is not passed whole`);
    return { path: name.split('.') };
  });
  return { compiled, slots };
}

/** Parameters shaped as the names' paths say, each leaf the placeholder of its name. */
function placeholdersFor(names: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const name of names) {
    const path = name.split('.');
    let node = root;
    path.slice(0, -1).forEach((key, index) => {
      node[key] ??= /^\d+$/.test(path[index + 1] as string) ? [] : {};
      node = node[key] as Record<string, unknown>;
    });
    node[path[path.length - 1] as string] = `${placeholderPrefix}${name}`;
  }
  return root;
}

function valueAt(params: object, path: readonly string[]): unknown {
  let value: unknown = params;
  for (const key of path) value = (value as Record<string, unknown>)[key];
  return value;
}

/**
 * `make` called once per shape and kept: for prepared queries whose text depends on a few numbers or
 * flags (a page size, how many rows a statement writes), each shape a statement of its own.
 */
export function perShape<Shape extends readonly (number | boolean)[], Query>(make: (...shape: Shape) => Query): (...shape: Shape) => Query {
  const made = new Map<string, Query>();
  return (...shape) => {
    const key = shape.join(':');
    let query = made.get(key);
    if (query === undefined) {
      query = make(...shape);
      made.set(key, query);
    }
    return query;
  };
}
