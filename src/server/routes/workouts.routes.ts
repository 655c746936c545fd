import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { WorkoutDetail, WorkoutIdParams, WorkoutList, WorkoutListQuery } from '../../contract/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, SyncedDataApi } from '../ports.js';
import { requestSignal } from '../request-signal.js';
import { workoutView } from '../views.js';
import { ERRORS } from './schemas.js';
import { sendFit } from './send-fit.js';

/** Synced workout definitions: a page by name, one with Garmin's definition, and its FIT. */
export async function workoutsRoutes(app: FastifyInstance, opts: { auth: AuthApi; data: SyncedDataApi }): Promise<void> {
  const { data } = opts;
  requireAuth(app, opts.auth);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/workouts',
    {
      schema: {
        tags: ['data'],
        operationId: 'listWorkouts',
        summary: 'Synced workout definitions, by name',
        security: BEARER,
        querystring: WorkoutListQuery,
        response: { 200: WorkoutList, ...ERRORS },
      },
    },
    async (req, reply) => {
      const page = await data.listWorkouts(principalOf(req).userId, req.query, requestSignal(reply));
      return { items: page.items.map(workoutView), next_cursor: page.next_cursor };
    },
  );

  r.get(
    '/workouts/:id',
    {
      schema: {
        tags: ['data'],
        operationId: 'getWorkout',
        summary: 'One synced workout with Garmin’s definition',
        security: BEARER,
        params: WorkoutIdParams,
        response: { 200: WorkoutDetail, ...ERRORS },
      },
    },
    async (req, reply) => {
      const w = await data.workout(principalOf(req).userId, req.params.id, requestSignal(reply));
      return { ...workoutView(w), raw: w.raw };
    },
  );

  // Untyped reply: the 200 body is a byte stream, which the typed provider cannot express.
  app.get<{ Params: WorkoutIdParams }>(
    '/workouts/:id/fit',
    {
      schema: {
        tags: ['data'],
        operationId: 'downloadWorkoutFit',
        summary: 'The FIT file of a workout (as Garmin sends it to devices)',
        security: BEARER,
        params: WorkoutIdParams,
        produces: ['application/vnd.ant.fit'],
        response: { 200: Type.String({ description: 'FIT bytes (application/vnd.ant.fit)' }), ...ERRORS },
      },
    },
    async (req, reply) => {
      const fit = await data.workoutFit(principalOf(req).userId, req.params.id, requestSignal(reply));
      return sendFit(reply, fit, `workout-${fit.workout.workout_id}.fit`);
    },
  );
}
