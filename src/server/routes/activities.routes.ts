import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ActivityDetail,
  ActivityDetails,
  ActivityDetailsQuery,
  ActivityIdParams,
  ActivityList,
  ActivityListQuery,
  ActivitySportList,
} from '../../contract/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, SyncedDataApi } from '../ports.js';
import { requestSignal } from '../request-signal.js';
import { activityView } from '../views.js';
import { ERRORS } from './schemas.js';
import { sendFit } from './send-fit.js';

/** Synced activities: a page, one with Garmin's document, and the original FIT. */
export async function activitiesRoutes(app: FastifyInstance, opts: { auth: AuthApi; data: SyncedDataApi }): Promise<void> {
  const { data } = opts;
  requireAuth(app, opts.auth);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/activities',
    {
      schema: {
        tags: ['data'],
        operationId: 'listActivities',
        summary: 'Synced activities, newest first',
        security: BEARER,
        querystring: ActivityListQuery,
        response: { 200: ActivityList, ...ERRORS },
      },
    },
    async (req, reply) => {
      const page = await data.listActivities(principalOf(req).userId, req.query, requestSignal(reply));
      return { items: page.items.map(activityView), next_cursor: page.next_cursor };
    },
  );

  // Declared before /activities/:id; find-my-way prefers the static segment anyway.
  r.get(
    '/activities/sports',
    {
      schema: {
        tags: ['data'],
        operationId: 'listActivitySports',
        summary: 'The sports of my synced activities, most frequent first',
        description: 'What `activities list --sport` can match; the CLI names them when a filter matched nothing.',
        security: BEARER,
        response: { 200: ActivitySportList, ...ERRORS },
      },
    },
    async (req, reply) => ({ items: await data.activitySports(principalOf(req).userId, requestSignal(reply)) }),
  );

  r.get(
    '/activities/:id',
    {
      schema: {
        tags: ['data'],
        operationId: 'getActivity',
        summary: 'One synced activity with Garmin’s document',
        security: BEARER,
        params: ActivityIdParams,
        response: { 200: ActivityDetail, ...ERRORS },
      },
    },
    async (req, reply) => {
      const a = await data.activity(principalOf(req).userId, req.params.id, requestSignal(reply));
      return { ...activityView(a), raw: a.raw };
    },
  );

  r.get(
    '/activities/:id/details',
    {
      schema: {
        tags: ['data'],
        operationId: 'getActivityDetails',
        summary: 'Time series and polyline of a synced activity, fetched from Garmin on demand',
        description:
          'One upstream request per call, under the account’s rate budget; nothing is stored. 404 when the activity was never synced.',
        security: BEARER,
        params: ActivityIdParams,
        querystring: ActivityDetailsQuery,
        response: { 200: ActivityDetails, ...ERRORS },
      },
    },
    async (req, reply) => ({
      activity_id: req.params.id,
      details: await data.activityDetails(principalOf(req).userId, req.params.id, req.query, requestSignal(reply)),
    }),
  );

  // Untyped reply: the 200 body is a byte stream, which the typed provider cannot express.
  app.get<{ Params: ActivityIdParams }>(
    '/activities/:id/fit',
    {
      schema: {
        tags: ['data'],
        operationId: 'downloadActivityFit',
        summary: 'The original FIT file of an activity',
        security: BEARER,
        params: ActivityIdParams,
        produces: ['application/vnd.ant.fit'],
        response: { 200: Type.String({ description: 'FIT bytes (application/vnd.ant.fit)' }), ...ERRORS },
      },
    },
    async (req, reply) => {
      const fit = await data.activityFit(principalOf(req).userId, req.params.id, requestSignal(reply));
      return sendFit(reply, fit, `${fit.activity.activity_id}.fit`);
    },
  );
}
