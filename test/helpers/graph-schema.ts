import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// The Graph JSON Schemas of the shared subset (test/schemas/, kept in step by `npm run sync:schemas`).
// Every 2xx body a test reads is checked against its Graph type.
const subset = JSON.parse(fs.readFileSync(new URL('../schemas/graph-schemas-subset.json', import.meta.url), 'utf8')) as {
  definitions: Record<string, unknown>;
};

/** OpenAPI 3.0 `nullable` becomes JSON Schema's `anyOf: [schema, null]`, which Ajv checks natively. */
function withNullUnions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullUnions);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withNullUnions(value)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('base64url', /^[A-Za-z0-9_-]*={0,2}$/);
ajv.addSchema({ $id: 'graph', definitions: withNullUnions(subset.definitions) });
const validators = new Map<string, ValidateFunction>();

/** Asserts that `value` is a valid instance of the Graph type, e.g. `microsoft.graph.team`. */
export function assertGraphType(typeName: string, value: unknown): void {
  let validate = validators.get(typeName);
  if (validate === undefined) {
    assert.ok(typeName in subset.definitions, `no schema for ${typeName}`);
    validate = ajv.compile({ $ref: `graph#/definitions/${typeName}` });
    validators.set(typeName, validate);
  }
  assert.ok(validate(value), `${typeName} invalid: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`);
}
