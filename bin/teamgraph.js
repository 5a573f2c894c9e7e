#!/usr/bin/env node
/* global console, process */
// The server runs as JavaScript compiled into dist/ by `npm run build`, which `npm ci` runs (the
// `prepare` script), so that it starts without compiling anything (docs/decisions.md 141).
import module from 'node:module';

// Node 22 and later keep V8's compiled code of the bundle between starts, in the folder Node's
// documentation names (NODE_COMPILE_CACHE, else the system's temporary folder): about a tenth of a
// start (decision 150). Node 20 has neither function (nor its types, which are Node 20's).
/** @type {{ enableCompileCache?: () => unknown; flushCompileCache?: () => void }} */
const compileCache = module;
compileCache.enableCompileCache?.();
try {
  await import('../dist/main.js');
  // The import settles once the server listens (or a command is done): the cache is written now,
  // with what the start compiled, rather than at an exit that a killed server never reaches.
  compileCache.flushCompileCache?.();
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/main.js')) throw err;
  console.error('teamgraph: dist/ is missing; run `npm run build` (npm ci runs it) or `npm run dev` to run from the sources');
  process.exit(1);
}
