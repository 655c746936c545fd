import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ERRORS } from './schemas.js';

const Probe = Type.Object({ status: Type.Literal('ok') });

/** GET /healthz (the process answers) and GET /readyz (its database answers). */
export async function probeRoutes(app: FastifyInstance, opts: { ready: () => Promise<void> }): Promise<void> {
  app.get('/healthz', { schema: { tags: ['probes'], summary: 'Liveness', response: { 200: Probe } } }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', { schema: { tags: ['probes'], summary: 'Readiness (database reachable)', response: { 200: Probe, ...ERRORS } } }, async () => {
    await opts.ready();
    return { status: 'ok' as const };
  });
}
