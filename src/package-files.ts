import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * A file shipped with the package, by its path from the package's root. The root is the first folder
 * above this module that holds package.json: this module runs from src/ under tsx and from a chunk of
 * the bundle in dist/, so a path relative to it would differ between the two.
 */
export function packageFile(relative: string): string {
  root ??= findRoot(path.dirname(fileURLToPath(import.meta.url)));
  return path.join(root, relative);
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
