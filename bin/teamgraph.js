#!/usr/bin/env node
// The server runs from its TypeScript sources: tsx compiles them on load, so `npm ci && npm start`
// needs no build step (docs/decisions.md, "Run from source with tsx").
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
