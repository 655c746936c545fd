import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ActivityDetail, ActivityList, CalendarDate, HealthDayList, WorkoutList } from '../../contract/index.js';
import { AppError } from '../../core/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, DataApi } from '../ports.js';
import { activityView, healthDayView, workoutView } from '../views.js';
import { ERRORS } from './schemas.js';

const ActivityParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,20}$' }) }, { additionalProperties: false });
const ActivityQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    sport: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
const HealthQuery = Type.Object(
  {
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660, default: 366 })),
  },
  { additionalProperties: false },
);

/** Read endpoints for what was synced: activities (list/show/FIT), health days, workouts. */
export async function dataRoutes(app: FastifyInstance, opts: { auth: AuthApi; data: DataApi }): Promise<void> {
  const { data } = opts;
  requireAuth(app, opts.auth);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/activities',
    { schema: { tags: ['data'], operationId: 'listActivities', summary: 'Synced activities, newest first', security: BEARER, querystring: ActivityQuery, response: { 200: ActivityList, ...ERRORS } } },
    async (req) => {
      const page = await data.activities.list(principalOf(req).userId, req.query);
      return { items: page.items.map(activityView), next_cursor: page.next_cursor };
    },
  );

  r.get(
    '/activities/:id',
    { schema: { tags: ['data'], operationId: 'getActivity', summary: 'One synced activity with Garmin’s document', security: BEARER, params: ActivityParams, response: { 200: ActivityDetail, ...ERRORS } } },
    async (req) => {
      const a = await data.activities.get(principalOf(req).userId, req.params.id);
      if (!a) throw new AppError('NOT_FOUND', 'No such activity has been synced.');
      return { ...activityView(a), raw: a.raw };
    },
  );

  // Untyped reply: the 200 body is a byte stream, which the typed provider cannot express.
  app.get<{ Params: { id: string } }>(
    '/activities/:id/fit',
    {
      schema: {
        tags: ['data'],
        operationId: 'downloadActivityFit',
        summary: 'The original FIT file of an activity',
        security: BEARER,
        params: ActivityParams,
        produces: ['application/vnd.ant.fit'],
        response: { 200: Type.String({ description: 'FIT bytes (application/vnd.ant.fit)' }), ...ERRORS },
      },
    },
    async (req, reply) => {
      const a = await data.activities.get(principalOf(req).userId, req.params.id);
      if (!a?.fit) throw new AppError('NOT_FOUND', 'No FIT file is stored for this activity.');
      const { stream, size } = await data.blobs.open(a.fit.sha256);
      return reply
        .type('application/vnd.ant.fit')
        .header('content-length', String(size))
        .header('content-disposition', `attachment; filename="${a.activity_id}.fit"`)
        .header('etag', `"${a.fit.sha256}"`)
        .send(stream);
    },
  );

  r.get(
    '/health/daily',
    { schema: { tags: ['data'], operationId: 'listHealthDays', summary: 'Synced health days, newest first', security: BEARER, querystring: HealthQuery, response: { 200: HealthDayList, ...ERRORS } } },
    async (req) => ({ items: (await data.health.list(principalOf(req).userId, req.query)).map(healthDayView) }),
  );

  r.get(
    '/workouts',
    { schema: { tags: ['data'], operationId: 'listWorkouts', summary: 'Synced workout definitions', security: BEARER, response: { 200: WorkoutList, ...ERRORS } } },
    async (req) => ({ items: (await data.workouts.list(principalOf(req).userId)).map(workoutView) }),
  );
}
