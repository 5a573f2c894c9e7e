import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { type Store, openStore } from '../../src/store/db.ts';
import { type Dialect, type TestDatabase, createTestDatabase } from './databases.ts';
import { type ServerProcess, databaseArgs, spawnServer } from './processes.ts';
import { type TestResponse, assertGraphError, describeResponse } from './server.ts';

/** Two teamgraph processes serving one database (an SQLite file, or a PostgreSQL database), and a connection of the test's own to it. */
export interface Pair {
  readonly servers: readonly [ServerProcess, ServerProcess];
  /** Reads the database directly, as no request can. */
  readonly store: Store;
  close(): Promise<void>;
}

/** Starts two server processes over one fresh database loaded with the demo tenant. */
export async function startPair(dialect: Dialect): Promise<Pair> {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamgraph-races-'));
  const database: TestDatabase = await createTestDatabase(dialect, path.join(tmpDir, 'teamgraph.db'));
  const started: ServerProcess[] = [];
  let store: Store | undefined;
  const close = async () => {
    await Promise.all(started.map((server) => server.stop()));
    await store?.close();
    await database.drop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  try {
    // The first migrates and seeds; the second then starts on a database that is ready.
    started.push(await spawnServer(databaseArgs(database.target)));
    started.push(await spawnServer(databaseArgs(database.target)));
    store = await openStore(database.target);
  } catch (err) {
    await close();
    throw err;
  }
  return { servers: [started[0] as ServerProcess, started[1] as ServerProcess], store, close };
}

/** Messages that outlived what they belong to: without their chat, their channel, or their root. */
export interface Orphans {
  readonly chat: number;
  readonly channel: number;
  readonly reply: number;
}

/** The orphan messages in the database, counted by a query of its own, as no request could see them. */
export async function orphanMessages(store: Store): Promise<Orphans> {
  const { rows } = await sql<{ chat: number | string; channel: number | string; reply: number | string }>`select
    (select count(*) from messages m where m.container_kind = 'chat' and not exists (select 1 from chats c where c.id = m.container_id)) as chat,
    (select count(*) from messages m where m.container_kind = 'channel' and not exists (select 1 from channels c where c.id = m.container_id)) as channel,
    (select count(*) from messages m where m.reply_to_id is not null
      and not exists (select 1 from messages r where r.container_id = m.container_id and r.id = m.reply_to_id)) as reply`.execute(store.db);
  const [row] = rows;
  return { chat: Number(row?.chat), channel: Number(row?.channel), reply: Number(row?.reply) };
}

/** How many orphan messages of each kind `after` has that `before` had not. */
export function newOrphans(before: Orphans, after: Orphans): Orphans {
  return { chat: after.chat - before.chat, channel: after.channel - before.channel, reply: after.reply - before.reply };
}

/** The ids of a container's messages that are stored, read from the database itself. */
export async function storedMessageIds(store: Store, containerId: string): Promise<Set<string>> {
  const rows = await store.db.selectFrom('messages').select('id').where('container_id', '=', containerId).execute();
  return new Set(rows.map((row) => row.id));
}

export interface Posted {
  readonly containerId: string;
  readonly response: TestResponse;
  /** Whether the answer arrived before the racing request (a delete, a reset) was sent. */
  readonly isBeforeRace: boolean;
}

export interface PostersOptions {
  /** How many posters run at once; they take turns over the servers. */
  readonly posters: number;
  /** Poster `poster`'s next post, sent to `server`: where it posted, and the answer. */
  readonly post: (server: ServerProcess, poster: number) => Promise<{ containerId: string; response: TestResponse }>;
  /** The racing request, sent once `startAfter` posts have been answered 201. */
  readonly race: () => Promise<TestResponse>;
  readonly startAfter: number;
}

// Bounds a poster whose posts keep succeeding while the racing request has not been sent yet.
const postsPerPosterMax = 100;

/**
 * Posters send one post after another, each to a server of its own, and the racing request is sent
 * while they are at it: posts are in flight on both servers before, during and after it. A poster
 * stops at its first answer other than 201 (its container is gone), or with the first post it sent
 * after the racing request was answered.
 */
export async function raceWithPosts(servers: readonly ServerProcess[], options: PostersOptions): Promise<{ posted: Posted[]; raced: TestResponse }> {
  const posted: Posted[] = [];
  let created = 0;
  let isRaceSent = false;
  let isRaceAnswered = false;
  let startRace: () => void = () => undefined;
  const raceStarts = new Promise<void>((resolve) => (startRace = resolve));
  const poster = async (index: number) => {
    const server = servers[index % servers.length] as ServerProcess;
    for (let count = 0; count < postsPerPosterMax; count++) {
      const isLast = isRaceAnswered;
      const { containerId, response } = await options.post(server, index);
      posted.push({ containerId, response, isBeforeRace: !isRaceSent });
      if (response.status !== 201 || isLast) return;
      if (++created >= options.startAfter) startRace();
    }
    startRace();
  };
  const racer = async () => {
    await raceStarts;
    isRaceSent = true;
    const response = await options.race();
    isRaceAnswered = true;
    return response;
  };
  const [raced] = await Promise.all([racer(), ...Array.from({ length: options.posters }, (_, index) => poster(index))]);
  return { posted, raced };
}

/** Every answer is 201 or Graph's 404 envelope: never a 500, never another refusal. */
export function assertCreatedOrNotFound(posted: readonly Posted[]): void {
  for (const { response } of posted) {
    if (response.status === 201) continue;
    assertGraphError(response, 404, 'NotFound');
  }
}

/** The ids of the posts to `containerId` answered 201, and whether each was answered before the race. */
export function created(posted: readonly Posted[], containerId: string): { id: string; isBeforeRace: boolean }[] {
  return posted.flatMap(({ containerId: postedTo, response, isBeforeRace }) => {
    if (postedTo !== containerId || response.status !== 201) return [];
    assert.equal(typeof response.body?.id, 'string', describeResponse(response));
    return [{ id: response.body.id as string, isBeforeRace }];
  });
}
