import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allCompanyId, createConversation } from '../helpers/conversations.ts';
import { testDialects } from '../helpers/databases.ts';
import { type TestResponse, type TestServer, assertGraphError, assertStatus, startTestServer } from '../helpers/server.ts';
import { generalChannelId, mark8TeamId } from '../resources/channels/channels.fixtures.ts';
import { seededGroupChat } from '../resources/chats/chat-fixtures.ts';

// Each query option on the collection routes: what it does when it is valid, Graph's 400 when not.
const messages = `/v1.0/chats/${encodeURIComponent(seededGroupChat)}/messages`;
const eventual = { headers: { ConsistencyLevel: 'eventual' } };
const ids = (response: TestResponse): string[] => response.body.value.map((item: { id: string }) => item.id);
const q = (value: string) => encodeURIComponent(value);

for (const dialect of testDialects()) {
  describe(`query options on ${dialect}`, () => {
    let server: TestServer;
    let allUsers: { id: string; displayName: string; userType: string; accountEnabled: boolean }[];
    before(async () => {
      server = await startTestServer(dialect);
      allUsers = (await server.request('GET', '/v1.0/users?$top=999&$select=displayName,userType,accountEnabled')).body.value;
      // Enough messages in the chat for several pages.
      for (let n = 0; n < 6; n++) assertStatus(await server.request('POST', messages, { body: { body: { content: `query options ${n}` } } }), 201);
    });
    after(() => server.close());

    it('$select returns the named properties and id; 400 for an unknown property', async () => {
      const response = await server.request('GET', '/v1.0/users?$select=displayName');
      assertStatus(response, 200);
      for (const user of response.body.value) assert.deepEqual(Object.keys(user).sort(), ['displayName', 'id']);
      assertGraphError(
        await server.request('GET', '/v1.0/users?$select=nickname'),
        400,
        'BadRequest',
        "Could not find a property named 'nickname' on type 'microsoft.graph.user'.",
      );
    });

    it('$top up to the route maximum (50 for messages and chats, 999 for users); 400 beyond', async () => {
      assertStatus(await server.request('GET', `${messages}?$top=50`), 200);
      assertStatus(await server.request('GET', '/v1.0/users?$top=999'), 200);
      assertGraphError(
        await server.request('GET', `${messages}?$top=51`),
        400,
        'BadRequest',
        "Invalid page size specified: '51'. Must be between 1 and 50 inclusive.",
      );
      assertGraphError(
        await server.request('GET', '/v1.0/chats?$top=0'),
        400,
        'BadRequest',
        "Invalid page size specified: '0'. Must be between 1 and 50 inclusive.",
      );
      assertGraphError(
        await server.request('GET', '/v1.0/users?$top=1000'),
        400,
        'BadRequest',
        "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
      );
    });

    it('$filter with eq, ne, startswith, in, and, or, not on strings, enums, booleans, dates and guids', async () => {
      const filter = async (expression: string) => {
        const response = await server.request('GET', `/v1.0/users?$top=999&$filter=${q(expression)}`);
        assertStatus(response, 200);
        return ids(response).sort();
      };
      const expect = (keep: (user: (typeof allUsers)[number]) => boolean) =>
        allUsers
          .filter(keep)
          .map((user) => user.id)
          .sort();
      const megan = allUsers.find((user) => user.displayName === 'Megan Bowen');
      assert.ok(megan !== undefined);
      assert.deepEqual(await filter(`id eq ${megan.id}`), [megan.id]);
      assert.deepEqual(await filter("displayName eq 'MEGAN BOWEN'"), [megan.id]);
      assert.deepEqual(
        await filter("displayName ne 'Megan Bowen'"),
        expect((user) => user.id !== megan.id),
      );
      assert.deepEqual(
        await filter("startswith(displayName, 'me')"),
        expect((user) => user.displayName.toLowerCase().startsWith('me')),
      );
      assert.deepEqual(
        await filter("userType eq 'guest'"),
        expect((user) => user.userType === 'Guest'),
      );
      assert.deepEqual(
        await filter("userType in ('Member', 'Guest')"),
        expect(() => true),
      );
      assert.deepEqual(
        await filter('accountEnabled eq true'),
        expect((user) => user.accountEnabled),
      );
      assert.deepEqual(
        await filter('createdDateTime gt 1990-01-01T00:00:00Z and createdDateTime le 2999-12-31'),
        expect(() => true),
      );
      assert.deepEqual(await filter('createdDateTime lt 1990-01-01'), []);
      assert.deepEqual(
        await filter("not startswith(displayName, 'M') or displayName eq 'Megan Bowen'"),
        expect((user) => !user.displayName.startsWith('M') || user.id === megan.id),
      );
      assert.deepEqual(await filter("startswith(displayName, '%') or startswith(displayName, '_')"), []);
    });

    it('$filter 400 names the unknown property, the unfilterable property or the unsupported operator', async () => {
      assertGraphError(
        await server.request('GET', `/v1.0/users?$filter=${q("nickname eq 'x'")}`),
        400,
        'BadRequest',
        "Could not find a property named 'nickname' on type 'microsoft.graph.user'.",
      );
      assertGraphError(
        await server.request('GET', `/v1.0/users?$filter=${q("city eq 'x'")}`),
        400,
        'BadRequest',
        "Could not find a property named 'city' on type 'microsoft.graph.user'.",
      );
      assertGraphError(
        await server.request('GET', `${messages}?$filter=${q("body eq 'x'")}`),
        400,
        'BadRequest',
        "Unsupported or invalid query filter clause specified for property 'body' of resource 'ChatMessage'.",
      );
      assertGraphError(
        await server.request('GET', `/v1.0/users?$filter=${q("endswith(mail, '@contoso.com')")}`),
        400,
        'BadRequest',
        "Invalid filter clause: the function 'endswith' is not supported.",
      );
      assertGraphError(await server.request('GET', `/v1.0/users?$filter=${q("createdDateTime eq 'abc'")}`), 400, 'BadRequest', /incompatible types/);
      assertGraphError(
        await server.request('GET', `/v1.0/teams/${mark8TeamId}/channels/${q(generalChannelId)}/messages?$filter=${q("subject eq 'x'")}`),
        400,
        'BadRequest',
        "Query option '$filter' is not supported for this request.",
      );
    });

    it('$filter on chat messages by date with the matching $orderby, and on chats with members/any', async () => {
      const all = await server.request('GET', `${messages}?$top=50`);
      const times: string[] = all.body.value.map((message: { lastModifiedDateTime: string }) => message.lastModifiedDateTime);
      assert.deepEqual(times, [...times].sort().reverse(), 'newest modification first by default');
      const pivot = times[2] as string;
      const newer = await server.request('GET', `${messages}?$filter=${q(`lastModifiedDateTime gt ${pivot}`)}&$orderby=${q('lastModifiedDateTime desc')}`);
      assertStatus(newer, 200);
      assert.deepEqual(
        ids(newer),
        ids(all).filter((_id, index) => (times[index] as string) > pivot),
      );
      // A seeded message, its time written without milliseconds in the seed file, matches exactly.
      const seeded = await server.request('GET', `${messages}?$filter=${q('createdDateTime eq 2026-09-01T09:01:00Z')}`);
      assert.deepEqual(ids(seeded), [String(Date.parse('2026-09-01T09:01:00Z'))]);

      const chats = await server.request('GET', '/v1.0/chats?$expand=members');
      const someone: string = chats.body.value[0].members[0].userId;
      const theirs = await server.request('GET', `/v1.0/chats?$expand=members&$filter=${q(`members/any(m: m/userId eq '${someone}')`)}`);
      assertStatus(theirs, 200);
      assert.ok(theirs.body.value.length >= 1);
      for (const chat of theirs.body.value) assert.ok(chat.members.some((member: { userId: string }) => member.userId === someone));
      const expected = chats.body.value
        .filter((chat: { members: { userId: string }[] }) => chat.members.some((member) => member.userId === someone))
        .map((chat: { id: string }) => chat.id);
      assert.deepEqual(ids(theirs), expected);
      const byName = await server.request('GET', `/v1.0/chats?$filter=${q("members/any(m: startswith(m/displayName, 'zz-nobody'))")}`);
      assert.deepEqual(byName.body.value, []);
    });

    it('$orderby on the properties each route allows; 400 otherwise', async () => {
      const ascending = await server.request('GET', `/v1.0/users?$top=999&$orderby=displayName`);
      const descending = await server.request('GET', `/v1.0/users?$top=999&$orderby=${q('displayName desc')}`);
      assertStatus(descending, 200);
      assert.deepEqual(ids(descending), ids(ascending).reverse());
      const created = await server.request('GET', `${messages}?$orderby=${q('createdDateTime desc')}&$top=50`);
      assertStatus(created, 200);
      const createdTimes = created.body.value.map((message: { createdDateTime: string }) => message.createdDateTime);
      assert.deepEqual(createdTimes, [...createdTimes].sort().reverse());
      assertGraphError(
        await server.request('GET', `${messages}?$orderby=${q('createdDateTime asc')}`),
        400,
        'BadRequest',
        /'createdDateTime asc' cannot be sorted on/,
      );
      assertGraphError(await server.request('GET', `/v1.0/users?$orderby=jobTitle`), 400, 'BadRequest', /'jobTitle asc' cannot be sorted on/);
      assertGraphError(
        await server.request('GET', `/v1.0/users?$orderby=nickname`),
        400,
        'BadRequest',
        "Could not find a property named 'nickname' on type 'microsoft.graph.user'.",
      );
      assertGraphError(
        await server.request('GET', '/v1.0/me/joinedTeams?$orderby=id'),
        400,
        'BadRequest',
        "Query option '$orderby' is not supported for this request.",
      );
    });

    it('$count=true adds @odata.count of the filtered collection on the first page; directory lists need ConsistencyLevel: eventual', async () => {
      const counted = await server.request('GET', `${messages}?$count=true&$top=2`);
      assertStatus(counted, 200);
      const total = (await server.request('GET', `${messages}?$top=50`)).body.value.length;
      assert.equal(counted.body['@odata.count'], total);
      assert.equal(counted.body.value.length, 2);
      const second = await server.request('GET', counted.body['@odata.nextLink'].slice(server.url.length));
      assertStatus(second, 200);
      assert.equal(second.body['@odata.count'], undefined);
      assert.equal((await server.request('GET', `${messages}?$count=false`)).body['@odata.count'], undefined);

      const guests = await server.request('GET', `/v1.0/users?$count=true&$filter=${q("userType eq 'Guest'")}`, eventual);
      assertStatus(guests, 200);
      assert.equal(guests.body['@odata.count'], allUsers.filter((user) => user.userType === 'Guest').length);
      assertGraphError(
        await server.request('GET', '/v1.0/users?$count=true'),
        400,
        'BadRequest',
        '$count is not currently supported without the ConsistencyLevel: eventual header.',
      );
      assertGraphError(await server.request('GET', '/v1.0/groups?$count=true'), 400, 'BadRequest', /ConsistencyLevel/);
      assertGraphError(await server.request('GET', `${messages}?$count=maybe`), 400, 'BadRequest', "Invalid value 'maybe' for $count: must be true or false.");
    });

    it('$skip where Graph takes it (group conversations, threads, posts); 400 elsewhere', async () => {
      for (const topic of ['Skip one', 'Skip two', 'Skip three', 'Skip four']) await createConversation(server, allCompanyId, topic);
      const threads = `/v1.0/groups/${allCompanyId}/threads`;
      const all = await server.request('GET', `${threads}?$top=50`);
      assertStatus(all, 200);
      assert.ok(all.body.value.length >= 4);
      const skipped = await server.request('GET', `${threads}?$skip=1&$top=2`);
      assertStatus(skipped, 200);
      assert.deepEqual(ids(skipped), ids(all).slice(1, 3));
      // The nextLink drops $skip and continues after the page, not after the skip again.
      const nextLink: string = skipped.body['@odata.nextLink'];
      assert.ok(!/[?&]\$skip=/.test(nextLink), nextLink);
      assert.deepEqual(ids(await server.request('GET', nextLink.slice(server.url.length))), ids(all).slice(3, 5));
      assertGraphError(await server.request('GET', '/v1.0/users?$skip=1'), 400, 'BadRequest', "Query option '$skip' is not supported for this request.");
      assertGraphError(await server.request('GET', `${messages}?$skip=1`), 400, 'BadRequest', "Query option '$skip' is not supported for this request.");
      assertGraphError(await server.request('GET', `${threads}?$skip=-1`), 400, 'BadRequest', /\$skip/);
    });

    it('$skiptoken: absolute nextLink on the base URL; the token only pages the query it was minted for', async () => {
      const first = await server.request('GET', `${messages}?$top=2&$filter=${q('createdDateTime gt 2000-01-01')}`);
      const nextLink: string = first.body['@odata.nextLink'];
      assert.ok(nextLink.startsWith(`${server.url}${messages}?`), nextLink);
      assertStatus(await server.request('GET', nextLink.slice(server.url.length)), 200);
      const token = new URL(nextLink).searchParams.get('$skiptoken') ?? '';
      assertGraphError(await server.request('GET', `${messages}?$top=2&$skiptoken=${q(token)}`), 400, 'BadRequest', /skiptoken/);
      assertGraphError(
        await server.request('GET', `${messages}?$top=2&$orderby=${q('createdDateTime desc')}&$skiptoken=${q(token)}`),
        400,
        'BadRequest',
        /skiptoken/,
      );
      assertGraphError(await server.request('GET', `${messages}?$skiptoken=${q(`${token}x`)}`), 400, 'BadRequest', /skiptoken/);
      assertGraphError(await server.request('GET', `${messages}?$skiptoken=`), 400, 'BadRequest', /skiptoken/);
    });

    it('$expand where Graph allows it; 400 otherwise', async () => {
      const expanded = await server.request('GET', '/v1.0/chats?$expand=lastMessagePreview');
      assertStatus(expanded, 200);
      assert.ok(expanded.body.value.every((chat: object) => 'lastMessagePreview' in chat));
      assertGraphError(await server.request('GET', '/v1.0/chats?$expand=installedApps'), 400, 'BadRequest', /Could not find a property named 'installedApps'/);
      assertGraphError(
        await server.request('GET', '/v1.0/users?$expand=manager'),
        400,
        'BadRequest',
        "Query option '$expand' is not supported for this request.",
      );
    });
  });
}
