#!/usr/bin/env node
/* global console, process */
// The server runs as JavaScript compiled into dist/ by `npm run build`, which `npm ci` runs (the
// `prepare` script), so that it starts without compiling anything (docs/decisions.md 141).
try {
  await import('../dist/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/main.js')) throw err;
  console.error('teamgraph: dist/ is missing; run `npm run build` (npm ci runs it) or `npm run dev` to run from the sources');
  process.exit(1);
}
