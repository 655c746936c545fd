import type { EmuRoute } from '../http/types.js';
import { HttpAnswer, badRequest, idParam, notFound, ok, requireOwnName, withAccount, type Lookup } from './responses.js';

/** Activity details (time series + polyline), devices and personal records. */
const bearer = { method: 'GET', host: 'connectapi', auth: 'bearer' } as const;

function size(raw: string | null, name: string, fallback: number, min: number): number {
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < min) throw new HttpAnswer(badRequest(`${name} must be an integer of at least ${min}`));
  return Number(raw);
}

export function deviceRoutes(lookup: Lookup): EmuRoute[] {
  return [
    {
      ...bearer,
      name: 'connect.activityDetails',
      pattern: '/activity-service/activity/:id/details',
      handler: withAccount(lookup, (data, req) => {
        const id = idParam(req);
        const chart = size(req.query.get('maxChartSize'), 'maxChartSize', 2000, 1);
        const poly = size(req.query.get('maxPolylineSize'), 'maxPolylineSize', 4000, 0);
        const details = data.activityDetails(id, chart, poly);
        return details ? ok(details) : notFound();
      }),
    },
    {
      ...bearer,
      name: 'connect.devices',
      pattern: '/device-service/deviceregistration/devices',
      handler: withAccount(lookup, (data) => ok(data.devices())),
    },
    {
      ...bearer,
      name: 'connect.personalRecords',
      pattern: '/personalrecord-service/personalrecord/prs/:displayName',
      handler: withAccount(lookup, (data, req) => {
        requireOwnName(data, req);
        return ok(data.personalRecords());
      }),
    },
  ];
}
