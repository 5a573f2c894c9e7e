import type { CompareOp, FieldSpecs, FilterNode, Literal, ScalarField, SortKey } from '../../query/list-query.ts';
import { badRequest } from '../errors.ts';
import { type Token, guidPattern, syntaxError, tokenize } from './lexer.ts';

// A recursive-descent parser for $filter and $orderby that checks as it goes: every property against
// the route's declared fields, every literal against its property's type. It is total: any input
// yields a checked tree or a Graph 400, never an exception of another kind, and its recursion is
// bounded by maxDepth (docs/decisions.md 71).

/** The deepest nesting of parentheses and `not` accepted. */
const maxDepth = 32;
/** The most values an `in (…)` list may hold. */
const maxInValues = 100;

/** What a $filter or $orderby is checked against: the route's type and its declared fields. */
export interface ParseContext {
  /** e.g. microsoft.graph.chatMessage, named in "Could not find a property …". */
  readonly entityType: string;
  /** Every property of the type, to tell an unknown property from one that cannot be filtered. */
  readonly properties: readonly string[];
  readonly fields: FieldSpecs;
}

const compareOps: Readonly<Record<string, CompareOp>> = { eq: 'eq', ne: 'ne', gt: 'gt', ge: 'ge', lt: 'lt', le: 'le' };
const operatorKinds: Readonly<Record<CompareOp, string>> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};
/** The EDM type of a literal token; a bare word in literal position is `true` or `false`. */
const literalTypes: Readonly<Partial<Record<Token['kind'], string>>> = {
  string: 'Edm.String',
  number: 'Edm.Int32',
  guid: 'Edm.Guid',
  dateTime: 'Edm.DateTimeOffset',
  word: 'Edm.Boolean',
};
const fieldEdmTypes: Readonly<Record<ScalarField['type'], string>> = {
  string: 'Edm.String',
  enum: 'Edm.Enum',
  boolean: 'Edm.Boolean',
  dateTime: 'Edm.DateTimeOffset',
  guid: 'Edm.Guid',
};
/** OData operators and functions Graph has but these resources do not support. */
const otherOperators = new Set(['has', 'add', 'sub', 'mul', 'div', 'divby', 'mod', 'all']);

export function parseFilter(text: string, context: ParseContext): FilterNode {
  const parser = new Parser(text, context);
  const node = parser.expression(context.fields, null, 0);
  parser.expect('end');
  return node;
}

export function parseOrderby(text: string, context: ParseContext): SortKey[] {
  const parser = new Parser(text, context);
  const keys: SortKey[] = [];
  do {
    const path = parser.path(null);
    const direction = parser.takeWord('asc', 'desc');
    keys.push({ property: parser.scalarField(context.fields, path, null, 'orderby').name, descending: direction === 'desc' });
  } while (parser.take(','));
  parser.expect('end');
  return keys;
}

interface Path {
  readonly segments: readonly string[];
  readonly position: number;
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly context: ParseContext,
  ) {
    this.tokens = tokenize(text);
  }

  private get next(): Token {
    return this.tokens[this.at] as Token;
  }

  take(kind: Token['kind']): boolean {
    if (this.next.kind !== kind) return false;
    this.at++;
    return true;
  }

  expect(kind: Token['kind']): Token {
    const token = this.next;
    if (token.kind !== kind) throw syntaxError(this.text, token.position);
    this.at++;
    return token;
  }

  /** Consumes the next token if it is one of these keywords (case-insensitive) and says which. */
  takeWord(...words: string[]): string | null {
    const token = this.next;
    const word = token.kind === 'word' ? token.text.toLowerCase() : null;
    if (word === null || !words.includes(word)) return null;
    this.at++;
    return word;
  }

  /** or-expression: and-expressions joined by `or`. `variable` is the lambda variable in scope. */
  expression(scope: FieldSpecs, variable: string | null, depth: number): FilterNode {
    if (depth > maxDepth) throw badRequest('The recursion limit has been exceeded.');
    let node = this.conjunction(scope, variable, depth);
    while (this.takeWord('or') !== null) node = { kind: 'or', left: node, right: this.conjunction(scope, variable, depth) };
    return node;
  }

  private conjunction(scope: FieldSpecs, variable: string | null, depth: number): FilterNode {
    let node = this.unary(scope, variable, depth);
    while (this.takeWord('and') !== null) node = { kind: 'and', left: node, right: this.unary(scope, variable, depth) };
    return node;
  }

  private unary(scope: FieldSpecs, variable: string | null, depth: number): FilterNode {
    if (depth > maxDepth) throw badRequest('The recursion limit has been exceeded.');
    if (this.takeWord('not') !== null) return { kind: 'not', operand: this.unary(scope, variable, depth + 1) };
    if (this.take('(')) {
      const inner = this.expression(scope, variable, depth + 1);
      this.expect(')');
      return inner;
    }
    const token = this.next;
    if (token.kind !== 'word') throw syntaxError(this.text, token.position);
    if (this.tokens[this.at + 1]?.kind === '(') return this.functionCall(scope, variable);
    return this.comparison(scope, variable, depth);
  }

  private functionCall(scope: FieldSpecs, variable: string | null): FilterNode {
    const name = this.expect('word');
    if (name.text.toLowerCase() !== 'startswith') throw badRequest(`Invalid filter clause: the function '${name.text}' is not supported.`);
    this.expect('(');
    const path = this.path(variable);
    const field = this.scalarField(scope, path, variable);
    this.expect(',');
    const prefix = this.expect('string');
    this.expect(')');
    if (field.spec.type !== 'string') throw badRequest(`Invalid filter clause: the function 'startswith' is not supported on '${field.name}'.`);
    return { kind: 'startswith', property: field.name, prefix: prefix.text };
  }

  private comparison(scope: FieldSpecs, variable: string | null, depth: number): FilterNode {
    const path = this.path(variable);
    if (this.next.kind === '/') return this.lambda(scope, variable, path, depth);
    const field = this.scalarField(scope, path, variable);
    const operator = this.next;
    const word = operator.kind === 'word' ? operator.text.toLowerCase() : '';
    if (word === 'in') {
      this.at++;
      return { kind: 'in', property: field.name, values: this.inList(field.name, field.spec) };
    }
    const op = compareOps[word];
    if (op === undefined) {
      if (otherOperators.has(word)) throw badRequest(`Invalid filter clause: the operator '${operator.text}' is not supported.`);
      throw syntaxError(this.text, operator.position);
    }
    this.at++;
    if (op !== 'eq' && op !== 'ne' && (field.spec.type === 'enum' || field.spec.type === 'boolean' || field.spec.type === 'guid')) {
      throw badRequest(`Invalid filter clause: the operator '${operator.text}' is not supported on '${field.name}'.`);
    }
    return { kind: 'compare', property: field.name, op, value: this.literal(field.name, field.spec, operatorKinds[op]) };
  }

  private inList(property: string, spec: ScalarField): Literal[] {
    this.expect('(');
    const values: Literal[] = [];
    do {
      if (values.length === maxInValues) throw badRequest(`Invalid filter clause: 'in' takes at most ${maxInValues} values.`);
      values.push(this.literal(property, spec, 'In'));
    } while (this.take(','));
    this.expect(')');
    return values;
  }

  /** `members/any(m: m/displayName eq 'x')`; the path's last segment was the collection. */
  private lambda(scope: FieldSpecs, variable: string | null, path: Path, depth: number): FilterNode {
    this.expect('/');
    const operator = this.expect('word');
    const collection = this.resolve(scope, path, variable, 'filter');
    if (operator.text.toLowerCase() !== 'any') {
      if (otherOperators.has(operator.text.toLowerCase())) throw badRequest(`Invalid filter clause: the operator '${operator.text}' is not supported.`);
      throw syntaxError(this.text, operator.position);
    }
    if (collection.spec.type !== 'collection') throw badRequest(`Invalid filter clause: the operator 'any' is not supported on '${collection.name}'.`);
    this.expect('(');
    if (this.take(')')) return { kind: 'any', property: collection.name, predicate: null };
    const name = this.expect('word');
    this.expect(':');
    const predicate = this.expression(collection.spec.fields, name.text, depth + 1);
    this.expect(')');
    return { kind: 'any', property: collection.name, predicate };
  }

  /** A member path, `a/b/c`; inside a lambda it starts with the variable, which is dropped. */
  path(variable: string | null): Path {
    const first = this.expect('word');
    const segments = [first.text];
    // `any` after a slash starts a lambda; `a/b` is one property of the declared fields.
    while (this.next.kind === '/' && this.tokens[this.at + 1]?.kind === 'word' && this.tokens[this.at + 2]?.kind !== '(') {
      this.at++;
      segments.push(this.expect('word').text);
    }
    if (variable !== null) {
      if (segments[0] !== variable || segments.length < 2)
        throw badRequest(`Invalid filter clause: inside the lambda, properties are written '${variable}/<property>'.`);
      segments.shift();
    }
    return { segments, position: first.position };
  }

  /** The declared field a path names; a property of the type that is not declared cannot be used here. */
  private resolve(scope: FieldSpecs, path: Path, variable: string | null, clause: 'filter' | 'orderby'): { name: string; spec: FieldSpecs[string] } {
    const written = path.segments.join('/');
    const name = Object.keys(scope).find((known) => known.toLowerCase() === written.toLowerCase());
    if (name !== undefined) return { name, spec: scope[name] as FieldSpecs[string] };
    const known = variable === null && this.context.properties.some((property) => property.toLowerCase() === written.toLowerCase());
    if (!known) throw badRequest(`Could not find a property named '${written}' on type '${this.context.entityType}'.`);
    if (clause === 'orderby') throw badRequest(`Sorting on '${written}' is not supported for this request.`);
    throw badRequest(`Unsupported or invalid query filter clause specified for property '${written}' of resource '${resourceName(this.context.entityType)}'.`);
  }

  scalarField(scope: FieldSpecs, path: Path, variable: string | null, clause: 'filter' | 'orderby' = 'filter'): { name: string; spec: ScalarField } {
    const field = this.resolve(scope, path, variable, clause);
    if (field.spec.type === 'collection') throw badRequest(`Invalid filter clause: '${field.name}' is a collection; use '${field.name}/any(…)'.`);
    return { name: field.name, spec: field.spec };
  }

  /** The next literal, converted to the property's type; a mismatch is ODataLib's message. */
  private literal(property: string, spec: ScalarField, operatorKind: string): Literal {
    const token = this.next;
    const literalType = literalTypes[token.kind];
    if (literalType === undefined) throw syntaxError(this.text, token.position);
    this.at++;
    const word = token.kind === 'word' ? token.text.toLowerCase() : null;
    if (word === 'null') return null;
    const mismatch = () =>
      badRequest(
        `A binary operator with incompatible types was detected. Found operand types '${fieldEdmTypes[spec.type]}' and '${literalType}' for operator kind '${operatorKind}'.`,
      );
    if (token.kind === 'word' && word !== 'true' && word !== 'false')
      throw badRequest(`Could not find a property named '${token.text}' on type '${this.context.entityType}'.`);
    switch (spec.type) {
      case 'string':
        if (token.kind !== 'string') throw mismatch();
        return token.text;
      case 'enum': {
        if (token.kind !== 'string') throw mismatch();
        const member = spec.values?.find((value) => value.toLowerCase() === token.text.toLowerCase());
        if (member === undefined) throw badRequest(`The string '${token.text}' is not a valid enumeration type constant for '${property}'.`);
        return member;
      }
      case 'boolean':
        if (token.kind !== 'word') throw mismatch();
        return word === 'true';
      case 'dateTime': {
        if (token.kind !== 'dateTime') throw mismatch();
        const time = new Date(token.text);
        if (Number.isNaN(time.getTime())) throw badRequest(`The value '${token.text}' is not a valid DateTimeOffset.`);
        return time.toISOString();
      }
      case 'guid':
        // Graph's directory also takes a guid written as a string.
        if (token.kind !== 'guid' && !(token.kind === 'string' && guidPattern.test(token.text))) throw mismatch();
        return token.text.toLowerCase();
    }
  }
}

/** `microsoft.graph.user` → `User`, as Graph's directory names a resource in filter errors. */
function resourceName(entityType: string): string {
  const name = entityType.slice(entityType.lastIndexOf('.') + 1);
  return name.charAt(0).toUpperCase() + name.slice(1);
}
