import type { EmuRoute } from '../http/types.js';
import { parseCalendarDate } from '../data/index.js';
import { HttpAnswer, badRequest, idParam, intParam, notFound, ok, withAccount, type Lookup } from './responses.js';

/**
 * Activity list (a JSON array, newest first), count, detail and the original-FIT download.
 * `limit` above 1000 is refused with 400 (Garmin's documented per-call maximum) rather than
 * silently clamped, so a client that asks for more finds out.
 */
export const MAX_LIST_LIMIT = 1000;

function optionalDate(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  const ms = parseCalendarDate(value);
  if (ms === undefined) throw new HttpAnswer(badRequest(`${name} must be a date (yyyy-MM-dd)`));
  return ms;
}

export function activityRoutes(lookup: Lookup): EmuRoute[] {
  return [
    {
      method: 'GET',
      host: 'connectapi',
      auth: 'bearer',
      name: 'connect.activityList',
      pattern: '/activitylist-service/activities/search/activities',
      handler: withAccount(lookup, (data, req) => {
        const start = intParam(req, 'start', 0);
        const limit = intParam(req, 'limit', 20);
        if (limit > MAX_LIST_LIMIT) throw new HttpAnswer(badRequest(`limit must be at most ${MAX_LIST_LIMIT}`));
        const sort = (req.query.get('sortOrder') ?? 'desc').toLowerCase();
        if (sort !== 'asc' && sort !== 'desc') throw new HttpAnswer(badRequest('sortOrder must be asc or desc'));
        const startDateMs = optionalDate(req.query.get('startDate'), 'startDate');
        const endDateMs = optionalDate(req.query.get('endDate'), 'endDate');
        const activityType = req.query.get('activityType') || undefined;
        return ok(data.searchActivities({ start, limit, startDateMs, endDateMs, activityType, sortOrder: sort }));
      }),
    },
    {
      method: 'GET',
      host: 'connectapi',
      auth: 'bearer',
      name: 'connect.activityCount',
      pattern: '/activitylist-service/activities/count',
      handler: withAccount(lookup, (data) => ok({ totalCount: data.activityCount() })),
    },
    {
      method: 'GET',
      host: 'connectapi',
      auth: 'bearer',
      name: 'connect.activity',
      pattern: '/activity-service/activity/:id',
      handler: withAccount(lookup, (data, req) => {
        const dto = data.activityDetail(idParam(req));
        return dto ? ok(dto) : notFound();
      }),
    },
    {
      method: 'GET',
      host: 'connectapi',
      auth: 'bearer',
      name: 'connect.downloadActivity',
      pattern: '/download-service/files/activity/:id',
      handler: withAccount(lookup, (data, req) => {
        const id = idParam(req);
        const zip = data.zipBytes(id);
        if (!zip) return notFound();
        return {
          status: 200,
          headers: { 'content-type': 'application/x-zip-compressed', 'content-disposition': `attachment; filename="${id}.zip"` },
          body: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength),
        };
      }),
    },
  ];
}
