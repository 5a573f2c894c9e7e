// The `startup` case's baseline: a bare Fastify app with one route, as plain JavaScript, so that its
// start-up is Node's and Fastify's alone (docs/benchmarks.md).
/* global console */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/health', () => ({ status: 'ok' }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`);
