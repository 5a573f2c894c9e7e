import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import type { StoreErrorKind } from '../db.ts';

const INT8_OID = 20;

export function postgresDialect(url: string): PostgresDialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    // bigint columns (the sections version) stay far below 2^53: read them as numbers, as SQLite does.
    types: { getTypeParser: (oid, format) => ((oid as number) === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as never },
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return new PostgresDialect({ pool: preparingPool(pool) });
}

// A text run this often becomes a named statement on each connection that runs it.
const preparedAfterUses = 3;
// Bounds on the server's memory when texts vary (filters, IN lists of any length): past these, a
// text runs unnamed, as every text did before.
const preparedPerConnectionMax = 200;
const namesMax = 5000;
const usesMax = 10_000;
const preparable = /^(select|insert|update|delete|with)\b/i;

/**
 * PostgreSQL parses and plans an unnamed statement on every run, and planning teamgraph's joined reads
 * (a channel with its team, the caller's roles and name) costs several times running them. The same
 * few texts serve almost every request, so each frequent text becomes a named statement: parsed once
 * per connection, and planned once when PostgreSQL finds its generic plan as good as the custom ones.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  const uses = new LRUCache<string, number>({ max: usesMax });
  const names = new Map<string, string>();
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();

  const nameFor = (text: string): string | undefined => {
    const name = names.get(text);
    if (name !== undefined || !preparable.test(text)) return name;
    const count = (uses.get(text) ?? 0) + 1;
    if (count < preparedAfterUses || names.size >= namesMax) {
      uses.set(text, count);
      return undefined;
    }
    uses.delete(text);
    return rename(text);
  };
  let named = 0;
  const rename = (text: string): string => {
    const name = `teamgraph_${++named}`;
    names.set(text, name);
    return name;
  };

  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const prepared = new Set<string>();
    const run = (name: string | undefined, text: string, values: unknown[]) => {
      if (name === undefined || (!prepared.has(name) && prepared.size >= preparedPerConnectionMax)) return client.query(text, values);
      prepared.add(name);
      return client.query({ name, text, values });
    };
    const query = async (text: string, parameters: readonly unknown[]) => {
      const values = [...parameters];
      const name = nameFor(text);
      try {
        return await run(name, text, values);
      } catch (err) {
        // Another instance migrated a table under a prepared statement (a column it reads changed type,
        // or a `select *` gained a column): the text is prepared afresh.
        // Inside a transaction the failure has aborted it, so the second try fails too, and the
        // first error, which withTransaction retries, is what the caller sees.
        if (name === undefined || !isStalePlan(err)) throw err;
        try {
          return await run(rename(text), text, values);
        } catch {
          throw err;
        }
      }
    };
    return {
      // Kysely passes a cursor only when the dialect is given one, and teamgraph gives none.
      query: query as unknown as PostgresPoolClient['query'],
      release: () => client.release(),
    };
  };

  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (wrapped === undefined) {
        wrapped = wrap(client);
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}

/** "cached plan must not change result type": a prepared statement's table changed shape. */
function isStalePlan(err: unknown): boolean {
  return (err as { code?: unknown }).code === '0A000' && /cached plan/.test((err as Error).message);
}

/** SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html */
export function postgresErrorKind(err: unknown): StoreErrorKind | null {
  const code = (err as { code?: unknown }).code;
  if (code === '23505') return 'unique';
  if (code === '23503') return 'foreignKey';
  if (code === '40001' || code === '40P01' || isStalePlan(err)) return 'retry';
  return null;
}
