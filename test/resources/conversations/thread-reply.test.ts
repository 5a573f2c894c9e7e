import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, conversationRowCounts, createConversation, threadPath } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';

for (const dialect of testDialects()) {
  describe(`thread-reply on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
    });
    after(() => server.close());

    it('202 with an empty body adds a post answering the latest one; conversation and thread summaries follow it', async () => {
      const adele = bearer(await userToken(server, 'AdeleV@contoso.com'));
      const megan = bearer(await userToken(server, 'MeganB@contoso.com'));
      const { conversationId, threadId } = await createConversation(server, allCompanyId, 'Lunch', 'Pizza on Friday?', adele);
      for (const conversation of [undefined, conversationId]) {
        const reply = await server.request('POST', `${threadPath(allCompanyId, threadId, conversation)}/reply`, {
          body: {
            post: {
              body: { contentType: 'html', content: '<div>Yes <i>please</i></div>' },
              newParticipants: [{ emailAddress: { address: 'LeeG@contoso.com' } }],
            },
          },
          headers: megan,
        });
        assertStatus(reply, 202);
        assert.equal(reply.text, '');
      }
      const posts = (await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts`, { headers: adele })).body.value;
      assert.equal(posts.length, 3);
      assert.equal(posts[1].inReplyTo, undefined);
      assert.deepEqual(posts[2].from, { emailAddress: { name: 'Megan Bowen', address: 'MeganB@contoso.com' } });
      const expanded = (await server.request('GET', `${threadPath(allCompanyId, threadId)}/posts?$expand=inReplyTo`, { headers: adele })).body.value;
      assert.equal(expanded[1].inReplyTo.id, posts[0].id);
      assert.equal(expanded[2].inReplyTo.id, posts[1].id);
      const conversation = (await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${conversationId}`, { headers: adele })).body;
      assert.equal(conversation.preview, 'Yes please');
      assert.deepEqual(conversation.uniqueSenders, ['Adele Vance', 'Megan Bowen']);
      assert.equal(conversation.lastDeliveredDateTime, posts[2].receivedDateTime);
      const thread = (await server.request('GET', `${threadPath(allCompanyId, threadId)}?$select=toRecipients,uniqueSenders`, { headers: adele })).body;
      assert.deepEqual(thread.uniqueSenders, ['Adele Vance', 'Megan Bowen']);
      assert.deepEqual(
        thread.toRecipients.map((r: { emailAddress: { address: string } }) => r.emailAddress.address),
        ['allcompany@contoso.com', 'LeeG@contoso.com'],
      );
    });

    it('400 for an empty body or a malformed participant; 403 for an app-only caller; nothing is written', async () => {
      const adele = bearer(await userToken(server, 'AdeleV@contoso.com'));
      const { threadId } = await createConversation(server, allCompanyId, 'Quiet', 'hello', adele);
      const before = await conversationRowCounts(server);
      const reply = (body: unknown, headers = adele) => server.request('POST', `${threadPath(allCompanyId, threadId)}/reply`, { body, headers });
      assertGraphError(await reply({}), 400, 'BadRequest');
      assertGraphError(await reply({ post: { body: { content: '' } } }), 400, 'BadRequest');
      assertGraphError(
        await reply({ post: { body: { content: 'x' }, newParticipants: [{ emailAddress: { address: 'a@@b' } }] } }),
        400,
        'ErrorInvalidRecipients',
      );
      assertGraphError(await reply({ post: { body: { content: 'x' } } }, bearer(await appToken(server))), 403, 'Forbidden');
      assert.deepEqual(await conversationRowCounts(server), before);
    });

    it('404 ErrorItemNotFound for a well-formed thread id that names no thread, nothing written', async () => {
      const adele = bearer(await userToken(server, 'AdeleV@contoso.com'));
      const { threadId } = await createConversation(server, allCompanyId, 'Unanswered', 'hello', adele);
      const before = await conversationRowCounts(server);
      const unknown = `${threadId.slice(0, -10)}AAAAAAAA==`; // the same length, another thread
      const response = await server.request('POST', `${threadPath(allCompanyId, unknown)}/reply`, {
        body: { post: { body: { content: 'x' } } },
        headers: adele,
      });
      assertGraphError(response, 404, 'ErrorItemNotFound');
      assert.deepEqual(await conversationRowCounts(server), before);
    });
  });
}
