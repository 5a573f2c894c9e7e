import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, conversationRowCounts, createConversation, itAdminsId } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';

// The request body of group-post-threads.md's example.
const groupThreadBody = {
  topic: 'New Conversation Thread Topic',
  posts: [
    {
      body: { contentType: 'html', content: 'this is body content' },
      newParticipants: [{ emailAddress: { name: 'Alex Darrow', address: 'alexd@contoso.com' } }],
    },
  ],
};

for (const dialect of testDialects()) {
  describe(`thread-create and conversation-thread-create on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('201 POST /groups/{id}/threads creates a conversation, a thread and a post', async () => {
      const before = await conversationRowCounts(server);
      const response = await server.request('POST', `/v1.0/groups/${allCompanyId}/threads`, { body: groupThreadBody });
      assertStatus(response, 201);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#groups('${allCompanyId}')/threads/$entity`);
      assert.equal(response.body.topic, 'New Conversation Thread Topic');
      assert.equal(response.body.preview, 'this is body content');
      assert.equal(response.body.isLocked, false);
      assert.deepEqual(response.body.uniqueSenders, ['Adele Vance']);
      const after = await conversationRowCounts(server);
      assert.deepEqual(after, { conversations: before.conversations + 1, threads: before.threads + 1, posts: before.posts + 1 });
      const read = await server.request('GET', `/v1.0/groups/${allCompanyId}/threads/${response.body.id}`);
      assertStatus(read, 200);
      assert.equal(read.body.topic, 'New Conversation Thread Topic');
      const posts = await server.request('GET', `/v1.0/groups/${allCompanyId}/threads/${response.body.id}/posts`);
      assert.deepEqual(
        posts.body.value.map((post: { body: { content: string } }) => post.body.content),
        ['this is body content'],
      );
    });

    it('201 POST /groups/{id}/conversations/{id}/threads adds a thread on the conversation topic, which leads the conversation', async () => {
      const { conversationId, threadId } = await createConversation(server, allCompanyId, 'Budget', 'first thread');
      const response = await server.request('POST', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}/threads`, {
        body: { posts: [{ body: { content: 'second thread' } }] },
      });
      assertStatus(response, 201);
      const encoded = encodeURIComponent(conversationId);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#groups('${allCompanyId}')/conversations('${encoded}')/threads/$entity`);
      assert.notEqual(response.body.id, threadId);
      assert.equal(response.body.topic, 'Budget');
      const conversation = (await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}`)).body;
      assert.equal(conversation.preview, 'second thread');
      assert.equal(conversation.lastDeliveredDateTime, response.body.lastDeliveredDateTime);
      const threads = (await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}/threads`)).body.value;
      assert.deepEqual(
        threads.map((t: { id: string }) => t.id),
        [response.body.id, threadId],
      );
    });

    it('400 when topic or posts is missing, or posts holds more than one post; nothing is written', async () => {
      const before = await conversationRowCounts(server);
      const post = { body: { content: 'x' } };
      for (const body of [{ posts: [post] }, { topic: 'x' }, { topic: 'x', posts: [] }, { topic: 'x', posts: [post, post] }]) {
        assertGraphError(await server.request('POST', `/v1.0/groups/${allCompanyId}/threads`, { body }), 400, 'BadRequest');
      }
      assert.deepEqual(await conversationRowCounts(server), before);
    });

    it('404 for an unknown conversation or a security group; nothing is written', async () => {
      const before = await conversationRowCounts(server);
      const { conversationId } = await createConversation(server, allCompanyId);
      await server.request('DELETE', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}`);
      const body = { posts: [{ body: { content: 'x' } }] };
      assertGraphError(
        await server.request('POST', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}/threads`, { body }),
        404,
        'ErrorItemNotFound',
      );
      assertGraphError(await server.request('POST', `/v1.0/groups/${itAdminsId}/threads`, { body: groupThreadBody }), 404, 'ResourceNotFound');
      assert.deepEqual(await conversationRowCounts(server), before);
    });
  });
}
