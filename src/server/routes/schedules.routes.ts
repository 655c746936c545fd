import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ClearScheduleQuery, ScheduleList, SetScheduleRequest } from '../../contract/index.js';
import type { ScheduleRecord } from '../../store/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, SchedulesApi } from '../ports.js';
import { scheduleView } from '../views.js';
import { ERRORS } from './schemas.js';

export interface SchedulesRoutesOptions {
  auth: AuthApi;
  schedules: SchedulesApi;
}

/** The user's sync schedules (issue 15): run by the service's workers, no cron on the user's side. */
export async function schedulesRoutes(app: FastifyInstance, opts: SchedulesRoutesOptions): Promise<void> {
  const { schedules } = opts;
  requireAuth(app, opts.auth);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const list = (items: ScheduleRecord[]) => ({
    items: items.map(scheduleView),
    min_interval_seconds: Math.round(schedules.minIntervalMs / 1000),
  });

  r.get(
    '/sync/schedules',
    {
      schema: {
        tags: ['sync'],
        operationId: 'listSyncSchedules',
        summary: 'My sync schedules',
        security: BEARER,
        response: { 200: ScheduleList, ...ERRORS },
      },
    },
    async (req) => list(await schedules.list(principalOf(req).userId)),
  );

  r.put(
    '/sync/schedules',
    {
      schema: {
        tags: ['sync'],
        operationId: 'setSyncSchedule',
        summary: 'Sync a type (or all) every N seconds',
        description:
          "Creates or replaces the schedule of `sync_type` (`all`: one per type). Each due time becomes an ordinary sync job with `trigger: schedule`, run once however many workers there are. An interval below `min_interval_seconds` is 400 `VALIDATION_FAILED`. The first run is due after the schedule's jitter.",
        security: BEARER,
        body: SetScheduleRequest,
        response: { 200: ScheduleList, ...ERRORS },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return list(await schedules.set(p.userId, p.sessionId, { sync_type: req.body.sync_type, every_ms: req.body.every_seconds * 1000 }));
    },
  );

  r.delete(
    '/sync/schedules',
    {
      schema: {
        tags: ['sync'],
        operationId: 'clearSyncSchedules',
        summary: 'Remove my schedules (of one type, or all)',
        security: BEARER,
        querystring: ClearScheduleQuery,
        response: { 200: ScheduleList, ...ERRORS },
      },
    },
    async (req) => list(await schedules.clear(principalOf(req).userId, req.query.sync_type ?? 'all')),
  );
}
