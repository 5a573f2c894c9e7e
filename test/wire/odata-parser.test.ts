import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldSpecs } from '../../src/query/list-query.ts';
import { GraphError } from '../../src/wire/errors.ts';
import { type ParseContext, parseFilter, parseOrderby } from '../../src/wire/odata/parser.ts';

// The $filter and $orderby parser on its own: every supported form parses to its checked tree, and
// every unsupported or ill-typed one is Graph's 400 naming what is wrong.
const fields: FieldSpecs = {
  id: { type: 'guid' },
  displayName: { type: 'string' },
  createdDateTime: { type: 'dateTime' },
  accountEnabled: { type: 'boolean' },
  userType: { type: 'enum', values: ['Member', 'Guest'] },
  'lastMessagePreview/createdDateTime': { type: 'dateTime' },
  members: { type: 'collection', fields: { displayName: { type: 'string' }, userId: { type: 'guid' } } },
};
const context: ParseContext = {
  entityType: 'microsoft.graph.user',
  properties: ['id', 'displayName', 'createdDateTime', 'accountEnabled', 'userType', 'jobTitle'],
  fields,
};
const guid = '8b081ef6-4792-4def-b2c9-c363a1bf41d5';

function rejects(filter: string, message: string | RegExp): void {
  assert.throws(
    () => parseFilter(filter, context),
    (err: unknown) => {
      assert.ok(err instanceof GraphError, String(err));
      assert.equal(err.code, 'BadRequest');
      if (message instanceof RegExp) assert.match(err.message, message);
      else assert.equal(err.message, message);
      return true;
    },
    filter,
  );
}

describe('$filter parser', () => {
  it('parses the comparison operators on strings, dates, booleans, enums and guids', () => {
    assert.deepEqual(parseFilter("displayName eq 'O''Brien'", context), { kind: 'compare', property: 'displayName', op: 'eq', value: "O'Brien" });
    for (const op of ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const) {
      assert.deepEqual(parseFilter(`createdDateTime ${op} 2026-01-02T03:04:05Z`, context), {
        kind: 'compare',
        property: 'createdDateTime',
        op,
        value: '2026-01-02T03:04:05.000Z',
      });
    }
    assert.deepEqual(parseFilter('accountEnabled eq false', context), { kind: 'compare', property: 'accountEnabled', op: 'eq', value: false });
    assert.deepEqual(parseFilter("usertype eq 'guest'", context), { kind: 'compare', property: 'userType', op: 'eq', value: 'Guest' });
    assert.deepEqual(parseFilter(`id eq ${guid.toUpperCase()}`, context), { kind: 'compare', property: 'id', op: 'eq', value: guid });
    assert.deepEqual(parseFilter(`id eq '${guid}'`, context), { kind: 'compare', property: 'id', op: 'eq', value: guid });
    assert.deepEqual(parseFilter('displayName eq null', context), { kind: 'compare', property: 'displayName', op: 'eq', value: null });
    assert.deepEqual(parseFilter('lastMessagePreview/createdDateTime lt 2026-01-01', context), {
      kind: 'compare',
      property: 'lastMessagePreview/createdDateTime',
      op: 'lt',
      value: '2026-01-01T00:00:00.000Z',
    });
  });

  it('parses and, or, not, parentheses, startswith, in and any with OData precedence', () => {
    const a = { kind: 'compare', property: 'displayName', op: 'eq', value: 'a' };
    const b = { kind: 'compare', property: 'accountEnabled', op: 'eq', value: true };
    const c = { kind: 'startswith', property: 'displayName', prefix: 'Me' };
    assert.deepEqual(parseFilter("displayName eq 'a' or accountEnabled eq true and startswith(displayName,'Me')", context), {
      kind: 'or',
      left: a,
      right: { kind: 'and', left: b, right: c },
    });
    assert.deepEqual(parseFilter("(displayName eq 'a' or accountEnabled eq true) and startsWith(displayName, 'Me')", context), {
      kind: 'and',
      left: { kind: 'or', left: a, right: b },
      right: c,
    });
    assert.deepEqual(parseFilter("not (displayName eq 'a')", context), { kind: 'not', operand: a });
    assert.deepEqual(parseFilter("userType in ('member', 'Guest')", context), { kind: 'in', property: 'userType', values: ['Member', 'Guest'] });
    assert.deepEqual(parseFilter("members/any(m: m/displayName eq 'a')", context), { kind: 'any', property: 'members', predicate: a });
    assert.deepEqual(parseFilter('members/any()', context), { kind: 'any', property: 'members', predicate: null });
  });

  it('400 naming an unknown property, one that cannot be filtered, or an unsupported operator or function', () => {
    rejects("nickname eq 'a'", "Could not find a property named 'nickname' on type 'microsoft.graph.user'.");
    rejects("jobTitle eq 'a'", "Unsupported or invalid query filter clause specified for property 'jobTitle' of resource 'User'.");
    rejects("displayName has 'a'", "Invalid filter clause: the operator 'has' is not supported.");
    rejects("endswith(displayName, 'a')", "Invalid filter clause: the function 'endswith' is not supported.");
    rejects("contains(displayName, 'a')", "Invalid filter clause: the function 'contains' is not supported.");
    rejects('accountEnabled gt true', "Invalid filter clause: the operator 'gt' is not supported on 'accountEnabled'.");
    rejects("members/all(m: m/displayName eq 'a')", "Invalid filter clause: the operator 'all' is not supported.");
    rejects("displayName/any(m: m eq 'a')", "Invalid filter clause: the operator 'any' is not supported on 'displayName'.");
    rejects("members eq 'a'", "Invalid filter clause: 'members' is a collection; use 'members/any(…)'.");
    rejects("members/any(m: displayName eq 'a')", "Invalid filter clause: inside the lambda, properties are written 'm/<property>'.");
  });

  it('400 for literals of the wrong type, unknown enum members and invalid dates', () => {
    rejects(
      "createdDateTime eq 'abc'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'Equal'.",
    );
    rejects(
      'displayName eq 3',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.",
    );
    rejects("accountEnabled eq 'true'", /incompatible types.*'Edm.Boolean' and 'Edm.String'/);
    rejects("id eq 'not-a-guid'", /incompatible types.*'Edm.Guid' and 'Edm.String'/);
    rejects("userType eq 'Robot'", "The string 'Robot' is not a valid enumeration type constant for 'userType'.");
    rejects('createdDateTime gt 2026-13-45', "The value '2026-13-45' is not a valid DateTimeOffset.");
    rejects('displayName eq someName', "Could not find a property named 'someName' on type 'microsoft.graph.user'.");
  });

  it('400 for syntax errors, with the position', () => {
    rejects('displayName eq', "Syntax error at position 14 in 'displayName eq'.");
    rejects("displayName eq 'open", "Syntax error at position 15 in 'displayName eq 'open'.");
    rejects("(displayName eq 'a'", "Syntax error at position 19 in '(displayName eq 'a''.");
    rejects("displayName eq 'a' extra", "Syntax error at position 19 in 'displayName eq 'a' extra'.");
    rejects('', "Syntax error at position 0 in ''.");
    rejects("displayName eq 'a' ; drop table users", /^Syntax error at position 19/);
  });

  it('400, not a stack overflow, for deep nesting and overlong input', () => {
    rejects(`${'('.repeat(5000)}displayName eq 'a'${')'.repeat(5000)}`, /at most 4096 characters/);
    rejects(`${'('.repeat(100)}displayName eq 'a'${')'.repeat(100)}`, 'The recursion limit has been exceeded.');
    rejects(`${'not '.repeat(100)}displayName eq 'a'`, 'The recursion limit has been exceeded.');
    rejects(`displayName in (${Array.from({ length: 101 }, () => "'a'").join(',')})`, "Invalid filter clause: 'in' takes at most 100 values.");
  });
});

describe('$orderby parser', () => {
  it('parses properties with optional directions', () => {
    assert.deepEqual(parseOrderby('displayName, createdDateTime desc', context), [
      { property: 'displayName', descending: false },
      { property: 'createdDateTime', descending: true },
    ]);
    assert.deepEqual(parseOrderby('lastMessagePreview/createdDateTime DESC', context), [{ property: 'lastMessagePreview/createdDateTime', descending: true }]);
  });

  it('400 for unknown properties and syntax errors', () => {
    assert.throws(() => parseOrderby('nickname', context), /Could not find a property named 'nickname'/);
    assert.throws(() => parseOrderby('jobTitle desc', context), { message: "Sorting on 'jobTitle' is not supported for this request." });
    assert.throws(() => parseOrderby('displayName sideways', context), /Syntax error at position 12/);
    assert.throws(() => parseOrderby('members', context), /is a collection/);
  });
});
