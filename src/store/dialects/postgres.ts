import { PostgresDialect } from 'kysely';
import pg from 'pg';

const INT8_OID = 20;

export function postgresDialect(url: string): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    // bigint columns (the sections version) stay far below 2^53: read them as numbers, as SQLite does.
    types: { getTypeParser: (oid, format) => ((oid as number) === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as never },
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html */
export function postgresErrorKind(err: unknown): 'unique' | 'retry' | null {
  const code = (err as { code?: unknown }).code;
  if (code === '23505') return 'unique';
  if (code === '40001' || code === '40P01') return 'retry';
  return null;
}
