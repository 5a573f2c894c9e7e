import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Teamgraph, startTeamgraph } from 'teamgraph';
import { openStore } from '../../src/store/db.ts';
import { lazyValidatorCompiler } from '../../src/wire/validation.ts';
import { routeTableOf } from '../helpers/route-table.ts';

// Schemas are compiled on their first use (decision 141): a schema the validator cannot compile would
// surface on a request, not at start-up, so this test compiles every route's body schema up front.
describe('request validation', () => {
  it('compiles the body schema of every route', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:', synchronous: 'normal' });
    try {
      const routes = routeTableOf(store);
      const bodies = new Set(routes.flatMap((route) => (route.body === undefined ? [] : [route.body])));
      assert.ok(bodies.size >= 20, `${bodies.size} body schemas`);
      const compile = lazyValidatorCompiler();
      for (const body of bodies) {
        const validate = compile({ schema: body, method: 'POST', url: '/', httpPart: 'body' }) as (data: unknown) => boolean;
        assert.equal(typeof validate('not an object'), 'boolean');
      }
    } finally {
      await store.close();
    }
  });

  describe('on a running server', () => {
    let graph: Teamgraph;
    before(async () => {
      graph = await startTeamgraph();
    });
    after(() => graph.close());

    it('validates a body on the route first used after start, and again the same way', async () => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await fetch(`${graph.url}/v1.0/chats`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"chatType":7}' });
        assert.equal(response.status, 400);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'BadRequest');
        assert.match(body.error.message, /chatType/);
      }
    });
  });
});
