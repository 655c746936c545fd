import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ERRORS } from './schemas.js';

const Probe = Type.Object({ status: Type.Literal('ok') });

/** GET /healthz (the process answers) and GET /readyz (data dir and database there, writable, not full: 503 NOT_READY otherwise). */
export async function probeRoutes(app: FastifyInstance, opts: { ready: () => Promise<void>; hide?: boolean }): Promise<void> {
  const hide = opts.hide ?? false;
  app.get(
    '/healthz',
    { schema: { hide, tags: ['probes'], operationId: 'healthz', summary: 'Liveness', security: [], response: { 200: Probe, ...ERRORS } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        hide,
        tags: ['probes'],
        operationId: 'readyz',
        summary: 'Readiness (data dir and database writable, disk not full)',
        security: [],
        response: { 200: Probe, ...ERRORS },
      },
    },
    async () => {
      await opts.ready();
      return { status: 'ok' as const };
    },
  );
}
