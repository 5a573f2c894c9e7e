import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, architectureId, conversationRowCounts, itAdminsId } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

// The body of the seed 001 draft page's example, verbatim.
const seed001Body = {
  '@odata.type': '#microsoft.graph.conversation',
  topic: 'Topic value',
  hasAttachments: true,
  lastDeliveredDateTime: '2017-01-01T00:02:32.1744944+03:00',
  uniqueSenders: ['Unique Senders value'],
  preview: 'Preview value',
};

function assertSeedConversation(body: Record<string, unknown>): void {
  assert.equal(body['@odata.type'], '#microsoft.graph.conversation');
  assert.equal(body.topic, 'Topic value');
  assert.equal(body.hasAttachments, true);
  // The same instant, written in UTC (docs/compatibility.md).
  assert.equal(Date.parse(body.lastDeliveredDateTime as string), Date.parse('2017-01-01T00:02:32.174+03:00'));
  assert.deepEqual(body.uniqueSenders, ['Unique Senders value']);
  assert.equal(body.preview, 'Preview value');
}

for (const dialect of testDialects()) {
  describe(`conversation-reference-add (seed 001) on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('201 adds the conversation the draft page posts to /groups/{id}/conversations/$ref, and lists it', async () => {
      const response = await server.request('POST', `/v1.0/groups/${allCompanyId}/conversations/$ref`, { body: seed001Body });
      assertStatus(response, 201);
      assertSeedConversation(response.body);
      const fetched = await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${response.body.id}`);
      assertStatus(fetched, 200);
      assert.equal(fetched.body.topic, 'Topic value');
      const threads = await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${response.body.id}/threads`);
      assert.deepEqual(threads.body.value, []);
    });

    it('201 at /me/joinedTeams/{id}/conversations/$ref for a team the signed-in user joined', async () => {
      const response = await server.request('POST', `/v1.0/me/joinedTeams/${architectureId}/conversations/$ref`, { body: seed001Body });
      assertStatus(response, 201);
      assertSeedConversation(response.body);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#groups('${architectureId}')/conversations/$entity`);
      const listed = await server.request('GET', `/v1.0/groups/${architectureId}/conversations`);
      assert.ok(listed.body.value.some((conversation: { id: string }) => conversation.id === response.body.id));
    });

    it('404 NotFound at /me/joinedTeams for a group that is not a team, and nothing is written', async () => {
      const before = await conversationRowCounts(server);
      const response = await server.request('POST', `/v1.0/me/joinedTeams/${allCompanyId}/conversations/$ref`, { body: seed001Body });
      assertGraphError(response, 404, 'NotFound', `No team found with Group Id ${allCompanyId}`);
      assert.deepEqual(await conversationRowCounts(server), before);
    });

    it('404 NotFound at /me/joinedTeams for a team the signed-in user has not joined', async () => {
      // Adele leaves the Architecture team first: the check is membership, not the team's existence.
      const before = await conversationRowCounts(server);
      await server.store.db
        .deleteFrom('group_members')
        .where('group_id', '=', architectureId)
        .where('user_id', '=', '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f')
        .execute();
      const response = await server.request('POST', `/v1.0/me/joinedTeams/${architectureId}/conversations/$ref`, { body: seed001Body });
      assertGraphError(response, 404, 'NotFound', `No team found with Group Id ${architectureId}`);
      assert.deepEqual(await conversationRowCounts(server), before);
      assertStatus(await server.request('POST', '/_teamgraph/reset'), 204);
    });

    it('400 when topic is missing, 404 ResourceNotFound for a security group', async () => {
      const withoutTopic = Object.fromEntries(Object.entries(seed001Body).filter(([name]) => name !== 'topic'));
      assertGraphError(await server.request('POST', `/v1.0/groups/${allCompanyId}/conversations/$ref`, { body: withoutTopic }), 400, 'BadRequest');
      assertGraphError(await server.request('POST', `/v1.0/groups/${itAdminsId}/conversations/$ref`, { body: seed001Body }), 404, 'ResourceNotFound');
    });
  });
}
