import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { type TestServer, assertStatus, startTestServer } from '../helpers/server.ts';
import { seededGroupChat } from '../resources/chats/chat-fixtures.ts';

// Keyset paging: walking @odata.nextLink from the first page to the last while other requests insert
// rows returns every row that existed at the start exactly once (docs/decisions.md 72).
const messages = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}/messages`;

async function walk(server: TestServer, firstPage: string, onPage: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let next: string | undefined = firstPage;
  while (next !== undefined) {
    const page = await server.request('GET', next);
    assertStatus(page, 200);
    seen.push(...page.body.value.map((item: { id: string }) => item.id));
    next = page.body['@odata.nextLink']?.slice(server.url.length);
    await onPage();
  }
  return seen;
}

for (const dialect of testDialects()) {
  describe(`paging under concurrent inserts on ${dialect}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
      for (let n = 0; n < 25; n++) assertStatus(await server.request('POST', messages, { body: { body: { content: `before ${n}` } } }), 201);
    });
    after(() => server.close());

    for (const order of ['lastModifiedDateTime desc', 'createdDateTime desc']) {
      it(`every message that existed at the start comes exactly once, ordered by ${order}`, async () => {
        const existing = (await server.request('GET', `${messages}?$top=50`)).body.value.map((item: { id: string }) => item.id);
        assert.ok(existing.length > 25);
        let written = 0;
        // A writer racing the walk, and more writes between pages.
        let walking = true;
        const writer = (async () => {
          while (walking) {
            assertStatus(await server.request('POST', messages, { body: { body: { content: `during ${written++}` } } }), 201);
          }
        })();
        const seen = await walk(server, `${messages}?$top=4&$orderby=${encodeURIComponent(order)}`, async () => {
          assertStatus(await server.request('POST', messages, { body: { body: { content: `between ${written++}` } } }), 201);
        });
        walking = false;
        await writer;
        assert.ok(written > 5, `only ${written} writes raced the walk`);
        assert.equal(new Set(seen).size, seen.length, 'a message came twice');
        for (const id of existing) assert.ok(seen.includes(id), `message ${id} was skipped`);
      });
    }

    it('a chat list walk keeps its place while new chats are created', async () => {
      const existing = (await server.request('GET', '/v1.0/chats?$top=50')).body.value.map((chat: { id: string }) => chat.id);
      const me = (await server.request('GET', '/v1.0/me')).body.id;
      const others = (await server.request('GET', `/v1.0/users?$top=20&$filter=${encodeURIComponent(`id ne ${me} and userType eq 'Member'`)}`)).body.value.map(
        (user: { id: string }) => user.id,
      );
      let created = 0;
      const seen = await walk(server, '/v1.0/chats?$top=1', async () => {
        const members = [me, others[created % others.length], others[(created + 1) % others.length]].map((id) => ({
          '@odata.type': '#microsoft.graph.aadUserConversationMember',
          roles: ['owner'],
          'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${id}')`,
        }));
        created++;
        assertStatus(await server.request('POST', '/v1.0/chats', { body: { chatType: 'group', topic: `paging ${created}`, members } }), 201);
      });
      assert.equal(new Set(seen).size, seen.length, 'a chat came twice');
      assert.deepEqual(seen.filter((id) => existing.includes(id)).sort(), [...existing].sort());
    });
  });
}
