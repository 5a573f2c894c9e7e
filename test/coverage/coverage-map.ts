// The coverage map (docs/test-coverage.md, decision 151): for every operation of the route table, what
// the suite's own traffic shows it was tested for. `npm test` records that traffic (test/helpers/
// traffic.ts) and runs this file on it after the tests; it fails when an operation lacks a
// requirement that test/coverage/known-gaps.ts does not list, or when a listed gap has been filled.
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/store/db.ts';
import type { GraphRoute } from '../../src/wire/routes.ts';
import { routeTableOf } from '../helpers/route-table.ts';
import type { Exchange } from '../helpers/traffic.ts';
import { type KnownGap, knownGaps } from './known-gaps.ts';

/**
 * What each operation must be seen doing: answering 2xx; for a write, a later GET in the same test
 * file of what it wrote (the path itself, its parent, or something under it); 404 where every path
 * names an object; 400 where it takes a body; and a refusal of the object itself, not of the token's
 * scopes (the auth matrix proves those for every route): a 403, or a 404 for a path that answered
 * another caller in the same file and was not deleted before (Graph hides what a caller may not see).
 */
export type Requirement = 'success' | 'readBack' | 'notFound' | 'badRequest' | 'refusal';

const scopeRefusal = /^Missing scope permissions on the request/;

export interface OperationCoverage {
  readonly operation: string;
  readonly required: readonly Requirement[];
  readonly met: readonly Requirement[];
}

export function coverageMap(routes: readonly GraphRoute[], exchanges: readonly Exchange[]): OperationCoverage[] {
  const byFile = new Map<string, Exchange[]>();
  for (const exchange of exchanges) {
    const file = byFile.get(exchange.file) ?? [];
    file.push(exchange);
    byFile.set(exchange.file, file);
  }
  return routes.map((route) => {
    const own = exchanges.filter((exchange) => exchange.operation === route.operation);
    const required: Requirement[] = ['success'];
    if (route.method !== 'GET') required.push('readBack');
    if (route.forms.every((form) => form.includes('{'))) required.push('notFound');
    if (route.body !== undefined) required.push('badRequest');
    required.push('refusal');
    const isMet: Record<Requirement, () => boolean> = {
      success: () => own.some(isSuccess),
      readBack: () => own.some((write) => isSuccess(write) && readAfter(byFile.get(write.file) ?? [], write)),
      notFound: () => own.some((exchange) => exchange.status === 404),
      badRequest: () => own.some((exchange) => exchange.status === 400),
      refusal: () => own.some((exchange) => isRefusal(exchange, byFile.get(exchange.file) ?? [])),
    };
    return { operation: route.operation, required, met: required.filter((requirement) => isMet[requirement]()) };
  });
}

const isSuccess = (exchange: Exchange) => exchange.status >= 200 && exchange.status <= 299;

function isRefusal(exchange: Exchange, fileExchanges: readonly Exchange[]): boolean {
  if (scopeRefusal.test(exchange.message ?? '')) return false;
  if (exchange.status === 403) return true;
  if (exchange.status !== 404) return false;
  const refused = resourcePath(exchange.path);
  const at = fileExchanges.indexOf(exchange);
  const answeredAnother = fileExchanges.some((other) => other.caller !== exchange.caller && isSuccess(other) && resourcePath(other.path) === refused);
  const deletedBefore = fileExchanges
    .slice(0, at)
    .some(
      (other) => other.method === 'DELETE' && isSuccess(other) && (refused === resourcePath(other.path) || refused.startsWith(`${resourcePath(other.path)}/`)),
    );
  return answeredAnother && !deletedBefore;
}

/**
 * A GET sent after the write, in the same file, of the written path, its parent or a path under it;
 * after a POST, also its grandparent: an action on an object (`…/posts/{id}/reply`) adds to or
 * changes the collection the object is in.
 */
function readAfter(fileExchanges: readonly Exchange[], write: Exchange): boolean {
  const written = resourcePath(write.path);
  const parent = written.slice(0, written.lastIndexOf('/'));
  const grandparent = write.method === 'POST' ? parent.slice(0, parent.lastIndexOf('/')) : null;
  return fileExchanges.slice(fileExchanges.indexOf(write) + 1).some((read) => {
    if (read.method !== 'GET' || !(isSuccess(read) || read.status === 404)) return false;
    const readPath = resourcePath(read.path);
    return readPath === written || readPath === parent || readPath === grandparent || readPath.startsWith(`${written}/`);
  });
}

/**
 * A path without its version and without the `/me` or `/users/{id}` that names the acting user; a
 * joined team is named as the group it is.
 */
function resourcePath(requestPath: string): string {
  return requestPath
    .replace(/^\/(v1\.0|beta)/, '')
    .replace(/^\/(me|users\/[^/]+)(?=\/(chats|joinedteams|teamwork)\b)/, '')
    .replace(/^\/joinedteams\//, '/groups/');
}

/** The requirements each operation lacks, beside those the known gaps list. */
export function compareWithKnownGaps(map: readonly OperationCoverage[], gaps: readonly KnownGap[]): { unlisted: string[]; filled: string[] } {
  const missing = new Set(map.flatMap(({ operation, required, met }) => required.filter((r) => !met.includes(r)).map((r) => `${operation} ${r}`)));
  const listed = new Set(gaps.map(({ operation, lacks }) => `${operation} ${lacks}`));
  return { unlisted: [...missing].filter((gap) => !listed.has(gap)), filled: [...listed].filter((gap) => !missing.has(gap)) };
}

function readTraffic(folder: string): Exchange[] {
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) =>
      fs
        .readFileSync(path.join(folder, name), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Exchange),
    );
}

async function main(folder: string): Promise<number> {
  const store = await openStore({ kind: 'sqlite', file: ':memory:', synchronous: 'normal' });
  const routes = routeTableOf(store);
  await store.close();
  const map = coverageMap(routes, readTraffic(folder));
  const required = map.reduce((sum, { required }) => sum + required.length, 0);
  const met = map.reduce((sum, { met }) => sum + met.length, 0);
  const complete = map.filter(({ required, met }) => required.length === met.length).length;
  console.log(`coverage map: ${map.length} operations, ${complete} with every requirement met; ${met} of ${required} requirements met`);
  for (const requirement of ['success', 'readBack', 'notFound', 'badRequest', 'refusal'] as const) {
    const of = map.filter(({ required }) => required.includes(requirement));
    console.log(`  ${requirement}: ${of.filter(({ met }) => met.includes(requirement)).length} of ${of.length}`);
  }
  const { unlisted, filled } = compareWithKnownGaps(map, knownGaps);
  for (const gap of unlisted) console.error(`coverage map: ${gap} is not tested (test it, or list it in test/coverage/known-gaps.ts with why)`);
  for (const gap of filled) console.error(`coverage map: ${gap} is tested now: remove it from test/coverage/known-gaps.ts`);
  return unlisted.length + filled.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = process.argv[2];
  if (folder === undefined) throw new Error('usage: coverage-map.ts <traffic folder>');
  process.exitCode = await main(folder);
}
