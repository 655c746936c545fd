import { AppError } from './errors.js';

/**
 * The health metric families: one name per kind of daily health data Garmin keeps, stored one
 * row per (user, calendarDate, family). The sync (`--metrics`), the API contract, the CLI's help
 * and its completion all read this one list. Order is the display order.
 */
export const HEALTH_METRICS = [
  'summary',
  'heart_rate',
  'sleep',
  'stress',
  'body_battery',
  'hrv',
  'weight',
  'steps',
  'respiration',
  'spo2',
  'training_readiness',
  'training_status',
  'max_metrics',
  'hydration',
  'intensity_minutes',
  'floors',
  'race_predictions',
  'endurance_score',
  'hill_score',
  'fitness_age',
  'blood_pressure',
] as const;

export type HealthMetric = (typeof HEALTH_METRICS)[number];

/** What each family holds, one line each (CLI help, OpenAPI descriptions). */
export const HEALTH_METRIC_DESCRIPTIONS: Readonly<Record<HealthMetric, string>> = {
  summary: 'daily summary: steps, calories, distance, intensity minutes, resting heart rate, stress and body battery totals',
  heart_rate: 'heart rate every 2 minutes, resting/min/max',
  sleep: 'the night that ended on the day: stages, score, SpO2 and respiration during sleep',
  stress: 'stress level every 3 minutes with the body battery level alongside',
  body_battery: 'body battery daily report: charged, drained, the key levels of the day',
  hrv: 'heart rate variability of the night: last-night average, baseline, readings',
  weight: 'weigh-ins and body composition of the day',
  steps: 'steps in 15-minute buckets with the activity level of each',
  respiration: 'breathing rate samples, waking and sleeping averages',
  spo2: 'pulse ox: average, lowest, hourly averages during sleep',
  training_readiness: 'training readiness snapshots of the day (newest first) with their factors',
  training_status: 'training status, acute/chronic load and load balance',
  max_metrics: 'VO2max (running, cycling) and heat/altitude acclimation',
  hydration: 'water intake, goal and sweat loss',
  intensity_minutes: 'moderate and vigorous intensity minutes, the week so far and its goal',
  floors: 'floors climbed and descended in 15-minute buckets',
  race_predictions: 'predicted 5K, 10K, half-marathon and marathon times (seconds)',
  endurance_score: 'endurance score with its classification and contributors',
  hill_score: 'hill score: strength and endurance components',
  fitness_age: 'fitness age, chronological age and what improves it',
  blood_pressure: 'blood pressure measurements of the day',
};

/**
 * The families a health sync stores when no `--metrics` are given: what a daily user of Garmin's
 * health data reads every day, at a cost of about eight requests per day (the ranged endpoints —
 * weight, body battery — cost one request per job, not per day).
 */
export const DEFAULT_HEALTH_METRICS: readonly HealthMetric[] = [
  'summary',
  'heart_rate',
  'sleep',
  'stress',
  'body_battery',
  'hrv',
  'weight',
  'respiration',
  'spo2',
  'training_readiness',
];

/** `present`: Garmin had data for the day; `empty`: Garmin answered that it had none. */
export const HEALTH_METRIC_STATES = ['present', 'empty'] as const;
export type HealthMetricState = (typeof HEALTH_METRIC_STATES)[number];

/**
 * What coverage says of one family on one day (issue 15): `present` / `empty` as stored,
 * `missing` never fetched, `failed` its last fetch failed, `partial` fetched before the day ended.
 */
export const COVERAGE_STATES = ['present', 'empty', 'missing', 'failed', 'partial'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

/** Where a stored family came from: the Connect API, or an imported Garmin data export. */
export const HEALTH_METRIC_SOURCES = ['api', 'archive'] as const;
export type HealthMetricSource = (typeof HEALTH_METRIC_SOURCES)[number];

const KNOWN = new Set<string>(HEALTH_METRICS);

export function isHealthMetric(name: string): name is HealthMetric {
  return KNOWN.has(name);
}

/**
 * Parses a comma-separated metric list (`sleep,hrv`, spaces allowed) into known names in
 * {@link HEALTH_METRICS} order without duplicates; `all` means every family. An unknown or
 * empty list is VALIDATION_FAILED naming the bad entry and the valid names.
 */
export function parseHealthMetrics(list: string | readonly string[]): HealthMetric[] {
  const parts = (typeof list === 'string' ? list.split(',') : list).map((s) => s.trim()).filter((s) => s !== '');
  if (parts.includes('all')) return [...HEALTH_METRICS];
  const bad = parts.find((p) => !KNOWN.has(p));
  if (bad !== undefined || parts.length === 0) {
    const what = bad === undefined ? 'No metric was named' : `Unknown health metric "${bad.slice(0, 40)}"`;
    throw new AppError('VALIDATION_FAILED', `${what}; choose from: ${HEALTH_METRICS.join(', ')} (or all).`, { field: 'metrics' });
  }
  const chosen = new Set(parts);
  return HEALTH_METRICS.filter((m) => chosen.has(m));
}

const DAY_MS = 86_400_000;
/** The latest local midnight anywhere (UTC+14) after a calendar date's 00:00 UTC. */
const LATEST_DAY_END_MS = DAY_MS + 14 * 3_600_000;

/**
 * When the user's calendar day `date` ended, as epoch ms: Garmin's own end of the wellness day
 * (`wellnessEndTimeGmt` of the daily summary, zone-less GMT) when known, else the latest the day
 * can end anywhere. A family fetched at or after this instant is `complete`; before, the day was
 * still going on and the data is partial.
 */
export function healthDayEndMs(date: string, summary?: unknown): number {
  const end = typeof summary === 'object' && summary !== null ? (summary as Record<string, unknown>).wellnessEndTimeGmt : undefined;
  if (typeof end === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(end)) {
    const ms = Date.parse(`${end}Z`);
    if (Number.isFinite(ms)) return ms;
  }
  return Date.parse(`${date}T00:00:00Z`) + LATEST_DAY_END_MS;
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const blank = (v: unknown): boolean =>
  v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isJson(v) && Object.keys(v).length === 0);

/**
 * Whether Garmin's answer for one family and day says "no data": a 204 or JSON null, an empty
 * list, or the family's recorded no-data shape (the null-filled daily summary, the sleep DTO
 * with a null id, the all-`none` steps chart, a weigh-in list without entries…). The sync uses
 * it to store `state: 'empty'`; migration 007 uses it for the rows it converts.
 */
export function isEmptyHealthPayload(family: HealthMetric, payload: unknown): boolean {
  if (blank(payload)) return true;
  if (Array.isArray(payload)) {
    if (family === 'steps') return payload.every((b) => !isJson(b) || (b.primaryActivityLevel === 'none' && !b.steps));
    return false;
  }
  if (!isJson(payload)) return false;
  const p = payload;
  switch (family) {
    case 'summary':
      return p.totalSteps === null && p.includesWellnessData !== true;
    case 'heart_rate':
      return blank(p.heartRateValues) && p.restingHeartRate === null;
    case 'sleep':
      return !isJson(p.dailySleepDTO) || p.dailySleepDTO.id === null || p.dailySleepDTO.id === undefined;
    case 'stress':
      return blank(p.stressValuesArray) && (p.avgStressLevel === null || p.avgStressLevel === undefined);
    case 'weight':
      return blank(p.dateWeightList) && blank(p.allWeightMetrics) && !isJson(p.latestWeight);
    case 'floors':
      return blank(p.floorValuesArray);
    case 'hydration':
      return p.valueInML === null || p.valueInML === undefined;
    case 'body_battery':
      return (
        (p.charged === null || p.charged === undefined) &&
        (!Array.isArray(p.bodyBatteryValuesArray) || p.bodyBatteryValuesArray.every((v) => !Array.isArray(v) || v[1] === null))
      );
    case 'blood_pressure':
      return blank(p.measurements) && blank(p.measurementSummaries);
    default:
      // Other families: empty when every top-level value is null or an empty list/object.
      return Object.entries(p).every(
        ([k, v]) => blank(v) || k === 'userProfilePK' || k === 'userId' || k === 'calendarDate' || k === 'userProfilePk',
      );
  }
}
