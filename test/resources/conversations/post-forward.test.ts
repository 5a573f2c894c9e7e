import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, conversationRowCounts, createConversation, threadPath } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`post-forward on ${dialect}`, () => {
    let server: TestServer;
    let conversationId: string;
    let threadId: string;
    let postId: string;
    before(async () => {
      server = await startTestServer(dialect);
      ({ conversationId, threadId } = await createConversation(server, allCompanyId, 'Forward', 'pass it on'));
      postId = (await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts`)).body.value[0].id;
    });
    after(() => server.close());

    it('200 with no body, in both address forms; nothing is written (no mail is delivered)', async () => {
      const before = await conversationRowCounts(server);
      const body = { comment: 'FYI', toRecipients: [{ emailAddress: { name: 'Megan Bowen', address: 'MeganB@contoso.com' } }] };
      for (const conversation of [undefined, conversationId]) {
        const response = await server.request('POST', `${threadPath(allCompanyId, threadId, conversation)}/posts/${postId}/forward`, { body });
        assertStatus(response, 200);
        assert.equal(response.text, '');
      }
      assert.deepEqual(await conversationRowCounts(server), before);
    });

    it('400 without recipients or with a malformed one; 404 for an unknown post', async () => {
      const path = `${threadPath(allCompanyId, threadId)}/posts/${postId}/forward`;
      assertGraphError(await server.request('POST', path, { body: { comment: 'x' } }), 400, 'BadRequest');
      assertGraphError(
        await server.request('POST', path, { body: { toRecipients: [{ emailAddress: { address: 'nobody' } }] } }),
        400,
        'ErrorInvalidRecipients',
      );
      const unknown = `${postId.slice(0, -8)}AAAAAAAA`;
      assertGraphError(
        await server.request('POST', `${threadPath(allCompanyId, threadId)}/posts/${unknown}/forward`, {
          body: { toRecipients: [{ emailAddress: { address: 'a@b.co' } }] },
        }),
        404,
        'ErrorItemNotFound',
      );
    });
  });
}
