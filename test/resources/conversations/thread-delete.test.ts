import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, conversationRowCounts, createConversation, salesId, threadPath } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';

for (const dialect of testDialects()) {
  describe(`thread-delete on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('204 deletes a thread and its posts under its conversation; the conversation summary falls back to the thread left', async () => {
      const { conversationId, threadId } = await createConversation(server, allCompanyId, 'Two threads', 'older thread');
      const added = await server.request('POST', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}/threads`, {
        body: { posts: [{ body: { content: 'newer thread' } }] },
      });
      await server.request('POST', `${threadPath(allCompanyId, added.body.id)}/reply`, { body: { post: { body: { content: 'reply in newer' } } } });
      assert.equal((await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}`)).body.preview, 'reply in newer');
      const before = await conversationRowCounts(server);
      assertStatus(await server.request('DELETE', threadPath(allCompanyId, added.body.id, conversationId)), 204);
      assert.deepEqual(await conversationRowCounts(server), { conversations: before.conversations, threads: before.threads - 1, posts: before.posts - 2 });
      const conversation = (await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}`)).body;
      assert.equal(conversation.preview, 'older thread');
      assertStatus(await server.request('GET', threadPath(allCompanyId, threadId)), 200);
      assertGraphError(await server.request('GET', threadPath(allCompanyId, added.body.id, conversationId)), 404, 'ErrorItemNotFound');
    });

    it('403 ErrorAccessDenied for a user outside a private group, in both address forms, with nothing deleted', async () => {
      const { conversationId, threadId } = await createConversation(server, salesId, 'Pipeline');
      const before = await conversationRowCounts(server);
      const patti = await userToken(server, 'PattiF@contoso.com');
      for (const path of [threadPath(salesId, threadId), threadPath(salesId, threadId, conversationId)]) {
        assertGraphError(await server.request('DELETE', path, { headers: bearer(patti) }), 403, 'ErrorAccessDenied');
      }
      assert.deepEqual(await conversationRowCounts(server), before);
      assertStatus(await server.request('GET', threadPath(salesId, threadId)), 200);
    });

    it('204 deleting the last thread (group form) removes the conversation too', async () => {
      const { conversationId, threadId } = await createConversation(server, allCompanyId);
      assertStatus(await server.request('DELETE', threadPath(allCompanyId, threadId)), 204);
      assertGraphError(await server.request('GET', threadPath(allCompanyId, threadId)), 404, 'ErrorItemNotFound');
      assertGraphError(await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}`), 404, 'ErrorItemNotFound');
      assertGraphError(await server.request('DELETE', threadPath(allCompanyId, threadId)), 404, 'ErrorItemNotFound');
    });
  });
}
