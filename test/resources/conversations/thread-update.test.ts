import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, conversationRowCounts, createConversation, salesId, threadPath } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';

for (const dialect of testDialects()) {
  describe(`thread-update on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('204 locks a thread (both address forms); a locked thread refuses replies with nothing written', async () => {
      const { conversationId, threadId } = await createConversation(server, allCompanyId);
      const locked = await server.request('PATCH', threadPath(allCompanyId, threadId), { body: { isLocked: true } });
      assertStatus(locked, 204);
      assert.equal(locked.text, '');
      assert.equal((await server.request('GET', threadPath(allCompanyId, threadId))).body.isLocked, true);
      const before = await conversationRowCounts(server);
      const reply = await server.request('POST', `${threadPath(allCompanyId, threadId)}/reply`, { body: { post: { body: { content: 'late' } } } });
      assertGraphError(reply, 403, 'Forbidden');
      assert.deepEqual(await conversationRowCounts(server), before);
      assertStatus(await server.request('PATCH', threadPath(allCompanyId, threadId, conversationId), { body: { isLocked: false } }), 204);
      assert.equal((await server.request('GET', threadPath(allCompanyId, threadId))).body.isLocked, false);
      assertStatus(await server.request('POST', `${threadPath(allCompanyId, threadId)}/reply`, { body: { post: { body: { content: 'on time' } } } }), 202);
    });

    it('403 ErrorAccessDenied for a user outside a private group, in both address forms, with the thread read back unlocked', async () => {
      const { conversationId, threadId } = await createConversation(server, salesId, 'Pipeline');
      const patti = await userToken(server, 'PattiF@contoso.com');
      for (const path of [threadPath(salesId, threadId), threadPath(salesId, threadId, conversationId)]) {
        assertGraphError(await server.request('PATCH', path, { body: { isLocked: true }, headers: bearer(patti) }), 403, 'ErrorAccessDenied');
      }
      assert.equal((await server.request('GET', threadPath(salesId, threadId))).body.isLocked, false);
      const isaiah = await userToken(server, 'IsaiahL@contoso.com');
      assertStatus(await server.request('PATCH', threadPath(salesId, threadId), { body: { isLocked: true }, headers: bearer(isaiah) }), 204);
      assert.equal((await server.request('GET', threadPath(salesId, threadId))).body.isLocked, true);
    });

    it('400 for a property that cannot be updated (topic); 404 for an unknown thread', async () => {
      const { conversationId, threadId } = await createConversation(server, allCompanyId, 'Fixed');
      assertGraphError(await server.request('PATCH', threadPath(allCompanyId, threadId), { body: { topic: 'Changed' } }), 400, 'BadRequest');
      assert.equal((await server.request('GET', threadPath(allCompanyId, threadId))).body.topic, 'Fixed');
      await server.request('DELETE', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}`);
      assertGraphError(await server.request('PATCH', threadPath(allCompanyId, threadId), { body: { isLocked: true } }), 404, 'ErrorItemNotFound');
    });
  });
}
