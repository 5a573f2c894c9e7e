import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';

// `teamgraph seed-schema` prints the shipped seed.schema.json as it is: what editors read and what it
// prints are one file. The path holds from src/seed and from dist/seed alike.
const schemaFile = new URL('../../seed.schema.json', import.meta.url);

export async function run(args: readonly string[]): Promise<void> {
  // It takes no options: anything more is refused rather than ignored.
  parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: false });
  process.stdout.write(await fs.readFile(schemaFile, 'utf8'));
}
