import type { HealthMetric } from '../../core/index.js';
import type { GarminConnectLike } from '../garmin.port.js';
import { obj, type Json } from '../json-values.js';

/**
 * How each health family is fetched from Garmin (issue 13): one request per day, or — where
 * Garmin offers a date range — one request per page of days, split by day. `displayName` is
 * asked for only by the families whose path carries it (sleep, steps, race predictions).
 */
type Name = () => Promise<string>;

export interface DayFetch {
  kind: 'day';
  fetch(g: GarminConnectLike, day: string, displayName: Name, signal: AbortSignal): Promise<unknown>;
}
export interface RangeFetch {
  kind: 'range';
  /** Garmin's answer for [first, last] by calendar date (days without data absent). */
  fetch(g: GarminConnectLike, first: string, last: string, displayName: Name, signal: AbortSignal): Promise<Map<string, unknown>>;
}

const day = (fetch: DayFetch['fetch']): DayFetch => ({ kind: 'day', fetch });
const range = (fetch: RangeFetch['fetch']): RangeFetch => ({ kind: 'range', fetch });
const byKey = (rows: readonly Json[], key: (r: Json) => unknown) => {
  const out = new Map<string, unknown>();
  for (const r of rows) {
    const k = key(r);
    if (typeof k === 'string') out.set(k, r);
  }
  return out;
};

export const HEALTH_FETCH: Readonly<Record<HealthMetric, DayFetch | RangeFetch>> = {
  summary: day((g, d, _n, s) => g.getDailySummary(d, s)),
  heart_rate: day((g, d, _n, s) => g.getDailyHeartRate(d, s)),
  sleep: day(async (g, d, n, s) => g.getSleep(d, await n(), s)),
  stress: day((g, d, _n, s) => g.getStress(d, s)),
  body_battery: range(async (g, f, l, _n, s) => byKey(await g.health.getBodyBatteryReports(f, l, s), (r) => r.date)),
  hrv: day((g, d, _n, s) => g.getHrv(d, s)),
  weight: range(async (g, f, l, _n, s) => {
    const r = (await g.getWeightRange(f, l, s)) as { dailyWeightSummaries?: Json[] };
    return byKey(r.dailyWeightSummaries ?? [], (w) => w.summaryDate);
  }),
  steps: day(async (g, d, n, s) => g.health.getStepsChart(d, await n(), s)),
  respiration: day((g, d, _n, s) => g.health.getRespiration(d, s)),
  spo2: day((g, d, _n, s) => g.health.getSpo2(d, s)),
  training_readiness: day((g, d, _n, s) => g.health.getTrainingReadiness(d, s)),
  training_status: day((g, d, _n, s) => g.health.getTrainingStatus(d, s)),
  max_metrics: range(async (g, f, l, _n, s) =>
    byKey(
      await g.health.getMaxMetrics(f, l, s),
      (r) => obj(r.generic)?.calendarDate ?? obj(r.cycling)?.calendarDate ?? obj(r.heatAltitudeAcclimation)?.calendarDate,
    ),
  ),
  hydration: day((g, d, _n, s) => g.health.getHydration(d, s)),
  intensity_minutes: day((g, d, _n, s) => g.health.getIntensityMinutes(d, s)),
  floors: day((g, d, _n, s) => g.health.getFloors(d, s)),
  race_predictions: range(async (g, f, l, n, s) => byKey(await g.health.getRacePredictions(f, l, await n(), s), (r) => r.calendarDate)),
  endurance_score: day((g, d, _n, s) => g.health.getEnduranceScore(d, s)),
  hill_score: day((g, d, _n, s) => g.health.getHillScore(d, s)),
  fitness_age: day((g, d, _n, s) => g.health.getFitnessAge(d, s)),
  blood_pressure: range(async (g, f, l, _n, s) => {
    const out = new Map<string, unknown>();
    for (const r of await g.health.getBloodPressure(f, l, s)) out.set(String(r.startDate), { summaryDate: r.startDate, ...r });
    return out;
  }),
};
