import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../helpers/databases.ts';
import { type TestServer, assertGraphError, assertStatus, startTestServer } from '../../helpers/server.ts';
import { bearer, userToken } from '../../helpers/tokens.ts';
import { demoTenant, example2, partnerTenant, users } from './chat-fixtures.ts';

// An instance makes a group chat on the member users it last read for the same references, guarded by
// the database still holding them (docs/decisions.md 99). Each test lets the instance make the chat
// once (so it remembers the users), changes the user in the database behind its back, as another
// instance would, and checks the next chat is decided as users read afresh
// decide it: refused, writing nothing, or made with the users as they are now.

for (const dialect of testDialects()) {
  describe(`group chats made on remembered member users on ${dialect}`, () => {
    let server: TestServer;
    let lee: Record<string, string>;
    before(async () => {
      server = await startTestServer(dialect);
      lee = bearer(await userToken(server, 'LeeG@contoso.com'));
    });
    after(() => server.close());

    const chatCount = async () => (await server.store.db.selectFrom('chats').select('id').execute()).length;
    const setUser = (id: string, changes: { user_type?: 'Member' | 'Guest'; tenant_id?: string }) =>
      server.store.db.updateTable('users').set(changes).where('id', '=', id).execute();

    it('a member who became a guest must then take the guest role', async () => {
      assertStatus(await server.request('POST', '/v1.0/chats', { body: example2, headers: lee }), 201);
      await setUser(users.johanna, { user_type: 'Guest' });
      try {
        const before = await chatCount();
        assertGraphError(await server.request('POST', '/v1.0/chats', { body: example2, headers: lee }), 400, 'BadRequest', /guest role/);
        assert.equal(await chatCount(), before);
      } finally {
        await setUser(users.johanna, { user_type: 'Member' });
      }
      assertStatus(await server.request('POST', '/v1.0/chats', { body: example2, headers: lee }), 201);
    });

    it('a member who moved to another tenant is made a member of that tenant', async () => {
      assertStatus(await server.request('POST', '/v1.0/chats', { body: example2, headers: lee }), 201);
      await setUser(users.isaiah, { tenant_id: partnerTenant });
      try {
        const created = await server.request('POST', '/v1.0/chats', { body: example2, headers: lee });
        assertStatus(created, 201);
        const isaiah = await server.store.db
          .selectFrom('chat_members')
          .select('tenant_id')
          .where('chat_id', '=', created.body.id)
          .where('user_id', '=', users.isaiah)
          .executeTakeFirstOrThrow();
        assert.equal(isaiah.tenant_id, partnerTenant);
      } finally {
        await setUser(users.isaiah, { tenant_id: demoTenant });
      }
    });
  });
}
