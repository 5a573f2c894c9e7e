import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, createConversation, threadPath } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { assertGraphType } from '../../helpers/graph-schema.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`post-get on ${dialect}`, () => {
    let server: TestServer;
    let conversationId: string;
    let threadId: string;
    let postIds: string[];
    before(async () => {
      server = await startTestServer(dialect);
      ({ conversationId, threadId } = await createConversation(server, allCompanyId, 'Get', 'root post'));
      await server.request('POST', `${threadPath(allCompanyId, threadId)}/reply`, { body: { post: { body: { content: 'answer' } } } });
      postIds = (await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts`)).body.value.map((p: { id: string }) => p.id);
    });
    after(() => server.close());

    it('200 returns the post in both address forms, with $select', async () => {
      for (const conversation of [undefined, conversationId]) {
        const response = await server.request('GET', `${threadPath(allCompanyId, threadId, conversation)}/posts/${postIds[0]}`);
        assertStatus(response, 200);
        assert.match(response.body['@odata.context'], /\/posts\/\$entity$/);
        assert.equal(response.body.body.content, 'root post');
      }
      const selected = await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts/${postIds[1]}?$select=from`);
      assert.deepEqual(Object.keys(selected.body).sort(), ['@odata.context', '@odata.etag', 'from', 'id']);
    });

    it('200 $expand=inReplyTo embeds the post answered, or null for the first post', async () => {
      const reply = await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts/${postIds[1]}?$expand=inReplyTo&$select=body`);
      assertStatus(reply, 200);
      assertGraphType('microsoft.graph.post', reply.body.inReplyTo);
      assert.equal(reply.body.inReplyTo.id, postIds[0]);
      assert.equal(reply.body.body.content, 'answer');
      const root = await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts/${postIds[0]}?$expand=inReplyTo`);
      assert.equal(root.body.inReplyTo, null);
    });

    it('404 for a post of another thread; 400 for a malformed post id', async () => {
      const other = await createConversation(server, allCompanyId, 'Other');
      assertGraphError(await server.request('GET', `${threadPath(allCompanyId, other.threadId)}/posts/${postIds[0]}`), 404, 'ErrorItemNotFound');
      assertGraphError(await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts/nope`), 400, 'ErrorInvalidIdMalformed');
    });
  });
}
