import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, createConversation, salesId } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`conversation-get on ${dialect}`, () => {
    let server: TestServer;
    let conversationId: string;
    before(async () => {
      server = await startTestServer(dialect);
      ({ conversationId } = await createConversation(server, allCompanyId, 'Launch', 'We launch Monday.'));
    });
    after(() => server.close());

    it('200 returns the conversation, also by key syntax and with $select', async () => {
      const response = await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}`);
      assertStatus(response, 200);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#groups('${allCompanyId}')/conversations/$entity`);
      assert.equal(response.body.topic, 'Launch');
      assert.equal(response.body.preview, 'We launch Monday.');
      const keyed = await server.request('GET', `/v1.0/groups('${allCompanyId}')/conversations('${conversationId}')?$select=preview`);
      assertStatus(keyed, 200);
      assert.deepEqual(keyed.body, {
        '@odata.context': `${server.url}/v1.0/$metadata#groups('${allCompanyId}')/conversations(preview)/$entity`,
        id: conversationId,
        preview: 'We launch Monday.',
      });
    });

    it('404 ErrorItemNotFound for a well-formed id of another group or an unknown one', async () => {
      assertGraphError(
        await server.request('GET', `/v1.0/groups/${salesId}/conversations/${conversationId}`),
        404,
        'ErrorItemNotFound',
        'The specified object was not found in the store.',
      );
      const unknown = conversationId.slice(0, -8) + 'AAAAAAA=';
      assertGraphError(await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${unknown}`), 404, 'ErrorItemNotFound');
    });

    it('400 ErrorInvalidIdMalformed for an id that is not a conversation id', async () => {
      assertGraphError(await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/not-an-id`), 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
    });
  });
}
