import type { FastifyInstance } from 'fastify';
import type { ControlService } from './control.service.ts';

export function registerControlRoutes(app: FastifyInstance, control: ControlService): void {
  app.get('/_teamgraph/health', async (_request, reply) => {
    const health = await control.health();
    return reply.code(health.status === 'ok' ? 200 : 503).send(health);
  });
  app.get('/_teamgraph/info', () => control.info());
  app.post('/_teamgraph/reset', async (_request, reply) => {
    await control.reset();
    return reply.code(204).send();
  });
}
