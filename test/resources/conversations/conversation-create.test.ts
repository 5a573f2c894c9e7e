import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { allCompanyId, conversationBody, conversationRowCounts, itAdminsId, salesId, seed004Body } from '../../helpers/conversations.ts';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';

for (const dialect of testDialects()) {
  describe(`conversation-create on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--auth', 'strict']);
    });
    after(() => server.close());
    // Strict mode guards the control plane too: the reset runs as the home tenant's admin.
    beforeEach(async () =>
      assertStatus(await server.request('POST', '/_teamgraph/reset', { headers: bearer(await userToken(server, 'AdeleV@contoso.com')) }), 204),
    );

    const post = async (groupId: string, body: unknown, upn = 'AdeleV@contoso.com') =>
      server.request('POST', `/v1.0/groups/${groupId}/conversations`, { body, headers: bearer(await userToken(server, upn)) });

    it('201 answers the seed 004 example with the conversation, its thread id and Exchange-shaped ids', async () => {
      const response = await post(allCompanyId, seed004Body);
      assertStatus(response, 201);
      assert.equal(response.body['@odata.context'], `${server.url}/v1.0/$metadata#groups('${allCompanyId}')/conversations/$entity`);
      assert.match(response.body.id, /^AAQkAD[A-Za-z0-9_-]+=$/);
      assert.equal(response.body.threads.length, 1);
      assert.match(response.body.threads[0].id, /^AAQkAD[A-Za-z0-9_-]+==$/);
      // The ids name their group: its GUID in ASCII follows the 4-byte header, as in Graph's samples.
      assert.ok(Buffer.from(response.body.id, 'base64').toString('latin1').includes(allCompanyId));
    });

    it('201 derives topic, preview, senders and delivery time, and the post holds body, sender and participants', async () => {
      const before = Date.now();
      const created = (await post(allCompanyId, seed004Body)).body;
      const conversation = (
        await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${created.id}`, {
          headers: bearer(await userToken(server, 'AdeleV@contoso.com')),
        })
      ).body;
      assert.equal(conversation.topic, 'Take your wellness days and rest');
      assert.equal(conversation.preview, 'Contoso cares about you: Rest and Recharge');
      assert.deepEqual(conversation.uniqueSenders, ['Adele Vance']);
      assert.equal(conversation.hasAttachments, false);
      assert.ok(Date.parse(conversation.lastDeliveredDateTime) >= before - 1000);
      const posts = await server.request('GET', `/v1.0/groups/${allCompanyId}/threads/${created.threads[0].id}/posts`, {
        headers: bearer(await userToken(server, 'AdeleV@contoso.com')),
      });
      assertStatus(posts, 200);
      const [first] = posts.body.value;
      assert.deepEqual(first.body, { contentType: 'html', content: 'Contoso cares about you: Rest and Recharge' });
      assert.deepEqual(first.from, { emailAddress: { name: 'Adele Vance', address: 'AdeleV@contoso.com' } });
      assert.deepEqual(first.sender, first.from);
      assert.deepEqual(first.newParticipants, [{ emailAddress: { name: 'Adele Vance', address: 'AdeleV@contoso.com' } }]);
      assert.equal(first.conversationId, created.id);
      assert.equal(first.conversationThreadId, created.threads[0].id);
      assert.equal(first.receivedDateTime, conversation.lastDeliveredDateTime);
    });

    it('201 strips markup from an html body for the preview and adds new participants to the thread recipients', async () => {
      const body = {
        topic: 'Offsite',
        threads: [
          {
            posts: [
              {
                body: { contentType: 'html', content: '<p>Bus leaves at <b>8</b> &amp; returns at 6</p>' },
                newParticipants: [{ emailAddress: { address: 'MeganB@contoso.com' } }],
              },
            ],
          },
        ],
      };
      const created = (await post(allCompanyId, body)).body;
      const headers = bearer(await userToken(server, 'AdeleV@contoso.com'));
      const conversation = (await server.request('GET', `/v1.0/groups/${allCompanyId}/conversations/${created.id}`, { headers })).body;
      assert.equal(conversation.preview, 'Bus leaves at 8 & returns at 6');
      const thread = (await server.request('GET', `/v1.0/groups/${allCompanyId}/threads/${created.threads[0].id}?$select=toRecipients`, { headers })).body;
      assert.deepEqual(
        thread.toRecipients.map((r: { emailAddress: { address: string } }) => r.emailAddress.address),
        ['allcompany@contoso.com', 'MeganB@contoso.com'],
      );
    });

    it('201 for a member of a private group; the sender is the signed-in user', async () => {
      const response = await post(salesId, conversationBody('Pipeline', 'Q3 pipeline review'), 'IsaiahL@contoso.com');
      assertStatus(response, 201);
      assert.deepEqual(response.body.uniqueSenders, ['Isaiah Langer']);
    });

    const badBodies: [string, unknown][] = [
      ['topic is missing', { threads: seed004Body.threads }],
      ['threads is missing', { topic: 'x' }],
      ['threads is empty', { topic: 'x', threads: [] }],
      ['posts is missing', { topic: 'x', threads: [{}] }],
      ['posts is empty', { topic: 'x', threads: [{ posts: [] }] }],
      ['the post has no body', { topic: 'x', threads: [{ posts: [{}] }] }],
      ['the body content is empty', conversationBody('x', '   ')],
    ];
    for (const [why, body] of badBodies) {
      it(`400 when ${why}, and nothing is written`, async () => {
        const rowsBefore = await conversationRowCounts(server);
        assertGraphError(await post(allCompanyId, body), 400, 'BadRequest');
        assert.deepEqual(await conversationRowCounts(server), rowsBefore);
      });
    }

    it('400 ErrorInvalidRecipients for a malformed participant address, and nothing is written', async () => {
      const body = {
        topic: 'x',
        threads: [{ posts: [{ body: { content: 'hi' }, newParticipants: [{ emailAddress: { name: 'Nobody', address: 'not-an-address' } }] }] }],
      };
      const rowsBefore = await conversationRowCounts(server);
      const response = await post(allCompanyId, body);
      assertGraphError(response, 400, 'ErrorInvalidRecipients', /Recipient 'not-an-address' isn't resolved/);
      assert.deepEqual(await conversationRowCounts(server), rowsBefore);
    });

    it('404 Request_ResourceNotFound for an unknown group', async () => {
      const unknown = '00000000-0000-0000-0000-000000000001';
      assertGraphError(
        await post(unknown, seed004Body),
        404,
        'Request_ResourceNotFound',
        `Resource '${unknown}' does not exist or one of its queried reference-property objects are not present.`,
      );
    });

    it('404 ResourceNotFound for a group that is not a Microsoft 365 group, and nothing is written', async () => {
      const rowsBefore = await conversationRowCounts(server);
      assertGraphError(await post(itAdminsId, seed004Body), 404, 'ResourceNotFound', 'Resource could not be discovered.');
      assert.deepEqual(await conversationRowCounts(server), rowsBefore);
    });

    it('403 ErrorAccessDenied for a caller outside a private group, and nothing is written', async () => {
      const rowsBefore = await conversationRowCounts(server);
      assertGraphError(await post(salesId, seed004Body, 'LeeG@contoso.com'), 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      assert.deepEqual(await conversationRowCounts(server), rowsBefore);
    });

    it('403 for an app-only caller: Graph supports delegated permissions only here', async () => {
      const rowsBefore = await conversationRowCounts(server);
      const response = await server.request('POST', `/v1.0/groups/${allCompanyId}/conversations`, {
        body: seed004Body,
        headers: bearer(await appToken(server)),
      });
      assertGraphError(response, 403, 'Forbidden');
      assert.deepEqual(await conversationRowCounts(server), rowsBefore);
    });

    it('403 for a delegated token without Group.ReadWrite.All', async () => {
      const token = await userToken(server, 'AdeleV@contoso.com', ['Group.Read.All']);
      const response = await server.request('POST', `/v1.0/groups/${allCompanyId}/conversations`, { body: seed004Body, headers: bearer(token) });
      assertGraphError(response, 403, 'Forbidden');
    });
  });
}
