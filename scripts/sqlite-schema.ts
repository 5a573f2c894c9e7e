// `npm run sync:sqlite-schema`: writes src/store/sqlite-schema.ts, the schema every migration adds up
// to on SQLite, which a new SQLite database is created from (docs/decisions.md 149). The test that
// keeps it equal to a replay of the migrations (test/store/sqlite-schema.test.ts) builds it here too.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import prettier from 'prettier';
import { openStore } from '../src/store/db.ts';
import { migrateToLatest, migrations } from '../src/store/migrate.ts';

export const sqliteSchemaModule = 'src/store/sqlite-schema.ts';

export interface SqliteSchema {
  readonly migrations: readonly string[];
  readonly statements: readonly string[];
}

/** What replaying every migration on an empty SQLite database leaves: SQLite's own text of each table and index, in the order they were made (SQLite makes its own tables, such as the counters of AUTOINCREMENT, itself). */
export async function sqliteSchemaFromMigrations(): Promise<SqliteSchema> {
  const store = await openStore({ kind: 'sqlite', file: ':memory:', synchronous: 'normal' });
  try {
    await migrateToLatest(store);
    const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where sql is not null and name not like 'sqlite_%' order by rowid`.execute(
      store.db,
    );
    return { migrations: Object.keys(migrations), statements: rows.map((row) => row.sql) };
  } finally {
    await store.close();
  }
}

/** The module's source, formatted as the project formats TypeScript. */
export async function sqliteSchemaSource(schema: SqliteSchema): Promise<string> {
  const source = [
    '// Written by `npm run sync:sqlite-schema` from the migrations; never edited by hand (docs/decisions.md 149).',
    '// The schema every migration below adds up to, as SQLite writes it, which a new SQLite database is created from.',
    `export const sqliteSchema = ${JSON.stringify(schema)};`,
  ].join('\n');
  const options = await prettier.resolveConfig(sqliteSchemaModule);
  return prettier.format(source, { ...options, filepath: sqliteSchemaModule });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  fs.writeFileSync(sqliteSchemaModule, await sqliteSchemaSource(await sqliteSchemaFromMigrations()));
  console.log(`wrote ${sqliteSchemaModule}`);
}
