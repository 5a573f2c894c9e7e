import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, conversationRowCounts, createConversation, salesId } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';

for (const dialect of testDialects()) {
  describe(`conversation-delete on ${dialect}`, () => {
    let server: TestServer;
    let adele: Record<string, string>;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
      adele = bearer(await userToken(server, 'AdeleV@contoso.com'));
    });
    after(() => server.close());

    it('204 deletes the conversation with its threads and posts; the other conversation stays', async () => {
      const doomed = await createConversation(server, allCompanyId, 'Doomed', 'bye', adele);
      const kept = await createConversation(server, allCompanyId, 'Kept', 'hello', adele);
      await server.request('POST', `/v1.0/groups/${allCompanyId}/conversations/${doomed.conversationId}/threads`, {
        body: { posts: [{ body: { content: 'second thread' } }] },
        headers: adele,
      });
      const before = await conversationRowCounts(server);
      const response = await server.request('DELETE', `/v1.0/groups/${allCompanyId}/conversations/${doomed.conversationId}`, { headers: adele });
      assertStatus(response, 204);
      assert.equal(response.text, '');
      assert.deepEqual(await conversationRowCounts(server), { conversations: before.conversations - 1, threads: before.threads - 2, posts: before.posts - 2 });
      assertGraphError(
        await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${doomed.conversationId}`, { headers: adele }),
        404,
        'ErrorItemNotFound',
      );
      assertStatus(await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${kept.conversationId}`, { headers: adele }), 200);
    });

    it('404 for a conversation already deleted; 403 for a caller outside a private group, which keeps its conversation', async () => {
      const { conversationId } = await createConversation(server, salesId, 'Private', 'members only', adele);
      assertStatus(await server.request('DELETE', `/v1.0/groups/${salesId}/conversations/${conversationId}`, { headers: adele }), 204);
      assertGraphError(await server.request('DELETE', `/v1.0/groups/${salesId}/conversations/${conversationId}`, { headers: adele }), 404, 'ErrorItemNotFound');
      const other = await createConversation(server, salesId, 'Private', 'members only', adele);
      const lee = bearer(await userToken(server, 'LeeG@contoso.com'));
      assertGraphError(
        await server.request('DELETE', `/v1.0/groups/${salesId}/conversations/${other.conversationId}`, { headers: lee }),
        403,
        'ErrorAccessDenied',
      );
      assertStatus(await server.request('GET', `/v1.0/groups/${salesId}/conversations/${other.conversationId}`, { headers: adele }), 200);
    });
  });
}
