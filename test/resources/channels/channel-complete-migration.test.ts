import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, mintToken } from '../../helpers/tokens.ts';
import { channels } from './channels.fixtures.ts';

const adele = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
const importBody = {
  createdDateTime: '2020-03-15T09:00:00.000Z',
  from: { user: { id: adele, displayName: 'Adele Vance', userIdentityType: 'aadUser' } },
  body: { contentType: 'html', content: 'Hello World' },
};

for (const dialect of testDialects()) {
  describe(`migration mode and channel-complete-migration on ${dialect}`, () => {
    let server: TestServer;
    let channel: string;
    before(async () => {
      server = await startTestServer(dialect);
      const created = await server.request('POST', channels, {
        body: {
          '@microsoft.graph.channelCreationMode': 'migration',
          displayName: 'Import_150958_99z',
          description: 'Import_150958_99z',
          createdDateTime: '2020-03-14T11:22:17.067Z',
        },
      });
      channel = `${channels}/${created.body.id}`;
    });
    after(() => server.close());

    it('201 imports a back-dated message from an app holding Teamwork.Migrate.All', async () => {
      const response = await server.request('POST', `${channel}/messages`, { body: importBody, headers: bearer(await appToken(server)) });
      assertStatus(response, 201);
      assert.equal(response.body.createdDateTime, '2020-03-15T09:00:00.000Z');
      assert.equal(response.body.id, String(Date.parse('2020-03-15T09:00:00.000Z')));
      assert.equal(response.body.from.user.id, adele);
    });

    it('403 for an import by an app without Teamwork.Migrate.All, or by a user', async () => {
      const narrow = await mintToken(server, { roles: ['Group.ReadWrite.All'] });
      assertGraphError(await server.request('POST', `${channel}/messages`, { body: importBody, headers: bearer(narrow) }), 403, 'Forbidden');
      assertGraphError(await server.request('POST', `${channel}/messages`, { body: importBody }), 403, 'Forbidden', /Teamwork\.Migrate\.All/);
    });

    it('400 for an ordinary message while the channel is in migration mode', async () => {
      assertGraphError(await server.request('POST', `${channel}/messages`, { body: { body: { content: 'too early' } } }), 400, 'BadRequest', /migration mode/);
    });

    it('204 completes the migration, after which imports are refused and ordinary messages accepted', async () => {
      const app = bearer(await appToken(server));
      assertGraphError(await server.request('POST', `${channel}/completeMigration`), 403, 'Forbidden');
      assertStatus(await server.request('POST', `${channel}/completeMigration`, { headers: app }), 204);
      const read = await server.request('GET', channel);
      assert.equal(read.body.migrationMode, 'completed');
      assertGraphError(await server.request('POST', `${channel}/messages`, { body: importBody, headers: app }), 400, 'BadRequest');
      assertStatus(await server.request('POST', `${channel}/messages`, { body: { body: { content: 'live now' } } }), 201);
      assertGraphError(await server.request('POST', `${channel}/completeMigration`, { headers: app }), 400, 'BadRequest', /not in migration mode/);
    });
  });
}
