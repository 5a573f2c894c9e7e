import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { channels, generalChannelId, reset } from './channels.fixtures.ts';

// channel-message-reply-update, channel-message-reply-soft-delete and channel-message-reply-undo-soft-delete
// (chatmessage-update.md, chatmessage-softdelete.md, chatmessage-undosoftdelete.md, each on a reply).
const general = `${channels}/${generalChannelId}`;

for (const dialect of testDialects()) {
  describe(`channel-message-reply-update and reply soft delete on ${dialect}`, () => {
    let server: TestServer;
    let megan: string;
    let lidia: string;
    let patti: string;
    let replyUrl: string;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());
    // Adele (an owner of the team) starts a thread; Megan, a plain member, replies to it.
    beforeEach(async () => {
      await reset(server);
      megan = await userToken(server, 'MeganB@contoso.com');
      lidia = await userToken(server, 'LidiaH@contoso.com');
      patti = await userToken(server, 'PattiF@contoso.com');
      const root = await server.request('POST', `${general}/messages`, { body: { body: { content: 'Root' } } });
      assertStatus(root, 201);
      const reply = await server.request('POST', `${general}/messages/${root.body.id}/replies`, {
        body: { body: { content: 'Original reply' } },
        headers: bearer(megan),
      });
      assertStatus(reply, 201);
      replyUrl = `${general}/messages/${root.body.id}/replies/${reply.body.id}`;
    });
    const readReply = async () => {
      const read = await server.request('GET', replyUrl);
      assertStatus(read, 200);
      return read.body;
    };

    it('204 edits the sender own reply, read back with its new body, subject and lastEditedDateTime', async () => {
      const response = await server.request('PATCH', replyUrl, {
        body: { body: { contentType: 'html', content: '<p>Edited reply</p>' }, importance: 'high' },
        headers: bearer(megan),
      });
      assertStatus(response, 204);
      const read = await readReply();
      assert.deepEqual(read.body, { contentType: 'html', content: '<p>Edited reply</p>' });
      assert.equal(read.importance, 'high');
      assert.notEqual(read.lastEditedDateTime, null);
    });

    it('400 for a property a sender cannot change, as on a chat message, with nothing written', async () => {
      const response = await server.request('PATCH', replyUrl, { body: { body: { content: 'Moved' }, replyToId: '1' }, headers: bearer(megan) });
      assertGraphError(response, 400, 'BadRequest', "The property 'replyToId' cannot be updated on a chatMessage.");
      assert.equal((await readReply()).body.content, 'Original reply');
    });

    it('403 for an edit by anyone but the sender, an owner of the team included, with nothing written', async () => {
      for (const headers of [{}, bearer(lidia), bearer(patti)]) {
        assertGraphError(await server.request('PATCH', replyUrl, { body: { body: { content: 'Hijacked' } }, headers }), 403, 'Forbidden');
      }
      const read = await readReply();
      assert.equal(read.body.content, 'Original reply');
      assert.equal(read.lastEditedDateTime, null);
    });

    it('204 soft-deletes the sender own reply and 204 undoes it, each read back', async () => {
      assertStatus(await server.request('POST', `${replyUrl}/softDelete`, { headers: bearer(megan) }), 204);
      const deleted = await readReply();
      assert.notEqual(deleted.deletedDateTime, null);
      assert.equal(deleted.body.content, '');
      assertStatus(await server.request('POST', `${replyUrl}/undoSoftDelete`, { headers: bearer(megan) }), 204);
      const restored = await readReply();
      assert.equal(restored.deletedDateTime, null);
      assert.equal(restored.body.content, 'Original reply');
    });

    it('204 soft-deletes and restores another member reply for an owner of the team', async () => {
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertStatus(await server.request('POST', `${replyUrl}/softDelete`, { headers: bearer(lee) }), 204);
      assert.notEqual((await readReply()).deletedDateTime, null);
      assertStatus(await server.request('POST', `${replyUrl}/undoSoftDelete`, { headers: bearer(lee) }), 204);
      assert.equal((await readReply()).deletedDateTime, null);
    });

    it('403 for a soft delete or its undo by a member who is neither the sender nor an owner, or by a user outside the team', async () => {
      for (const caller of [lidia, patti]) {
        assertGraphError(await server.request('POST', `${replyUrl}/softDelete`, { headers: bearer(caller) }), 403, 'Forbidden');
      }
      assert.equal((await readReply()).deletedDateTime, null);
      assertStatus(await server.request('POST', `${replyUrl}/softDelete`, { headers: bearer(megan) }), 204);
      for (const caller of [lidia, patti]) {
        assertGraphError(await server.request('POST', `${replyUrl}/undoSoftDelete`, { headers: bearer(caller) }), 403, 'Forbidden');
      }
      assert.notEqual((await readReply()).deletedDateTime, null);
    });

    it('404 for a reply that is not under the message named', async () => {
      const other = await server.request('POST', `${general}/messages`, { body: { body: { content: 'Another root' } } });
      const replyId = replyUrl.split('/').pop() as string;
      const elsewhere = `${general}/messages/${other.body.id}/replies/${replyId}`;
      assertGraphError(await server.request('PATCH', elsewhere, { body: { body: { content: 'x' } }, headers: bearer(megan) }), 404, 'NotFound');
      assertGraphError(await server.request('POST', `${elsewhere}/softDelete`, { headers: bearer(megan) }), 404, 'NotFound');
      assert.equal((await readReply()).body.content, 'Original reply');
    });
  });
}
