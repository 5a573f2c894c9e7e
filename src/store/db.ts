import { type Dialect, Kysely, sql } from 'kysely';
import type { DatabaseTarget } from '../config.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
type StoreKind = DatabaseTarget['kind'];
export type StoreErrorKind = 'unique' | 'foreignKey' | 'retry';

export interface Store {
  readonly db: Db;
  readonly kind: StoreKind;
  /** The SQLite file (or :memory:); null on PostgreSQL. */
  readonly sqliteFile: string | null;
  /** Classifies a driver error: a unique or foreign-key violation, a transient conflict worth a retry, or neither. */
  readonly errorKind: (err: unknown) => StoreErrorKind | null;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Registers what this process remembers of the data, to be forgotten when the data is replaced wholesale (a reset). */
  onReset(forget: () => void): void;
  /** Called once the data has been replaced: every registered memory is forgotten. */
  resetDone(): void;
}

class StoreUnavailable extends Error {}

/** Opens the database and checks that it answers; fails with one readable line when it does not. */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  const { dialect, errorKind } = await dialectFor(target);
  const db: Db = new Kysely<Database>({ dialect });
  const forgetters: (() => void)[] = [];
  const store: Store = {
    db,
    kind: target.kind,
    sqliteFile: target.kind === 'sqlite' ? target.file : null,
    errorKind,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
    onReset: (forget) => forgetters.push(forget),
    resetDone: () => {
      for (const forget of forgetters) forget();
    },
  };
  try {
    await store.ping();
  } catch (err) {
    await db.destroy().catch(() => undefined);
    const where = target.kind === 'sqlite' ? target.file : redactPassword(target.url);
    throw new StoreUnavailable(`cannot reach database ${where}: ${(err as Error).message}`);
  }
  return store;
}

/** The target's dialect; only its driver is loaded, so a server on SQLite never reads pg, and one on PostgreSQL never opens better-sqlite3. */
async function dialectFor(target: DatabaseTarget): Promise<{ dialect: Dialect; errorKind: Store['errorKind'] }> {
  if (target.kind === 'postgres') {
    const { postgresDialect, postgresErrorKind } = await import('./dialects/postgres.ts');
    return { dialect: postgresDialect(target.url), errorKind: postgresErrorKind };
  }
  const { sqliteDialect, sqliteErrorKind } = await import('./dialects/sqlite.ts');
  try {
    return { dialect: sqliteDialect(target.file, target.synchronous), errorKind: sqliteErrorKind };
  } catch (err) {
    throw new StoreUnavailable(`cannot open SQLite database ${target.file}: ${(err as Error).message}`);
  }
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
