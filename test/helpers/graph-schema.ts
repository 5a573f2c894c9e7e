import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { GraphResponseType } from '../../src/wire/routes.ts';

// The Graph JSON Schemas of the shared subset (test/schemas/, kept in step by `npm run sync:schemas`).
// Every 2xx body the test client receives is checked against the Graph type its route declares.
const subset = JSON.parse(fs.readFileSync(new URL('../schemas/graph-schemas-subset.json', import.meta.url), 'utf8')) as {
  definitions: Record<string, unknown>;
};

/**
 * OpenAPI 3.0 `nullable` becomes JSON Schema's `anyOf: [schema, null]`, which Ajv checks natively. A
 * single-valued navigation property is nullable too: CSDL's Nullable defaults to true and the subset
 * does not say so, yet `$expand=inReplyTo` of a first post is `null` (decision 126).
 */
function withNullUnions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullUnions);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withNullUnions(value)]));
  const isSingleNavigation = rest['x-ms-navigationProperty'] === true && typeof rest.$ref === 'string';
  return nullable === true || isSingleNavigation ? { anyOf: [converted, { type: 'null' }] } : converted;
}

// Types the subset does not hold at all (the subscription and the notifications it sends) come from
// graph-schemas-supplement.json, transcribed from Graph's resource pages (decision 152).
const supplement = JSON.parse(fs.readFileSync(new URL('../schemas/graph-schemas-supplement.json', import.meta.url), 'utf8')) as {
  definitions: Record<string, unknown>;
};
for (const [typeName, definition] of Object.entries(supplement.definitions)) {
  assert.ok(!(typeName in subset.definitions), `${typeName} is in the subset now: drop it from the supplement`);
  subset.definitions[typeName] = definition;
}

// Where the subset (v1.0 CSDL) lacks what a beta answer carries, the beta member is added here, each
// one named in decision 126, so the check stays strict everywhere else.
const betaEnumMembers: Record<string, readonly string[]> = {
  // A chat created with apps is a beta `createChat` operation (beta teamsasyncoperation.md).
  'microsoft.graph.teamsAsyncOperationType': ['createChat'],
};
for (const [typeName, members] of Object.entries(betaEnumMembers)) {
  const definition = subset.definitions[typeName] as { enum: string[] };
  definition.enum = [...definition.enum, ...members];
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('base64url', /^[A-Za-z0-9_-]*={0,2}$/);
ajv.addSchema({ $id: 'graph', definitions: withNullUnions(subset.definitions) });
const validators = new Map<string, ValidateFunction>();

/** Asserts that `value` is a valid instance of the Graph type, e.g. `microsoft.graph.team`. */
export function assertGraphType(typeName: string, value: unknown, describe: () => string = () => JSON.stringify(value, null, 2)): void {
  let validate = validators.get(typeName);
  if (validate === undefined) {
    assert.ok(typeName in subset.definitions, `no schema for ${typeName}`);
    validate = ajv.compile({ $ref: `graph#/definitions/${typeName}` });
    validators.set(typeName, validate);
  }
  assert.ok(validate(value), `${typeName} invalid: ${ajv.errorsText(validate.errors)}\n${describe()}`);
}

/**
 * Asserts that a 2xx body is what its route declares: an entity of the type (or of the derived type
 * its `@odata.type` names), each item of `value` for `Collection(…)`, or nothing for null. A 202
 * (the operation goes on) and a 204 carry nothing, whatever the route answers otherwise.
 */
export function assertGraphResponse(responseType: GraphResponseType, status: number, body: unknown, describe: () => string): void {
  if (responseType === null || status === 202 || status === 204) {
    assert.equal(body, undefined, `the route declares no body\n${describe()}`);
    return;
  }
  const collection = /^Collection\((.+)\)$/.exec(responseType);
  const items = collection === null ? [body] : (body as { value?: unknown } | undefined)?.value;
  assert.ok(Array.isArray(items), `${responseType} without a value array\n${describe()}`);
  for (const item of items as unknown[]) {
    const typeName = collection?.[1] ?? responseType;
    assertGraphType(typeName, item, describe);
    const derived = (item as { '@odata.type'?: unknown } | null)?.['@odata.type'];
    if (typeof derived === 'string' && derived !== `#${typeName}`) assertGraphType(derived.replace(/^#/, ''), item, describe);
  }
}
