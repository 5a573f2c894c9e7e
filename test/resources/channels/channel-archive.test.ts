import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { architectureTeamId, awaitOperation, channels, generalChannelId, leadershipChannelId, reset } from './channels.fixtures.ts';

const general = `${channels}/${generalChannelId}`;

async function operationCount(server: TestServer) {
  return Number(
    (
      await server.store.db
        .selectFrom('operations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

for (const dialect of testDialects()) {
  describe(`channel-archive and channel-unarchive on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect, ['--operation-delay-ms', '20']);
    });
    beforeEach(() => reset(server));
    after(() => server.close());

    async function accepted(path: string, operationType: string, channelId: string) {
      const response = await server.request('POST', path);
      assertStatus(response, 202);
      assert.equal(response.text, '');
      assert.equal(response.headers.get('content-length'), '0');
      const location = response.headers.get('location') ?? '';
      assert.match(location, new RegExp(`^/teams/${architectureTeamId}/operations/[0-9a-f-]{36}$`));
      const operation = await awaitOperation(server, location);
      assert.equal(operation.body.status, 'succeeded');
      assert.equal(operation.body.operationType, operationType);
      assert.equal(operation.body.targetResourceId, channelId);
    }

    it('202 archives a channel when the operation succeeds; it then refuses messages and settings changes; 202 unarchive reopens it', async () => {
      await accepted(`${general}/archive`, 'archiveChannel', generalChannelId);
      const channel = await server.request('GET', general);
      assert.equal(channel.body.isArchived, true);
      const message = { body: { content: 'Hello' } };
      assertGraphError(await server.request('POST', `${general}/messages`, { body: message }), 403, 'Forbidden', /archived/);
      assertGraphError(await server.request('PATCH', general, { body: { description: 'x' } }), 403, 'Forbidden', /archived/);
      await accepted(`${general}/unarchive`, 'unarchiveChannel', generalChannelId);
      assert.equal((await server.request('GET', general)).body.isArchived, false);
      assertStatus(await server.request('POST', `${general}/messages`, { body: message }), 201);
    });

    it('202 archives a private channel for its owner', async () => {
      await accepted(`${channels}/${leadershipChannelId}/archive`, 'archiveChannel', leadershipChannelId);
    });

    it("400 in Graph's words while the team is archived, with no operation recorded", async () => {
      await server.store.db.updateTable('teams').set({ is_archived: 1 }).where('id', '=', architectureTeamId).execute();
      const before = await operationCount(server);
      assertGraphError(
        await server.request('POST', `${general}/archive`),
        400,
        'BadRequest',
        `Team has to be active, for channel to be archived or unarchived: ${generalChannelId}`,
      );
      assertGraphError(await server.request('POST', `${general}/unarchive`), 400, 'BadRequest');
      assert.equal(await operationCount(server), before);
    });

    it('400 for a channel without an owner, 403 for a member who is not an owner, 404 for an unknown channel', async () => {
      const before = await operationCount(server);
      const megan = await userToken(server, 'MeganB@contoso.com');
      assertGraphError(await server.request('POST', `${general}/archive`, { headers: bearer(megan) }), 403, 'Forbidden');
      assertGraphError(await server.request('POST', `${channels}/19:unknown@thread.tacv2/archive`), 404, 'NotFound');
      await server.store.db.updateTable('group_members').set({ role: 'member' }).where('group_id', '=', architectureTeamId).execute();
      assertGraphError(await server.request('POST', `${general}/archive`), 400, 'BadRequest', /no owner/);
      assert.equal(await operationCount(server), before);
    });
  });
}
