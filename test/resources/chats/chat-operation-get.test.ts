import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { appToken, bearer, userToken } from '../../helpers/tokens.ts';
import { demoTenant, example3, example4, users } from './chat-fixtures.ts';

const guid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

for (const dialect of testDialects()) {
  describe(`chat-operation-get on ${dialect}`, () => {
    let server: TestServer;
    let megan: Record<string, string>;
    let app: Record<string, string>;
    before(async () => {
      // Each step of an operation lasts a second: long enough that a loaded machine still reads every
      // status between two steps, short enough for the test.
      server = await startTestServer(dialect, ['--operation-delay-ms', '1000']);
      megan = bearer(await userToken(server, 'MeganB@contoso.com'));
      app = bearer(await appToken(server));
    });
    after(() => server.close());

    it('202 Example 3: empty body, Location in key style; the operation moves notStarted -> inProgress -> succeeded and installs the app', async () => {
      const response = await server.request('POST', '/beta/chats', { body: example3, headers: megan });
      assertStatus(response, 202);
      assert.equal(response.text, '');
      const chatId = `19:${users.miriam}_${users.megan}@unq.gbl.spaces`;
      const location = response.headers.get('location') ?? '';
      const escapedChat = chatId.replace(/[.]/g, '\\.');
      assert.match(location, new RegExp(`^/chats\\('${escapedChat}'\\)/operations\\('${demoTenant}-${guid}-${guid}'\\)$`));

      // The chat exists while the operation runs (chat-post.md).
      assertStatus(await server.request('GET', `/beta/chats/${encodeURIComponent(chatId)}`, { headers: megan }), 200);
      const seen: string[] = [];
      for (let i = 0; i < 1500 && seen.at(-1) !== 'succeeded'; i++) {
        const operation = await server.request('GET', `/beta${location}`, { headers: { ...megan, prefer: 'include-unknown-enum-members' } });
        assertStatus(operation, 200);
        assert.equal(operation.body.operationType, 'createChat');
        assert.equal(operation.body.targetResourceId, chatId);
        assert.equal(operation.body.targetResourceLocation, `/chats('${chatId}')`);
        if (seen.at(-1) !== operation.body.status) seen.push(operation.body.status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual(seen, ['notStarted', 'inProgress', 'succeeded']);
      // createChat is a beta member past unknownFutureValue: masked without the Prefer header.
      const masked = await server.request('GET', `/beta${location}`, { headers: megan });
      assert.equal(masked.body.operationType, 'unknownFutureValue');
      assert.equal(masked.body.error, null);
      const apps = await server.request('GET', `/v1.0/chats/${encodeURIComponent(chatId)}/installedApps`, { headers: megan });
      assertStatus(apps, 200);
      assert.deepEqual(
        apps.body.value.map((row: { teamsApp: { id: string } }) => row.teamsApp.id),
        ['05F59CEC-A742-4A50-A62E-202A57E478A4'],
      );
      const one = await server.request('GET', `/v1.0/chats/${encodeURIComponent(chatId)}/installedApps/${encodeURIComponent(apps.body.value[0].id)}`, {
        headers: megan,
      });
      assertStatus(one, 200);
      // A caller outside the chat is refused its operation and its apps.
      const adele = bearer(await userToken(server, 'AdeleV@contoso.com'));
      assertGraphError(await server.request('GET', `/beta${location}`, { headers: adele }), 403, 'Forbidden');
      const installation = `/v1.0/chats/${encodeURIComponent(chatId)}/installedApps/${encodeURIComponent(apps.body.value[0].id)}`;
      assertGraphError(await server.request('GET', installation, { headers: adele }), 403, 'Forbidden');
    });

    it('202 Example 4 as the app: the RSC permission set is kept on the installation; the list shows the operation', async () => {
      const response = await server.request('POST', '/beta/chats', { body: example4, headers: app });
      assertStatus(response, 202);
      const chatId = `19:${users.nestor}_${users.patti}@unq.gbl.spaces`;
      const operations = await server.request('GET', `/beta/chats/${encodeURIComponent(chatId)}/operations`, { headers: app });
      assertStatus(operations, 200);
      assert.equal(operations.body.value.length, 1);
      assert.equal(operations.body.value[0].operationType, 'unknownFutureValue');
      for (let i = 0; i < 1500; i++) {
        const apps = await server.request('GET', `/v1.0/chats/${encodeURIComponent(chatId)}/installedApps`, { headers: app });
        if (apps.body.value.length > 0) {
          assert.deepEqual(apps.body.value[0].consentedPermissionSet, example4.installedApps[0]?.consentedPermissionSet);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.fail('the app was never installed');
    });

    it('404 for an unknown operation, and the operation routes are beta only', async () => {
      const chatId = encodeURIComponent(`19:${users.miriam}_${users.megan}@unq.gbl.spaces`);
      assertGraphError(await server.request('GET', `/beta/chats/${chatId}/operations/nope`, { headers: megan }), 404, 'NotFound');
      assertGraphError(await server.request('GET', `/v1.0/chats/${chatId}/operations/nope`, { headers: megan }), 400, 'BadRequest');
    });

    it('403 for a delegated caller outside the chat', async () => {
      const chatId = encodeURIComponent(`19:${users.nestor}_${users.patti}@unq.gbl.spaces`);
      assertGraphError(await server.request('GET', `/beta/chats/${chatId}/operations`, { headers: megan }), 403, 'Forbidden');
    });
  });
}
