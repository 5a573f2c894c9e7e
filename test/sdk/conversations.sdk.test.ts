import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, seed004Body } from '../helpers/conversations.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphClientOverHttp } from '../helpers/graph-client.ts';
import { assertGraphType } from '../helpers/graph-schema.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/tokens.ts';

for (const dialect of testDialects()) {
  describe(`graph-client v3 round trip of a group conversation on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('creates a conversation, replies to its thread and reads the posts back', async () => {
      const client = graphClientOverHttp(server.url, await userToken(server, 'AdeleV@contoso.com'));
      const conversation = await client.api(`/groups/${allCompanyId}/conversations`).post(seed004Body);
      assertGraphType('microsoft.graph.conversation', conversation);
      const threadId: string = conversation.threads[0].id;
      await client.api(`/groups/${allCompanyId}/threads/${threadId}/reply`).post({ post: { body: { contentType: 'text', content: 'Thanks, will do.' } } });
      const posts = await client.api(`/groups/${allCompanyId}/conversations/${conversation.id}/threads/${threadId}/posts`).get();
      assert.deepEqual(
        posts.value.map((post: { body: { content: string } }) => post.body.content),
        ['Contoso cares about you: Rest and Recharge', 'Thanks, will do.'],
      );
      for (const post of posts.value) assertGraphType('microsoft.graph.post', post);
      const listed = await client.api(`/groups/${allCompanyId}/conversations`).select('topic').get();
      assert.deepEqual(
        listed.value.map((c: { topic: string }) => c.topic),
        ['Take your wellness days and rest'],
      );
    });
  });
}
