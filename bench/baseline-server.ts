// The benchmark's baseline: bare Fastify routes doing the same database work as each teamgraph case
// (one point read, one one-row insert, one 50-row range read, one filtered and ordered page read),
// with nothing of teamgraph's pipeline.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { openStore } from '../src/store/db.ts';

const database = process.argv[2] ?? '';
const store = await openStore(database.startsWith('postgres') ? { kind: 'postgres', url: database } : { kind: 'sqlite', file: database, synchronous: 'normal' });
await sql`create table if not exists bench_rows (id text primary key, body text not null, created_date_time text not null)`.execute(store.db);
const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/users/:id', async (request) => store.db.selectFrom('users').selectAll().where('id', '=', request.params.id).executeTakeFirst());
app.get<{ Params: { id: string } }>('/teams/:id', async (request) => store.db.selectFrom('teams').selectAll().where('id', '=', request.params.id).executeTakeFirst());
app.get<{ Params: { id: string } }>('/chats/:id', async (request) => store.db.selectFrom('chats').selectAll().where('id', '=', request.params.id).executeTakeFirst());
app.get<{ Params: { id: string } }>('/messages/:id', async (request) =>
  store.db.selectFrom('messages').selectAll().where('container_id', '=', request.params.id).orderBy('created_date_time', 'desc').limit(50).execute(),
);
// The chat-message-filter case: one filtered, ordered page read, as teamgraph's keyset query does.
app.get<{ Params: { id: string }; Querystring: { after: string } }>('/chat-messages/:id', async (request) =>
  store.db
    .selectFrom('messages')
    .selectAll()
    .where('container_id', '=', request.params.id)
    .where('container_kind', '=', 'chat')
    .where('last_modified_date_time', '>', request.query.after)
    .orderBy('last_modified_date_time', 'desc')
    .orderBy('id', 'desc')
    .limit(51)
    .execute(),
);
app.post('/rows', async (request, reply) => {
  const row = { id: randomUUID(), body: JSON.stringify(request.body), created_date_time: new Date().toISOString() };
  await sql`insert into bench_rows (id, body, created_date_time) values (${row.id}, ${row.body}, ${row.created_date_time})`.execute(store.db);
  return reply.code(201).send(row);
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
console.log(`listening ${typeof address === 'object' && address !== null ? address.port : 0}`);
