import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, createConversation, threadPath } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`thread-get and thread-list, both address forms, on ${dialect}`, () => {
    let server: TestServer;
    let first: { conversationId: string; threadId: string };
    let second: { conversationId: string; threadId: string };
    before(async () => {
      server = await startTestServer(dialect);
      first = await createConversation(server, allCompanyId, 'One', 'first');
      second = await createConversation(server, allCompanyId, 'Two', 'second');
    });
    after(() => server.close());

    it('200 returns the thread at /groups/{g}/threads/{t} and under its conversation', async () => {
      for (const conversationId of [undefined, first.conversationId]) {
        const response = await server.request('GET', threadPath(allCompanyId, first.threadId, conversationId));
        assertStatus(response, 200);
        assert.equal(response.body.id, first.threadId);
        assert.equal(response.body.topic, 'One');
        assert.equal(response.body.toRecipients, undefined, 'recipients come only with $select');
      }
    });

    it('200 $select=toRecipients,ccRecipients returns the recipients', async () => {
      const response = await server.request('GET', `${threadPath(allCompanyId, first.threadId)}?$select=toRecipients,ccRecipients`);
      assertStatus(response, 200);
      assert.deepEqual(response.body.toRecipients, [{ emailAddress: { name: 'All Company', address: 'allcompany@contoso.com' } }]);
      assert.deepEqual(response.body.ccRecipients, []);
      assert.equal(response.body.topic, undefined);
    });

    it('200 lists the group threads newest first, and one conversation threads only', async () => {
      const all = await server.request('GET', `/v1.0/groups/${allCompanyId}/threads`);
      assertStatus(all, 200);
      assert.deepEqual(
        all.body.value.map((t: { id: string }) => t.id),
        [second.threadId, first.threadId],
      );
      const paged = await server.request('GET', `/v1.0/groups/${allCompanyId}/threads?$top=1`);
      assert.equal(paged.body.value.length, 1);
      assert.ok(paged.body['@odata.nextLink']);
      const one = await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${first.conversationId}/threads`);
      assert.equal(
        one.body['@odata.context'],
        `${server.url}/v1.0/$metadata#groups('${allCompanyId}')/conversations('${encodeURIComponent(first.conversationId)}')/threads`,
      );
      assert.deepEqual(
        one.body.value.map((t: { id: string }) => t.id),
        [first.threadId],
      );
    });

    it('404 for a thread addressed under another conversation; 400 for a malformed thread id', async () => {
      assertGraphError(await server.request('GET', threadPath(allCompanyId, first.threadId, second.conversationId)), 404, 'ErrorItemNotFound');
      assertGraphError(await server.request('GET', threadPath(allCompanyId, first.conversationId)), 400, 'ErrorInvalidIdMalformed');
    });
  });
}
