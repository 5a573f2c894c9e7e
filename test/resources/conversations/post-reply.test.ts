import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, conversationRowCounts, createConversation, threadPath } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';

for (const dialect of testDialects()) {
  describe(`post-reply on ${dialect}`, () => {
    let server: TestServer;
    let adele: Record<string, string>;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
      adele = bearer(await userToken(server, 'AdeleV@contoso.com'));
    });
    after(() => server.close());

    const posts = async (threadId: string) =>
      (await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts?$expand=inReplyTo`, { headers: adele })).body.value;

    it('202 adds a post whose inReplyTo is the post answered, in both address forms', async () => {
      const { conversationId, threadId } = await createConversation(server, allCompanyId, 'Reply', 'root', adele);
      const [root] = await posts(threadId);
      for (const conversation of [undefined, conversationId]) {
        const response = await server.request('POST', `${threadPath(allCompanyId, threadId, conversation)}/posts/${root.id}/reply`, {
          body: { post: { body: { content: 'to root' } } },
          headers: adele,
        });
        assertStatus(response, 202);
        assert.equal(response.text, '');
      }
      const after = await posts(threadId);
      assert.equal(after.length, 3);
      assert.equal(after[2].inReplyTo.id, root.id);
      assert.equal(after[1].inReplyTo.id, root.id);
    });

    it('202 for an app with Group.ReadWrite.All; the group itself is the sender', async () => {
      const { threadId } = await createConversation(server, allCompanyId, 'App reply', 'root', adele);
      const [root] = await posts(threadId);
      const response = await server.request('POST', `${threadPath(allCompanyId, threadId)}/posts/${root.id}/reply`, {
        body: { post: { body: { content: 'from the app' } } },
        headers: bearer(await appToken(server)),
      });
      assertStatus(response, 202);
      const latest = (await posts(threadId)).at(-1);
      assert.deepEqual(latest.from, { emailAddress: { name: 'All Company', address: 'allcompany@contoso.com' } });
    });

    it('400 for an empty body and 404 for an unknown post, with nothing written', async () => {
      const { threadId } = await createConversation(server, allCompanyId, 'Bad reply', 'root', adele);
      const [root] = await posts(threadId);
      const before = await conversationRowCounts(server);
      assertGraphError(
        await server.request('POST', `${threadPath(allCompanyId, threadId)}/posts/${root.id}/reply`, {
          body: { post: { body: { content: ' ' } } },
          headers: adele,
        }),
        400,
        'BadRequest',
      );
      const unknown = `${root.id.slice(0, -8)}AAAAAAAA`;
      assertGraphError(
        await server.request('POST', `${threadPath(allCompanyId, threadId)}/posts/${unknown}/reply`, {
          body: { post: { body: { content: 'x' } } },
          headers: adele,
        }),
        404,
        'ErrorItemNotFound',
      );
      assert.deepEqual(await conversationRowCounts(server), before);
    });
  });
}
