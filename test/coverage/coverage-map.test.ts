import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Type from 'typebox';
import type { GraphRoute } from '../../src/wire/routes.ts';
import type { Exchange } from '../helpers/traffic.ts';
import { compareWithKnownGaps, coverageMap } from './coverage-map.ts';

// The map's rules on traffic made up for them: each requirement is met by the exchange that proves
// it and by nothing that only looks like it.
const route = (operation: string, method: GraphRoute['method'], forms: [string, ...string[]], withBody: boolean) =>
  ({
    operation,
    doc: '',
    method,
    forms,
    response: null,
    permissions: { delegated: ['Chat.ReadWrite'], application: [] },
    ...(withBody ? { body: Type.Object({}) } : {}),
    handle: () => Promise.resolve({ status: 204 }),
  }) as GraphRoute;

const chatCreate = route('chat-create', 'POST', ['/chats'], true);
const chatUpdate = route('chat-update', 'PATCH', ['/chats/{chatId}'], true);
const chatList = route('chat-list', 'GET', ['/me/chats', '/users/{userId}/chats'], false);

const exchange = (file: string, operation: string, method: string, path: string, status: number, message?: string, caller = 'adele'): Exchange => ({
  file,
  operation,
  method,
  path,
  caller,
  status,
  ...(message === undefined ? {} : { code: status === 404 ? 'NotFound' : 'Forbidden', message }),
});

describe('coverage map', () => {
  it('asks a write for a read-back, 404 where every form names an object, 400 where it takes a body, and a refusal', () => {
    const map = coverageMap([chatCreate, chatUpdate, chatList], []);
    assert.deepEqual(
      map.map(({ operation, required, met }) => ({ operation, required, met })),
      [
        { operation: 'chat-create', required: ['success', 'readBack', 'badRequest', 'refusal'], met: [] },
        { operation: 'chat-update', required: ['success', 'readBack', 'notFound', 'badRequest', 'refusal'], met: [] },
        { operation: 'chat-list', required: ['success', 'refusal'], met: [] },
      ],
    );
  });

  it('counts a read-back only after the write, in the same file, of the written path, its parent or below it', () => {
    const met = (exchanges: Exchange[]) => coverageMap([chatCreate, chatUpdate], exchanges).map(({ met }) => met.includes('readBack'));
    const created = exchange('a.test.ts', 'chat-create', 'POST', '/v1.0/chats', 201);
    const updated = exchange('a.test.ts', 'chat-update', 'PATCH', '/v1.0/chats/19:x', 204);
    assert.deepEqual(met([created, exchange('a.test.ts', 'chat-get', 'GET', '/v1.0/me/chats/19:x', 200)]), [true, false]);
    assert.deepEqual(met([updated, exchange('a.test.ts', 'chat-get', 'GET', '/beta/chats/19:x', 200)]), [false, true]);
    assert.deepEqual(met([updated, exchange('a.test.ts', 'chat-list', 'GET', '/v1.0/chats', 200)]), [false, true]);
    assert.deepEqual(met([exchange('a.test.ts', 'chat-get', 'GET', '/v1.0/chats/19:x', 200), updated]), [false, false]);
    assert.deepEqual(met([updated, exchange('b.test.ts', 'chat-get', 'GET', '/v1.0/chats/19:x', 200)]), [false, false]);
    assert.deepEqual(met([updated, exchange('a.test.ts', 'chat-get', 'GET', '/v1.0/chats/19:y', 200)]), [false, false]);
    // A POST may be read back two levels up (an action's object's collection), a PATCH not.
    const hidden = exchange('a.test.ts', 'chat-create', 'POST', '/v1.0/chats/19:x/hide', 204);
    assert.deepEqual(met([hidden, exchange('a.test.ts', 'chat-list', 'GET', '/v1.0/chats', 200)]), [true, false]);
    const member = exchange('a.test.ts', 'chat-update', 'PATCH', '/v1.0/chats/19:x/members/m', 200);
    assert.deepEqual(met([member, exchange('a.test.ts', 'chat-get', 'GET', '/v1.0/chats/19:x', 200)]), [false, false]);
    assert.deepEqual(met([{ ...updated, status: 400 }, exchange('a.test.ts', 'chat-get', 'GET', '/v1.0/chats/19:x', 200)]), [false, false]);
  });

  it("does not take the token's missing scope for a refusal of the object", () => {
    const refused = (message: string) => coverageMap([chatList], [exchange('a.test.ts', 'chat-list', 'GET', '/v1.0/users/x/chats', 403, message)])[0]?.met;
    assert.deepEqual(refused("Missing scope permissions on the request. API requires one of 'Chat.Read'."), []);
    assert.deepEqual(refused('Forbidden: the caller is not the user named.'), ['refusal']);
  });

  it('takes a 404 for a refusal only where the path answered another caller and was not deleted before', () => {
    const chatGet = route('chat-get', 'GET', ['/chats/{chatId}'], false);
    const refused = (exchanges: Exchange[]) => coverageMap([chatGet], exchanges)[0]?.met.includes('refusal');
    const seen = exchange('a.test.ts', 'chat-get', 'GET', '/v1.0/chats/19:x', 200);
    const hidden = exchange('a.test.ts', 'chat-get', 'GET', '/v1.0/chats/19:x', 404, "Chat '19:x' was not found.", 'megan');
    const deleted = exchange('a.test.ts', 'chat-delete', 'DELETE', '/v1.0/chats/19:x', 204);
    assert.equal(refused([seen, hidden]), true);
    assert.equal(refused([hidden, seen]), true);
    assert.equal(refused([seen, { ...hidden, caller: 'adele' }]), false);
    assert.equal(refused([seen, { ...hidden, file: 'b.test.ts' }]), false);
    assert.equal(refused([seen, deleted, hidden]), false);
    assert.equal(refused([seen, { ...hidden, path: '/v1.0/chats/19:y' }]), false);
  });

  it('fails on a gap the list does not hold, and on a listed gap that is filled', () => {
    const map = coverageMap([chatList], [exchange('a.test.ts', 'chat-list', 'GET', '/v1.0/me/chats', 200)]);
    assert.deepEqual(compareWithKnownGaps(map, []), { unlisted: ['chat-list refusal'], filled: [] });
    assert.deepEqual(compareWithKnownGaps(map, [{ operation: 'chat-list', lacks: 'refusal', why: '' }]), { unlisted: [], filled: [] });
    assert.deepEqual(
      compareWithKnownGaps(map, [
        { operation: 'chat-list', lacks: 'refusal', why: '' },
        { operation: 'chat-list', lacks: 'success', why: '' },
      ]),
      {
        unlisted: [],
        filled: ['chat-list success'],
      },
    );
  });
});
