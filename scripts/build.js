/* global console, process */
// `npm run build` (which `npm ci` runs through `prepare`): the server as one bundle in dist/, so that a
// start reads a few files instead of a thousand (docs/decisions.md 148), and the types of the package's
// entry point for TypeScript users, written by `tsc`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// Chunks are named by their content: an old build's would stay beside the new one's.
fs.rmSync('dist', { recursive: true, force: true });
try {
  execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  await build({
    entryPoints: ['src/main.ts', 'src/index.ts'],
    outdir: 'dist',
    bundle: true,
    // The CLI and the embedding entry share their modules as chunks; each database driver and the
    // certificate library are chunks of their own, loaded only by the code that uses them.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // Native addons, and pg's optional native binding, load from node_modules as they are.
    external: ['better-sqlite3', 'pg', 'pg-native'],
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as teamgraphRequire } from 'node:module';\nconst require = teamgraphRequire(import.meta.url);" },
    // Unminified, names kept: a stack trace reads as the sources do; the maps serve --enable-source-maps.
    keepNames: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
} catch {
  // tsc or esbuild has printed what failed.
  process.exit(1);
}
console.log('built dist/');
