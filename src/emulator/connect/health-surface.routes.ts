import type { EmuRoute } from '../http/types.js';
import { parseCalendarDate } from '../data/index.js';
import { HttpAnswer, badRequest, noContent, ok, requireDate, requireOwnName, withAccount, type Lookup } from './responses.js';

/**
 * The rest of Garmin's health surface (garmin-endpoints-2.md §2–§5): intraday charts, body
 * battery reports, respiration, SpO2, hydration, intensity minutes, training readiness and
 * status, VO2max, race predictions, endurance and hill score, fitness age, blood pressure, the
 * weight date range and the ranged stats. Days without data answer the recorded empty shapes
 * (204 for the scores, as recorded).
 */
const bearer = { method: 'GET', host: 'connectapi', auth: 'bearer' } as const;
/** The longest range one ranged call may ask for (GC caps race predictions at 366 days). */
const MAX_RANGE_DAYS = 366;

const ms = (d: string) => parseCalendarDate(d)!;

function range(
  start: string | null | undefined,
  end: string | null | undefined,
  names: [string, string] = ['startDate', 'endDate'],
): [number, number] {
  const s = ms(requireDate(start, names[0]));
  const e = ms(requireDate(end ?? start, names[1]));
  if (e < s) throw new HttpAnswer(badRequest(`${names[1]} must not be before ${names[0]}`));
  if ((e - s) / 86_400_000 >= MAX_RANGE_DAYS) throw new HttpAnswer(badRequest(`the range must be at most ${MAX_RANGE_DAYS} days`));
  return [s, e];
}

export function healthSurfaceRoutes(lookup: Lookup): EmuRoute[] {
  const day = (
    name: string,
    pattern: string,
    answer: (data: Parameters<Parameters<typeof withAccount>[1]>[0], dayMs: number) => unknown,
  ): EmuRoute => ({
    ...bearer,
    name,
    pattern,
    handler: withAccount(lookup, (data, req) => {
      const body = answer(data, ms(requireDate(req.params.date ?? req.query.get('calendarDate') ?? req.query.get('date'), 'date')));
      return body === undefined ? noContent() : ok(body);
    }),
  });
  const bodyBattery: EmuRoute['handler'] = withAccount(lookup, (data, req) => {
    const [s, e] = range(req.query.get('startDate'), req.query.get('endDate'));
    return ok(data.surface.bodyBatteryReports(s, e));
  });
  return [
    {
      ...bearer,
      name: 'connect.stepsChart',
      pattern: '/wellness-service/wellness/dailySummaryChart/:displayName',
      handler: withAccount(lookup, (data, req) => {
        requireOwnName(data, req);
        return ok(data.surface.stepsChart(ms(requireDate(req.query.get('date'), 'date'))));
      }),
    },
    // SB calls it with a trailing slash; the router ignores empty segments, so both forms match.
    {
      ...bearer,
      name: 'connect.bodyBatteryReports',
      pattern: '/wellness-service/wellness/bodyBattery/reports/daily',
      handler: bodyBattery,
    },
    day('connect.floors', '/wellness-service/wellness/floorsChartData/daily/:date', (d, t) => d.surface.floors(t)),
    day('connect.respiration', '/wellness-service/wellness/daily/respiration/:date', (d, t) => d.surface.respiration(t)),
    day('connect.spo2', '/wellness-service/wellness/daily/spo2/:date', (d, t) => d.surface.spo2(t)),
    day('connect.intensityMinutes', '/wellness-service/wellness/daily/im/:date', (d, t) => d.surface.intensityMinutes(t)),
    day('connect.hydration', '/usersummary-service/usersummary/hydration/daily/:date', (d, t) => d.surface.hydration(t)),
    day('connect.trainingReadiness', '/metrics-service/metrics/trainingreadiness/:date', (d, t) => d.surface.trainingReadiness(t)),
    day('connect.trainingStatus', '/metrics-service/metrics/trainingstatus/aggregated/:date', (d, t) => d.surface.trainingStatus(t)),
    day('connect.enduranceScore', '/metrics-service/metrics/endurancescore', (d, t) => d.surface.enduranceScore(t)),
    day('connect.hillScore', '/metrics-service/metrics/hillscore', (d, t) => d.surface.hillScore(t)),
    day('connect.fitnessAge', '/fitnessage-service/fitnessage/:date', (d, t) => d.surface.fitnessAge(t) ?? null),
    {
      ...bearer,
      name: 'connect.maxMetrics',
      pattern: '/metrics-service/metrics/maxmet/daily/:start/:end',
      handler: withAccount(lookup, (data, req) => ok(data.surface.maxMetrics(...range(req.params.start, req.params.end)))),
    },
    {
      ...bearer,
      name: 'connect.racePredictionsLatest',
      pattern: '/metrics-service/metrics/racepredictions/latest/:displayName',
      handler: withAccount(lookup, (data, req) => {
        requireOwnName(data, req);
        const latest = data.surface.racePredictionsLatest();
        return latest ? ok(latest) : noContent();
      }),
    },
    {
      ...bearer,
      name: 'connect.racePredictions',
      pattern: '/metrics-service/metrics/racepredictions/:aggregation/:displayName',
      handler: withAccount(lookup, (data, req) => {
        requireOwnName(data, req);
        if (req.params.aggregation !== 'daily' && req.params.aggregation !== 'monthly')
          throw new HttpAnswer(badRequest('aggregation must be daily or monthly'));
        const rows = data.surface.racePredictionsRange(
          ...range(req.query.get('fromCalendarDate'), req.query.get('toCalendarDate'), ['fromCalendarDate', 'toCalendarDate']),
        );
        // Monthly: the last row of each month.
        return ok(
          req.params.aggregation === 'daily'
            ? rows
            : rows.filter((r, i) => String(rows[i + 1]?.calendarDate ?? '').slice(0, 7) !== String(r.calendarDate).slice(0, 7)),
        );
      }),
    },
    {
      ...bearer,
      name: 'connect.bloodPressure',
      pattern: '/bloodpressure-service/bloodpressure/range/:start/:end',
      handler: withAccount(lookup, (data, req) => ok(data.surface.bloodPressure(...range(req.params.start, req.params.end)))),
    },
    {
      ...bearer,
      name: 'connect.weightDateRange',
      pattern: '/weight-service/weight/dateRange',
      handler: withAccount(lookup, (data, req) =>
        ok(data.surface.weightDateRange(...range(req.query.get('startDate'), req.query.get('endDate')))),
      ),
    },
    {
      ...bearer,
      name: 'connect.stepStats',
      pattern: '/usersummary-service/stats/steps/daily/:start/:end',
      handler: withAccount(lookup, (data, req) => ok(data.surface.stepStats(...range(req.params.start, req.params.end)))),
    },
    {
      ...bearer,
      name: 'connect.weeklySteps',
      pattern: '/usersummary-service/stats/steps/weekly/:end/:weeks',
      handler: withAccount(lookup, (data, req) => {
        const weeks = Number(req.params.weeks);
        if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52) throw new HttpAnswer(badRequest('weeks must be 1 to 52'));
        return ok(data.surface.weeklySteps(ms(requireDate(req.params.end, 'end')), weeks));
      }),
    },
    {
      ...bearer,
      name: 'connect.intensityMinuteStats',
      pattern: '/usersummary-service/stats/im/daily/:start/:end',
      handler: withAccount(lookup, (data, req) => ok(data.surface.intensityMinuteStats(...range(req.params.start, req.params.end)))),
    },
  ];
}
