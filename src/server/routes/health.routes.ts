import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HealthDayDetail, HealthDayList, HealthDayListQuery, HealthDayParams, HealthDayQuery } from '../../contract/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, HealthApi } from '../ports.js';
import { requestSignal } from '../request-signal.js';
import { healthDayDetailView, healthDayRowView } from '../views.js';
import { ERRORS } from './schemas.js';

/** Stored payloads are Garmin's JSON as sent: serialise as is, so a field Garmin retypes never breaks a read. */
const plainJson = () => (data: unknown) => JSON.stringify(data);

/** The health API: the day list and one day's families (contract in src/contract/health.ts). */
export async function healthRoutes(app: FastifyInstance, opts: { auth: AuthApi; health: HealthApi }): Promise<void> {
  const { health } = opts;
  requireAuth(app, opts.auth);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/health/daily',
    {
      schema: {
        tags: ['data'],
        operationId: 'listHealthDays',
        summary: 'Synced health days, newest first, with their headline numbers',
        security: BEARER,
        querystring: HealthDayListQuery,
        response: { 200: HealthDayList, ...ERRORS },
      },
    },
    async (req, reply) => healthDayListView(await health.listDays(principalOf(req).userId, req.query, requestSignal(reply))),
  );

  r.get(
    '/health/daily/:date',
    {
      schema: {
        tags: ['data'],
        operationId: 'getHealthDay',
        summary: "One health day: every stored family with its state, completeness and Garmin's data",
        description:
          'Each family of `metrics` documents the shape of its `data`. `?metric=NAME` returns only that family (404 when it is not stored).',
        security: BEARER,
        params: HealthDayParams,
        querystring: HealthDayQuery,
        response: { 200: HealthDayDetail, ...ERRORS },
      },
      serializerCompiler: plainJson,
    },
    async (req, reply) =>
      healthDayDetailView(await health.getDay(principalOf(req).userId, req.params.date, req.query.metric, requestSignal(reply))),
  );
}

function healthDayListView(page: Awaited<ReturnType<HealthApi['listDays']>>): HealthDayList {
  return { items: page.items.map(healthDayRowView), next_cursor: page.next_cursor };
}
