import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { GraphError, errorEnvelope, graphErrorStatus } from '../../src/wire/errors.ts';

describe('error catalogue', () => {
  it('docs/errors.md lists exactly the codes and statuses of src/wire/errors.ts', () => {
    const documented = new Map<string, number>();
    for (const match of fs.readFileSync('docs/errors.md', 'utf8').matchAll(/^\| `(\w+)` \| (\d{3}) \|/gm)) {
      documented.set(match[1] as string, Number(match[2]));
    }
    assert.deepEqual(Object.fromEntries(documented), graphErrorStatus);
  });

  it('renders the envelope with a zone-less UTC date and both request ids', () => {
    const envelope = errorEnvelope(
      new GraphError('Conflict', 'taken', [{ code: 'conflictingSectionId', message: 'x', target: 's1' }]),
      { requestId: 'r', clientRequestId: 'c' },
      new Date('2026-01-02T03:04:05.678Z'),
    );
    assert.deepEqual(envelope, {
      error: {
        code: 'Conflict',
        message: 'taken',
        details: [{ code: 'conflictingSectionId', message: 'x', target: 's1' }],
        innerError: { date: '2026-01-02T03:04:05', 'request-id': 'r', 'client-request-id': 'c' },
      },
    });
  });
});
