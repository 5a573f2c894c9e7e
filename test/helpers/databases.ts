import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/config.ts';

export type Dialect = 'sqlite' | 'postgres';

// PostgreSQL joins the suite when TEAMGRAPH_TEST_PG names a server or one answers locally; CI sets
// TEAMGRAPH_TEST_PG_REQUIRED so that a missing server fails the run instead of skipping half of it.
// TEAMGRAPH_TEST_PG=off keeps a run on SQLite alone (the mutation run, decision 133).
const adminUrl = process.env.TEAMGRAPH_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const isPostgresRequired = process.env.TEAMGRAPH_TEST_PG_REQUIRED === '1';

// A loaded machine (parallel test files, two server processes each) can take seconds to accept a
// connection; a required server is given longer than an optional one, which only decides a skip.
const probeTimeoutMs = isPostgresRequired ? 15_000 : 2000;

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: probeTimeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    if (isPostgresRequired) throw new Error(`PostgreSQL is required for this run but ${adminUrl} does not answer: ${(err as Error).message}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const dialects: Dialect[] = process.env.TEAMGRAPH_TEST_PG !== 'off' && (await postgresAnswers()) ? ['sqlite', 'postgres'] : ['sqlite'];

/** Every dialect this run covers; test files loop over it so none can forget to opt in. */
export function testDialects(): readonly Dialect[] {
  return dialects;
}

export interface TestDatabase {
  readonly target: DatabaseTarget;
  drop(): Promise<void>;
}

/** A fresh, empty database: in-memory SQLite, or a new PostgreSQL database dropped afterwards. */
export async function createTestDatabase(dialect: Dialect, sqliteFile = ':memory:'): Promise<TestDatabase> {
  if (dialect === 'sqlite') return { target: { kind: 'sqlite', file: sqliteFile, synchronous: 'normal' }, drop: () => Promise.resolve() };
  const name = `teamgraph_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
