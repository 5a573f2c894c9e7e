import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, createConversation, threadPath } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

for (const dialect of testDialects()) {
  describe(`post-list on ${dialect}`, () => {
    let server: TestServer;
    let conversationId: string;
    let threadId: string;
    before(async () => {
      server = await startTestServer(dialect);
      ({ conversationId, threadId } = await createConversation(server, allCompanyId, 'Posts', 'one'));
      for (const content of ['two', 'three'])
        await server.request('POST', `${threadPath(allCompanyId, threadId)}/reply`, { body: { post: { body: { content } } } });
    });
    after(() => server.close());

    it('200 lists the posts oldest first with weak etags, in both address forms', async () => {
      for (const conversation of [undefined, conversationId]) {
        const response = await server.request('GET', `${threadPath(allCompanyId, threadId, conversation)}/posts`);
        assertStatus(response, 200);
        const prefix = conversation === undefined ? '' : `/conversations('${encodeURIComponent(conversationId)}')`;
        assert.equal(
          response.body['@odata.context'],
          `${server.url}/v1.0/$metadata#groups('${allCompanyId}')${prefix}/threads('${encodeURIComponent(threadId)}')/posts`,
        );
        assert.deepEqual(
          response.body.value.map((p: { body: { content: string } }) => p.body.content),
          ['one', 'two', 'three'],
        );
        for (const post of response.body.value) assert.equal(post['@odata.etag'], `W/"${post.changeKey}"`);
      }
    });

    it('200 pages with $top and keeps $select; $expand=attachments gives none', async () => {
      const first = await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts?$top=2&$select=body`);
      assert.deepEqual(
        first.body.value.map((p: { body: { content: string } }) => p.body.content),
        ['one', 'two'],
      );
      assert.deepEqual(Object.keys(first.body.value[0]).sort(), ['@odata.etag', 'body', 'id']);
      const second = await server.request('GET', first.body['@odata.nextLink'].slice(server.url.length));
      assert.deepEqual(
        second.body.value.map((p: { body: { content: string } }) => p.body.content),
        ['three'],
      );
      const attachments = await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts?$expand=attachments`);
      assertStatus(attachments, 200);
      assert.deepEqual(attachments.body.value[0].attachments, []);
    });

    it('400 for two relationships in $expand, or one posts do not have', async () => {
      assertGraphError(await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts?$expand=inReplyTo,attachments`), 400, 'BadRequest');
      assertGraphError(
        await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts?$expand=replies`),
        400,
        'BadRequest',
        "Parsing OData Select and Expand failed: Could not find a property named 'replies' on type 'microsoft.graph.post'.",
      );
    });
  });
}
