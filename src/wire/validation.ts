import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyError, FastifySchemaCompiler } from 'fastify';
import Type from 'typebox';
import { type GraphError, badRequest, unknownProperty } from './errors.ts';

// One policy for request bodies: each route declares its body as a schema, which the pipeline checks
// before the handler runs; services check only what depends on stored state. Where Graph's pages fix
// the wording of a 400, the schema carries it (decision 127).

/**
 * Graph's wording for a body that fails its schema, kept on the schema node it belongs to: a message
 * per failing keyword (`maxLength`, `additionalProperties`, …), or `*` for any keyword. The node where
 * validation failed is asked for its keyword, then it and its ancestors for `*`. `{property}` becomes
 * the property the failure names (an unknown or a missing one).
 */
type GraphErrors = Readonly<Record<string, string>>;

/** The annotation's keyword, declared to the validator so that strict mode accepts it. */
const graphErrorsKeyword = 'graphErrors';

/**
 * The app's validator compiler: one Ajv, with Fastify's settings but no coercion and no removal, and
 * each schema compiled on its first use. Compiling every route's schemas up front (each form, in both
 * versions) was the largest part of start-up (decision 141); a request pays it once, a few
 * milliseconds. test/wire/validation.test.ts compiles them all, so a broken schema still fails a test.
 */
export function lazyValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const ajv = new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false, addUsedSchema: false });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: graphErrorsKeyword, schemaType: 'object' });
  return ({ schema }) => {
    let compiled: ValidateFunction | undefined;
    const validate = (data: unknown) => {
      compiled ??= ajv.compile(schema as object);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    validate.errors = undefined as ValidateFunction['errors'];
    return validate;
  };
}

/** OData annotations such as `@odata.type` may ride along with any body, closed ones too. */
export const annotationProperties = { '^@': Type.Unknown() };

type SchemaFailure = NonNullable<FastifyError['validation']>[number];

/** Graph's 400 for a request that failed its route's schema (body, query or parameters). */
export function schemaFailure(failure: SchemaFailure | undefined, context: string | undefined, bodySchema: unknown): GraphError {
  const params = (failure?.params ?? {}) as { additionalProperty?: unknown; missingProperty?: unknown };
  const property = params.additionalProperty ?? params.missingProperty;
  const nodes = context === 'body' && failure !== undefined ? nodesAlong(bodySchema, failure.schemaPath) : [];
  const failed = nodes.at(-1);
  const wording =
    graphErrorsOf(failed)?.[failure?.keyword ?? ''] ?? nodes.map((node) => graphErrorsOf(node)?.['*']).findLast((message) => message !== undefined);
  if (wording !== undefined) return badRequest(wording.replaceAll('{property}', String(property)));
  // A body schema titled with its Graph type is closed: an unknown property gets OData's own 400.
  const title = failed?.title;
  if (failure?.keyword === 'additionalProperties' && typeof property === 'string' && typeof title === 'string') return unknownProperty(property, title);
  return badRequest(`Invalid request ${context ?? 'body'}${failure?.instancePath ?? ''}: ${failure?.message ?? 'does not match the schema'}.`);
}

type SchemaNode = { readonly title?: unknown; readonly [graphErrorsKeyword]?: unknown };

/** The schema nodes from the root to the one holding the failing keyword, found by Ajv's schema path. */
function nodesAlong(schema: unknown, schemaPath: string): SchemaNode[] {
  const steps = schemaPath
    .replace(/^#\/?/, '')
    .split('/')
    .slice(0, -1)
    .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'));
  const nodes: SchemaNode[] = [];
  let node = schema;
  for (const step of ['', ...steps]) {
    if (step !== '') node = isObject(node) ? node[step] : undefined;
    if (isObject(node)) nodes.push(node);
  }
  return nodes;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';
const graphErrorsOf = (node: SchemaNode | undefined) => (isObject(node?.[graphErrorsKeyword]) ? (node[graphErrorsKeyword] as GraphErrors) : undefined);
