import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { packageFile } from '../package-files.ts';

// `teamgraph seed-schema` prints the shipped seed.schema.json as it is: what editors read and what it
// prints are one file.
const schemaFile = packageFile('seed.schema.json');

export async function run(args: readonly string[]): Promise<void> {
  // It takes no options: anything more is refused rather than ignored.
  parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: false });
  process.stdout.write(await fs.readFile(schemaFile, 'utf8'));
}
