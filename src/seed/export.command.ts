import fs from 'node:fs';
import { loadConfig } from '../config.ts';
import { openStore } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { exportSeed } from './exporter.ts';

/**
 * `teamgraph export [options]`: the database a server given the same flags and TEAMGRAPH_* variables
 * would open, written to stdout as a seed. It reads in one transaction beside any running server.
 */
export async function run(args: readonly string[]): Promise<void> {
  const loaded = loadConfig(args, process.env);
  if (loaded.kind === 'error') throw new Error(loaded.message);
  const { database } = loaded.config;
  // Opening a path that holds nothing would create an empty database there.
  if (database.kind === 'sqlite' && !fs.existsSync(database.file)) throw new Error(`there is no database at ${database.file} (see --data and --database)`);
  const store = await openStore(database);
  try {
    // As a server starting on it would: an older database is brought up to the schema the export reads.
    await migrate(store);
    const text = `${JSON.stringify(await exportSeed(store), null, 2)}\n`;
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
  } finally {
    await store.close();
  }
}
