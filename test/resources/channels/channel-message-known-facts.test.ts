import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type ServerProcess, spawnSecondInstance } from '../../helpers/processes.ts';
import { type TestServer, assertGraphError, assertStatus, startSharedTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { membershipIdOf } from '../teams/teams.fixtures.ts';
import { architectureTeamId, awaitOperation, channels, generalChannelId, leadershipChannelId, meganId, member } from './channels.fixtures.ts';

// An instance posts, and reads pages of root messages, on the access facts it last read for the caller
// and the channel, guarded by the database still holding them (docs/decisions.md 88 and 95). Each test lets
// the instance post or read once (so it remembers the facts), changes them through the other instance
// (a process of its own on the same database) or in the database behind this one's back, and checks
// the next post or page is decided as facts read afresh decide it: refused, writing nothing, or
// answered from the new facts.

const general = `${channels}/${generalChannelId}`;
const leadership = `${channels}/${leadershipChannelId}`;
const post = (content: string) => ({ body: { body: { content } } });

for (const dialect of testDialects()) {
  describe(`channel posts and pages on remembered access facts on ${dialect}`, () => {
    let server: TestServer;
    let other: ServerProcess;
    let megan: Record<string, string>;
    before(async () => {
      server = await startSharedTestServer(dialect, ['--operation-delay-ms', '20']);
      other = await spawnSecondInstance(server);
      megan = bearer(await userToken(server, 'MeganB@contoso.com'));
    });
    after(async () => {
      await other.stop();
      await server.close();
    });

    const messageCount = async (channelId: string) =>
      (await server.store.db.selectFrom('messages').select('id').where('container_id', '=', channelId).execute()).length;

    it('a member removed from a private channel can no longer post in it', async () => {
      const added = await other.request('POST', `${leadership}/members`, { body: member(meganId, []) });
      assertStatus(added, 201);
      assertStatus(await server.request('POST', `${leadership}/messages`, { ...post('while a member'), headers: megan }), 201);
      assertStatus(await other.request('DELETE', `${leadership}/members/${encodeURIComponent(added.body.id)}`), 204);
      const before = await messageCount(leadershipChannelId);
      assertGraphError(await server.request('POST', `${leadership}/messages`, { ...post('after removal'), headers: megan }), 404, 'NotFound');
      assert.equal(await messageCount(leadershipChannelId), before);
    });

    it('a member removed from a private channel can no longer read its messages', async () => {
      const added = await other.request('POST', `${leadership}/members`, { body: member(meganId, []) });
      assertStatus(added, 201);
      assertStatus(await server.request('POST', `${leadership}/messages`, { ...post('for the record'), headers: megan }), 201);
      for (let read = 0; read < 2; read++) {
        const page = await server.request('GET', `${leadership}/messages?$top=1`, { headers: megan });
        assertStatus(page, 200);
        assert.equal(page.body.value[0].body.content, 'for the record');
      }
      assertStatus(await other.request('DELETE', `${leadership}/members/${encodeURIComponent(added.body.id)}`), 204);
      assertGraphError(await server.request('GET', `${leadership}/messages?$top=1`, { headers: megan }), 404, 'NotFound');
    });

    it('a page read on facts that changed without refusing it is read afresh, and pages on', async () => {
      for (const content of ['first', 'second', 'third']) assertStatus(await server.request('POST', `${general}/messages`, post(content)), 201);
      assertStatus(await server.request('GET', `${general}/messages?$top=2`), 200);
      assertStatus(await other.request('PATCH', `${general}`, { body: { description: 'Renamed behind its back' } }), 204);
      const first = await server.request('GET', `${general}/messages?$top=2`);
      assertStatus(first, 200);
      assert.deepEqual(
        first.body.value.map((message: { body: { content: string } }) => message.body.content),
        ['third', 'second'],
      );
      const next = await server.request('GET', new URL(first.body['@odata.nextLink']).pathname + new URL(first.body['@odata.nextLink']).search);
      assertStatus(next, 200);
      assert.equal(next.body.value[0].body.content, 'first');
    });

    it('a channel put into migration mode takes only imports', async () => {
      assertStatus(await server.request('POST', `${general}/messages`, post('before migration')), 201);
      await server.store.db.updateTable('channels').set({ migration_mode: 'inProgress' }).where('id', '=', generalChannelId).execute();
      try {
        const before = await messageCount(generalChannelId);
        assertGraphError(await server.request('POST', `${general}/messages`, post('during migration')), 400, 'BadRequest', /migration mode/);
        assert.equal(await messageCount(generalChannelId), before);
      } finally {
        await server.store.db.updateTable('channels').set({ migration_mode: null }).where('id', '=', generalChannelId).execute();
      }
      assertStatus(await server.request('POST', `${general}/messages`, post('after migration')), 201);
    });

    it('an archived team refuses posts until it is unarchived', async () => {
      assertStatus(await server.request('POST', `${general}/messages`, post('before archiving')), 201);
      const archive = await other.request('POST', `/v1.0/teams/${architectureTeamId}/archive`);
      assertStatus(archive, 202);
      assert.equal((await awaitOperation(other, archive.headers.get('location') ?? '')).body.status, 'succeeded');
      const before = await messageCount(generalChannelId);
      assertGraphError(await server.request('POST', `${general}/messages`, post('while archived')), 403, 'Forbidden', /archived/);
      assert.equal(await messageCount(generalChannelId), before);
      const unarchive = await other.request('POST', `/v1.0/teams/${architectureTeamId}/unarchive`);
      assert.equal((await awaitOperation(other, unarchive.headers.get('location') ?? '')).body.status, 'succeeded');
      assertStatus(await server.request('POST', `${general}/messages`, post('after unarchiving')), 201);
    });

    it('a member removed from the team can no longer post in its channels', async () => {
      assertStatus(await server.request('POST', `${general}/messages`, { ...post('while in the team'), headers: megan }), 201);
      assertStatus(
        await other.request('DELETE', `/v1.0/teams/${architectureTeamId}/members/${encodeURIComponent(membershipIdOf(architectureTeamId, meganId))}`),
        204,
      );
      const before = await messageCount(generalChannelId);
      assertGraphError(await server.request('POST', `${general}/messages`, { ...post('after leaving'), headers: megan }), 403, 'Forbidden', /not a member/);
      assert.equal(await messageCount(generalChannelId), before);
    });
  });
}
