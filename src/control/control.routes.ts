import type { FastifyInstance } from 'fastify';
import type { ControlAccess } from './control.access.ts';
import type { ControlService } from './control.service.ts';

/** A control-plane operation, under /_teamgraph; never part of the Graph surface. */
export interface ControlRoute {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** The path after /_teamgraph. */
  readonly url: string;
  readonly handle: (body: unknown) => Promise<{ readonly status: number; readonly body?: unknown }>;
}

export function controlRoutes(control: ControlService): ControlRoute[] {
  return [
    { method: 'GET', url: '/info', handle: () => Promise.resolve({ status: 200, body: control.info() }) },
    {
      method: 'POST',
      url: '/reset',
      handle: async () => {
        await control.reset();
        return { status: 204 };
      },
    },
    { method: 'GET', url: '/export', handle: async () => ({ status: 200, body: await control.export() }) },
    { method: 'GET', url: '/notifications', handle: async () => ({ status: 200, body: { value: await control.recentNotifications() } }) },
    { method: 'GET', url: '/faults', handle: () => Promise.resolve({ status: 200, body: control.faults() }) },
    { method: 'PUT', url: '/faults', handle: (body) => Promise.resolve({ status: 200, body: control.setFaults(body) }) },
    // Key rotation without downtime: the new key signs at once; old keys keep verifying.
    { method: 'POST', url: '/keys/rotate', handle: async () => ({ status: 200, body: { kid: await control.rotateKeys() } }) },
  ];
}

/**
 * The control plane is one scope under /_teamgraph. Health answers anyone, as load balancers probe it;
 * every other route is registered in the inner scope, whose one hook lets a request through only if
 * `access` does, so a route added to the table is guarded from the day it exists (decision 98).
 */
export function registerControlPlane(app: FastifyInstance, control: ControlService, access: ControlAccess, routes: readonly ControlRoute[]): void {
  // The bare origin, which a browser or a curl opens first, says how to connect instead of a 400.
  app.get('/', (request) => control.welcome(`${request.protocol}://${request.host}`));
  void app.register(
    (plane, _options, done) => {
      plane.get('/health', async (_request, reply) => {
        const health = await control.health();
        return reply.code(health.status === 'ok' ? 200 : 503).send(health);
      });
      void plane.register((guarded, _guardedOptions, guardedDone) => {
        guarded.addHook('onRequest', (request) => access.authorize(request.headers.authorization));
        for (const route of routes) {
          guarded.route({
            method: route.method,
            url: route.url,
            handler: async (request, reply) => {
              const { status, body } = await route.handle(request.body);
              return reply.code(status).send(body);
            },
          });
        }
        guardedDone();
      });
      done();
    },
    { prefix: '/_teamgraph' },
  );
}
