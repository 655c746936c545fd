import type { EmuRoute } from '../http/types.js';
import { noContent, ok, requireDate, requireOwnName, withAccount, type Lookup } from './responses.js';

/**
 * Daily wellness: summary, heart rate, sleep (two services), stress + body battery, HRV.
 * Dates outside the generated range answer Garmin's "no data" shapes: null-filled summary and
 * heart rate, the null sleep DTO, a JSON `null` for stress, 204 for HRV.
 */
const bearer = { method: 'GET', host: 'connectapi', auth: 'bearer' } as const;

export function wellnessRoutes(lookup: Lookup): EmuRoute[] {
  return [
    {
      ...bearer,
      name: 'connect.dailySummary',
      pattern: '/usersummary-service/usersummary/daily/',
      handler: withAccount(lookup, (data, req) => ok(data.dailySummary(requireDate(req.query.get('calendarDate'), 'calendarDate')))),
    },
    {
      ...bearer,
      name: 'connect.dailySummaryByName',
      pattern: '/usersummary-service/usersummary/daily/:displayName',
      handler: withAccount(lookup, (data, req) => {
        requireOwnName(data, req);
        return ok(data.dailySummary(requireDate(req.query.get('calendarDate'), 'calendarDate')));
      }),
    },
    {
      ...bearer,
      name: 'connect.dailyHeartRate',
      pattern: '/wellness-service/wellness/dailyHeartRate/',
      handler: withAccount(lookup, (data, req) => ok(data.dailyHeartRate(requireDate(req.query.get('date'), 'date')))),
    },
    {
      ...bearer,
      name: 'connect.dailyHeartRateByName',
      pattern: '/wellness-service/wellness/dailyHeartRate/:displayName',
      handler: withAccount(lookup, (data, req) => {
        requireOwnName(data, req);
        return ok(data.dailyHeartRate(requireDate(req.query.get('date'), 'date')));
      }),
    },
    {
      ...bearer,
      name: 'connect.dailySleepByName',
      pattern: '/wellness-service/wellness/dailySleepData/:displayName',
      handler: withAccount(lookup, (data, req) => {
        requireOwnName(data, req);
        return ok(data.dailySleep(requireDate(req.query.get('date'), 'date'), false));
      }),
    },
    {
      ...bearer,
      name: 'connect.dailySleep',
      pattern: '/sleep-service/sleep/dailySleepData',
      handler: withAccount(lookup, (data, req) => ok(data.dailySleep(requireDate(req.query.get('date'), 'date'), true))),
    },
    {
      ...bearer,
      name: 'connect.dailyStress',
      pattern: '/wellness-service/wellness/dailyStress/:date',
      handler: withAccount(lookup, (data, req) => ok(data.dailyStress(requireDate(req.params.date, 'date')))),
    },
    {
      ...bearer,
      name: 'connect.hrv',
      pattern: '/hrv-service/hrv/:date',
      handler: withAccount(lookup, (data, req) => {
        const hrv = data.hrv(requireDate(req.params.date, 'date'));
        return hrv ? ok(hrv) : noContent();
      }),
    },
    {
      ...bearer,
      name: 'connect.weightRange',
      pattern: '/weight-service/weight/range/:start/:end',
      handler: withAccount(lookup, (data, req) =>
        ok(data.weightRange(requireDate(req.params.start, 'startDate'), requireDate(req.params.end, 'endDate'))),
      ),
    },
    {
      ...bearer,
      name: 'connect.weightDay',
      pattern: '/weight-service/weight/dayview/:date',
      handler: withAccount(lookup, (data, req) => ok(data.weightDayView(requireDate(req.params.date, 'date')))),
    },
  ];
}
