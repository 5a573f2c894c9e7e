import { type Compilable, type CompiledQuery, type DialectAdapter, type QueryResult, createQueryId } from 'kysely';
import type { Handle } from './transaction.ts';

type Slot = { readonly name: string } | { readonly value: unknown };

interface Plan<O> {
  readonly compiled: CompiledQuery<O>;
  readonly slots: readonly Slot[];
}

const placeholderPrefix = '\u0000prepared:';

/**
 * A query of fixed shape, built and compiled once per dialect. Kysely builds a query as a tree of
 * frozen nodes on every call, and for the joined reads that guard each request (a channel with its
 * team and the caller's roles: five tables, twenty columns) building and compiling cost as much as
 * SQLite takes to run them. Here `build` runs once, with a placeholder for each named parameter;
 * every later call only puts the values where the placeholders went.
 *
 * `build` must not branch on its parameters (it sees placeholders, not values), and a parameter must
 * reach the query whole, as a value, not inside a larger string or a list.
 */
export function prepare<P extends object, O>(names: readonly (keyof P & string)[], build: (h: Handle, params: P) => Compilable<O>): (h: Handle, params: P) => Promise<QueryResult<O>> {
  const plans = new WeakMap<DialectAdapter, Plan<O>>(); // SQLite and PostgreSQL compile differently
  return async (h, params) => {
    const adapter = h.getExecutor().adapter;
    let plan = plans.get(adapter);
    if (plan === undefined) {
      plan = planOf(h, names, build);
      plans.set(adapter, plan);
    }
    const parameters = plan.slots.map((slot) => ('name' in slot ? params[slot.name as keyof P] : slot.value));
    return h.executeQuery<O>({ ...plan.compiled, parameters, queryId: createQueryId() });
  };
}

function planOf<P extends object, O>(h: Handle, names: readonly (keyof P & string)[], build: (h: Handle, params: P) => Compilable<O>): Plan<O> {
  const placeholders = Object.fromEntries(names.map((name) => [name, `${placeholderPrefix}${name}`])) as P;
  const compiled = build(h, placeholders).compile();
  const slots = compiled.parameters.map((value): Slot => {
    if (typeof value !== 'string' || !value.includes(placeholderPrefix)) return { value };
    const name = value.slice(placeholderPrefix.length);
    if (!value.startsWith(placeholderPrefix) || !names.includes(name as keyof P & string)) throw new Error(`prepared query: parameter ${JSON.stringify(value)} is not passed whole`);
    return { name };
  });
  return { compiled, slots };
}
