import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

const teamId = '57fb72d0-d811-46f4-8947-305e6072eaa5';

for (const dialect of testDialects()) {
  describe(`team-operation-get on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
      const now = new Date().toISOString();
      await server.store.db
        .insertInto('operations')
        .values({
          id: '359d75f6-2bb8-4785-ab2d-377bf3d573fa',
          tenant_id: 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f',
          parent_kind: 'team',
          parent_id: teamId,
          operation_type: 'createChannel',
          status: 'succeeded',
          target_resource_id: '19:abc@thread.tacv2',
          target_resource_location: `/teams('${teamId}')/channels('19:abc@thread.tacv2')`,
          payload: '{}',
          error: null,
          attempts_count: 1,
          created_date_time: now,
          last_action_date_time: now,
          run_after: now,
        })
        .execute();
    });
    after(() => server.close());

    it('200 returns the operation, masking createChannel as unknownFutureValue without the Prefer header', async () => {
      const response = await server.request('GET', `/v1.0/teams/${teamId}/operations/359d75f6-2bb8-4785-ab2d-377bf3d573fa`);
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#teams('${teamId}')/operations/$entity`);
      assert.equal(response.body.operationType, 'unknownFutureValue');
      assert.equal(response.body.status, 'succeeded');
    });

    it('200 shows createChannel with Prefer: include-unknown-enum-members', async () => {
      const response = await server.request('GET', `/v1.0/teams/${teamId}/operations/359d75f6-2bb8-4785-ab2d-377bf3d573fa`, {
        headers: { prefer: 'include-unknown-enum-members' },
      });
      assert.equal(response.body.operationType, 'createChannel');
    });

    it("200 at the Location header's key form /teams('{id}')/operations('{id}')", async () => {
      const response = await server.request('GET', `/v1.0/teams('${teamId}')/operations('359d75f6-2bb8-4785-ab2d-377bf3d573fa')`);
      assertStatus(response, 200);
    });

    it('404 for an unknown operation and for an operation of another team', async () => {
      assertGraphError(await server.request('GET', `/v1.0/teams/${teamId}/operations/nope`), 404, 'NotFound');
      assertGraphError(
        await server.request('GET', '/v1.0/teams/7640023f-fe43-4cc7-9bd3-84a9efe4acd6/operations/359d75f6-2bb8-4785-ab2d-377bf3d573fa'),
        404,
        'NotFound',
      );
    });
  });
}
