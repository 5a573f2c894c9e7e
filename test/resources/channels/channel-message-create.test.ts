import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, demoTenantId, userToken } from '../../helpers/tokens.ts';
import { architectureTeamId, channels, generalChannelId, leadershipChannelId, meganId } from './channels.fixtures.ts';

const general = `${channels}/${generalChannelId}`;

for (const dialect of testDialects()) {
  describe(`channel-message-create, replies and reads on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('201 posts a message with channelIdentity, no chatId and an etag equal to its id', async () => {
      const response = await server.request('POST', `${general}/messages`, { body: { body: { content: 'Hello world' } } });
      assertStatus(response, 201);
      assert.equal(
        response.body['@odata.context'],
        `${server.url}/v1.0/$metadata#teams('${architectureTeamId}')/channels('19%3A0b1f4a6e8c2d4e9fa7b3c5d6e7f80912%40thread.tacv2')/messages/$entity`,
      );
      assert.match(response.body.id, /^\d{13}$/);
      assert.equal(response.body.etag, response.body.id);
      assert.deepEqual(response.body.body, { contentType: 'text', content: 'Hello world' });
      assert.deepEqual(response.body.channelIdentity, { teamId: architectureTeamId, channelId: generalChannelId });
      assert.equal(response.body.chatId, null);
      assert.equal(response.body.from.user.id, '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f');
    });

    it('201 posts replies; the list holds root messages only and $expand=replies nests them', async () => {
      const root = await server.request('POST', `${general}/messages`, { body: { subject: 'Thread', body: { contentType: 'html', content: '<p>root</p>' } } });
      const reply = await server.request('POST', `${general}/messages/${root.body.id}/replies`, { body: { body: { content: 'a reply' } } });
      assertStatus(reply, 201);
      assert.equal(reply.body.replyToId, root.body.id);
      const list = await server.request('GET', `${general}/messages`);
      assertStatus(list, 200);
      assert.ok(list.body.value.every((message: { replyToId: string | null }) => message.replyToId === null));
      assert.equal(list.body.value[0].id, root.body.id);
      const expanded = await server.request('GET', `${general}/messages?$expand=replies`);
      const thread = expanded.body.value.find((message: { id: string }) => message.id === root.body.id);
      assert.deepEqual(
        thread.replies.map((message: { id: string }) => message.id),
        [reply.body.id],
      );
      const replies = await server.request('GET', `${general}/messages/${root.body.id}/replies`);
      assert.deepEqual(
        replies.body.value.map((message: { id: string }) => message.id),
        [reply.body.id],
      );
      const one = await server.request('GET', `${general}/messages/${root.body.id}/replies/${reply.body.id}`);
      assertStatus(one, 200);
      assertGraphError(await server.request('GET', `${general}/messages/${reply.body.id}`), 404, 'NotFound');
    });

    it("lists and replies name each message's own sender", async () => {
      const megan = await userToken(server, 'MeganB@contoso.com');
      const fromAdele = await server.request('POST', `${general}/messages`, { body: { body: { content: 'from Adele' } } });
      const fromMegan = await server.request('POST', `${general}/messages`, { body: { body: { content: 'from Megan' } }, headers: bearer(megan) });
      assertStatus(fromMegan, 201);
      const reply = await server.request('POST', `${general}/messages/${fromAdele.body.id}/replies`, {
        body: { body: { content: 'Megan replies' } },
        headers: bearer(megan),
      });
      const senderOf = (messages: { id: string; from: { user: { displayName: string; tenantId: string } } }[], id: string) => {
        const user = messages.find((message) => message.id === id)?.from.user;
        return user === undefined ? undefined : [user.displayName, user.tenantId];
      };
      const list = await server.request('GET', `${general}/messages?$top=50`);
      assert.deepEqual(senderOf(list.body.value, fromAdele.body.id), ['Adele Vance', demoTenantId]);
      assert.deepEqual(senderOf(list.body.value, fromMegan.body.id), ['Megan Bowen', demoTenantId]);
      const replies = await server.request('GET', `${general}/messages/${fromAdele.body.id}/replies`);
      assert.deepEqual(senderOf(replies.body.value, reply.body.id), ['Megan Bowen', demoTenantId]);
    });

    it('a message keeps the name its sender had when it was sent (docs/decisions.md 87)', async () => {
      const megan = await userToken(server, 'MeganB@contoso.com');
      const before = await server.request('POST', `${general}/messages`, { body: { body: { content: 'before the rename' } }, headers: bearer(megan) });
      await server.store.db.updateTable('users').set({ display_name: 'Megan Bowen-Smith' }).where('id', '=', meganId).execute();
      try {
        const after = await server.request('POST', `${general}/messages`, { body: { body: { content: 'after the rename' } }, headers: bearer(megan) });
        assert.equal(after.body.from.user.displayName, 'Megan Bowen-Smith');
        const names = async (id: string) => [
          (await server.request('GET', `${general}/messages/${id}`)).body.from.user.displayName,
          (await server.request('GET', `${general}/messages?$top=50`)).body.value.find((message: { id: string }) => message.id === id).from.user.displayName,
        ];
        assert.deepEqual(await names(before.body.id), ['Megan Bowen', 'Megan Bowen']);
        assert.deepEqual(await names(after.body.id), ['Megan Bowen-Smith', 'Megan Bowen-Smith']);
      } finally {
        await server.store.db.updateTable('users').set({ display_name: 'Megan Bowen' }).where('id', '=', meganId).execute();
      }
    });

    it("$expand=replies nests each thread's own replies, newest first", async () => {
      const post = async (path: string, content: string) => (await server.request('POST', path, { body: { body: { content } } })).body.id as string;
      const first = await post(`${general}/messages`, 'first thread');
      const second = await post(`${general}/messages`, 'second thread');
      const firstOld = await post(`${general}/messages/${first}/replies`, 'first, older');
      const secondOnly = await post(`${general}/messages/${second}/replies`, 'second');
      const firstNew = await post(`${general}/messages/${first}/replies`, 'first, newer');
      const expanded = await server.request('GET', `${general}/messages?$expand=replies`);
      assertStatus(expanded, 200);
      const repliesOf = (id: string) =>
        expanded.body.value.find((message: { id: string }) => message.id === id).replies.map((reply: { id: string }) => reply.id);
      assert.deepEqual(repliesOf(first), [firstNew, firstOld]);
      assert.deepEqual(repliesOf(second), [secondOnly]);
    });

    it('GET one message with $expand=replies holds its replies, newest first, with their context', async () => {
      const post = async (path: string, content: string) => (await server.request('POST', path, { body: { body: { content } } })).body.id as string;
      const root = await post(`${general}/messages`, 'a thread read with its replies');
      const older = await post(`${general}/messages/${root}/replies`, 'older');
      const newer = await post(`${general}/messages/${root}/replies`, 'newer');
      const plain = await server.request('GET', `${general}/messages/${root}`);
      const expanded = await server.request('GET', `${general}/messages/${root}?$expand=replies`);
      assertStatus(expanded, 200);
      assert.equal(expanded.body['@odata.context'], plain.body['@odata.context']);
      assert.ok(!('replies' in plain.body));
      assert.deepEqual(
        expanded.body.replies.map((reply: { id: string; replyToId: string }) => [reply.id, reply.replyToId]),
        [
          [newer, root],
          [older, root],
        ],
      );
      assert.equal(
        expanded.body['replies@odata.context'],
        `${server.url}/v1.0/$metadata#teams('${architectureTeamId}')/channels('19%3A0b1f4a6e8c2d4e9fa7b3c5d6e7f80912%40thread.tacv2')/messages('${root}')/replies`,
      );
      const { replies: _replies, 'replies@odata.context': _context, ...rest } = expanded.body;
      assert.deepEqual(rest, plain.body);
      // A reply has no replies to expand: Graph's 400 for a relationship the entity does not have.
      assertStatus(await server.request('GET', `${general}/messages/${root}/replies/${older}?$expand=replies`), 400);
    });

    it('200 pages 20 by default, at most 50, with a nextLink that reaches every message once', async () => {
      for (let index = 0; index < 25; index++) await server.request('POST', `${general}/messages`, { body: { body: { content: `bulk ${index}` } } });
      const first = await server.request('GET', `${general}/messages`);
      assert.equal(first.body.value.length, 20);
      const seen = new Set<string>(first.body.value.map((message: { id: string }) => message.id));
      let next: string | undefined = first.body['@odata.nextLink'];
      while (next !== undefined) {
        const page = await server.request('GET', next.slice(server.url.length));
        assertStatus(page, 200);
        for (const message of page.body.value) {
          assert.ok(!seen.has(message.id));
          seen.add(message.id);
        }
        next = page.body['@odata.nextLink'];
      }
      const total = await server.store.db
        .selectFrom('messages')
        .select('id')
        .where('container_id', '=', generalChannelId)
        .where('reply_to_id', 'is', null)
        .execute();
      assert.equal(seen.size, total.length);
      assertGraphError(await server.request('GET', `${general}/messages?$top=51`), 400, 'BadRequest');
    });

    it('204 edits the sender own message, 403 for another sender', async () => {
      const posted = await server.request('POST', `${general}/messages`, { body: { body: { content: 'typo' } } });
      assertStatus(await server.request('PATCH', `${general}/messages/${posted.body.id}`, { body: { body: { content: 'fixed' } } }), 204);
      const read = await server.request('GET', `${general}/messages/${posted.body.id}`);
      assert.equal(read.body.body.content, 'fixed');
      assert.notEqual(read.body.lastEditedDateTime, null);
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(
        await server.request('PATCH', `${general}/messages/${posted.body.id}`, { body: { body: { content: 'hijack' } }, headers: bearer(megan) }),
        403,
        'Forbidden',
      );
    });

    it('204 soft-deletes and restores a message', async () => {
      const posted = await server.request('POST', `${general}/messages`, { body: { body: { content: 'oops' } } });
      assertStatus(await server.request('POST', `${general}/messages/${posted.body.id}/softDelete`), 204);
      const deleted = await server.request('GET', `${general}/messages/${posted.body.id}`);
      assert.notEqual(deleted.body.deletedDateTime, null);
      assert.equal(deleted.body.body.content, '');
      assertStatus(await server.request('POST', `${general}/messages/${posted.body.id}/undoSoftDelete`), 204);
      const restored = await server.request('GET', `${general}/messages/${posted.body.id}`);
      assert.equal(restored.body.deletedDateTime, null);
      assert.equal(restored.body.body.content, 'oops');
    });

    it('404 for private-channel messages to a team member outside the channel; 200 for its members', async () => {
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(await server.request('GET', `${channels}/${leadershipChannelId}/messages`, { headers: bearer(megan) }), 404, 'NotFound');
      const lee = await userToken(server, 'LeeG@contoso.com');
      assertStatus(await server.request('GET', `${channels}/${leadershipChannelId}/messages`, { headers: bearer(lee) }), 200);
    });

    it('404 for a reply to a message the channel does not hold, or to a reply, writing nothing', async () => {
      const root = await server.request('POST', `${general}/messages`, { body: { body: { content: 'a root' } } });
      const reply = await server.request('POST', `${general}/messages/${root.body.id}/replies`, { body: { body: { content: 'a reply' } } });
      assertStatus(reply, 201);
      const before = await server.store.db.selectFrom('messages').select('id').execute();
      for (const parent of ['1000000000000', reply.body.id as string]) {
        const response = await server.request('POST', `${general}/messages/${parent}/replies`, { body: { body: { content: 'nowhere' } } });
        assertGraphError(response, 404, 'NotFound');
      }
      assert.equal((await server.store.db.selectFrom('messages').select('id').execute()).length, before.length);
    });

    it('400 when body is missing, writing nothing', async () => {
      const before = await server.store.db.selectFrom('messages').select('id').execute();
      assertGraphError(await server.request('POST', `${general}/messages`, { body: { subject: 'no body' } }), 400, 'BadRequest');
      assert.equal((await server.store.db.selectFrom('messages').select('id').execute()).length, before.length);
    });

    it('400 for an import into a channel not in migration mode; 403 for an app posting an ordinary message', async () => {
      const app = await appToken(server);
      assertGraphError(
        await server.request('POST', `${general}/messages`, {
          body: { createdDateTime: '2020-01-01T00:00:00Z', body: { content: 'old' } },
          headers: bearer(app),
        }),
        400,
        'BadRequest',
        /migration mode/,
      );
      assertGraphError(await server.request('POST', `${general}/messages`, { body: { body: { content: 'bot' } }, headers: bearer(app) }), 403, 'Forbidden');
    });
  });
}
