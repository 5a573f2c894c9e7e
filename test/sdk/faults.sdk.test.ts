import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-chats';
import '@microsoft/msgraph-sdk-users';
import { graphClientOverHttp, kiotaAdapterOverHttp } from '../helpers/graph-client.ts';
import { type TestServer, assertStatus, startTestServer } from '../helpers/server.ts';
import { userToken } from '../helpers/tokens.ts';
import { seededGroupChat } from '../resources/chats/chat-fixtures.ts';

// The official SDKs' retry middleware against --faults (decision 153): a 429 or a 503 with
// Retry-After is retried after it, and the caller sees only the success. A failed request ran
// nothing, so a retried post is stored once.
const calls = 10;
const adele = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
const messagesPath = `/v1.0/chats/${seededGroupChat}/messages`;

describe('the official SDKs retry the faults teamgraph injects', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer('sqlite');
    token = await userToken(server, 'AdeleV@contoso.com');
  });
  after(() => server.close());

  /** Runs `work` with a share of Graph requests failing; how many failed meanwhile. */
  async function withFaults(work: () => Promise<void>): Promise<number> {
    assertStatus(await server.request('PUT', '/_teamgraph/faults', { body: { rate: 0.3, statuses: [429, 503], retryAfterSeconds: 1, seed: 2026 } }), 200);
    await work();
    const injected = (await server.request('GET', '/_teamgraph/faults')).body.injected as number;
    assertStatus(await server.request('PUT', '/_teamgraph/faults', { body: { rate: 0 } }), 200);
    return injected;
  }

  async function storedWith(prefix: string): Promise<number> {
    const listed = await server.request('GET', `${messagesPath}?$top=50`);
    return (listed.body.value as { body: { content: string } }[]).filter((message) => message.body.content.startsWith(prefix)).length;
  }

  it('graph-client v3 (RetryHandler): every call succeeds, each post stored once', async (t) => {
    const client = graphClientOverHttp(server.url, token);
    const injected = await withFaults(async () => {
      for (let n = 0; n < calls; n++) {
        const me = (await client.api('/me').get()) as { displayName: string };
        assert.equal(me.displayName, 'Adele Vance');
        const sent = (await client.api(`/chats/${seededGroupChat}/messages`).post({ body: { content: `v3 retried ${n}` } })) as { id: string };
        assert.match(sent.id, /^\d+$/);
      }
    });
    t.diagnostic(`${injected} faults injected and retried in ${2 * calls} calls`);
    assert.ok(injected > 0, `no fault was injected in ${2 * calls} calls: nothing was retried`);
    assert.equal(await storedWith('v3 retried'), calls);
  });

  it('Kiota v1.0 SDK (retry handler): every call succeeds, each post stored once', async (t) => {
    const client = createGraphServiceClient(kiotaAdapterOverHttp(`${server.url}/v1.0`, token));
    const injected = await withFaults(async () => {
      for (let n = 0; n < calls; n++) {
        const me = await client.users.byUserId(adele).get();
        assert.equal(me?.displayName, 'Adele Vance');
        const sent = await client.chats.byChatId(seededGroupChat).messages.post({ body: { content: `kiota retried ${n}` } });
        assert.match(sent?.id ?? '', /^\d+$/);
      }
    });
    t.diagnostic(`${injected} faults injected and retried in ${2 * calls} calls`);
    assert.ok(injected > 0, `no fault was injected in ${2 * calls} calls: nothing was retried`);
    assert.equal(await storedWith('kiota retried'), calls);
  });
});
