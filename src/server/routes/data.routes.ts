import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CalendarDate, HealthDayList } from '../../contract/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, DataApi } from '../ports.js';
import { healthDayView } from '../views.js';
import { ERRORS } from './schemas.js';

const HealthQuery = Type.Object(
  {
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660, default: 366 })),
  },
  { additionalProperties: false },
);

/** Read endpoints for synced health days (activities and workouts have their own route files). */
export async function dataRoutes(app: FastifyInstance, opts: { auth: AuthApi; data: DataApi }): Promise<void> {
  const { data } = opts;
  requireAuth(app, opts.auth);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/health/daily',
    { schema: { tags: ['data'], operationId: 'listHealthDays', summary: 'Synced health days, newest first', security: BEARER, querystring: HealthQuery, response: { 200: HealthDayList, ...ERRORS } } },
    async (req) => ({ items: (await data.health.list(principalOf(req).userId, req.query)).map(healthDayView) }),
  );
}
