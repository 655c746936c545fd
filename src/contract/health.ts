import { Type, type Static } from 'typebox';
import { HEALTH_METRICS, type HealthMetric } from '../core/index.js';
import { CalendarDate, Timestamp } from './common.js';
import { HEALTH_FAMILY_SHAPES, familyDescription } from './health-families.js';

/**
 * The health API contract (owned by the health feature; `health list|show` and coverage build on
 * it): a day list with headline numbers, and one day with every stored family.
 */
export const HealthMetricName = Type.Unsafe<HealthMetric>({
  type: 'string',
  enum: [...HEALTH_METRICS],
  description: 'A health metric family',
});

export const HealthDayListQuery = Type.Object(
  {
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660, default: 366 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type HealthDayListQuery = Static<typeof HealthDayListQuery>;

const nullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

/** One stored day with the numbers people look at first (null when that family is not stored or empty). */
export const HealthDayRow = Type.Object({
  calendar_date: CalendarDate,
  steps: nullableNumber('summary.totalSteps'),
  resting_heart_rate: nullableNumber('bpm (summary, else heart_rate)'),
  sleep_seconds: nullableNumber('sleep.dailySleepDTO.sleepTimeSeconds'),
  hrv_last_night_ms: nullableNumber('hrv.hrvSummary.lastNightAvg'),
  stress_average: nullableNumber('summary.averageStressLevel, else stress.avgStressLevel'),
  body_battery_high: nullableNumber('summary.bodyBatteryHighestValue'),
  body_battery_low: nullableNumber('summary.bodyBatteryLowestValue'),
  weight_kg: nullableNumber("the day's latest weigh-in"),
  families: Type.Array(HealthMetricName, { description: 'families stored with data (state present) for the day' }),
  synced_at: Timestamp,
});
export type HealthDayRow = Static<typeof HealthDayRow>;

export const HealthDayList = Type.Object({ items: Type.Array(HealthDayRow), next_cursor: Type.Union([Type.String(), Type.Null()]) });
export type HealthDayList = Static<typeof HealthDayList>;

export const HealthDayParams = Type.Object({ date: CalendarDate }, { additionalProperties: false });
export const HealthDayQuery = Type.Object({ metric: Type.Optional(HealthMetricName) }, { additionalProperties: false });
export type HealthDayQuery = Static<typeof HealthDayQuery>;

const entryFields = {
  state: Type.Union([Type.Literal('present'), Type.Literal('empty')], {
    description: 'empty: Garmin answered that it had no data for the day',
  }),
  source: Type.Union([Type.Literal('api'), Type.Literal('archive')]),
  fetched_at: Timestamp,
  complete: Type.Boolean({ description: 'fetched after the day had ended; false: the day was still going on (partial)' }),
};

/** One stored family of a day with its documented data shape. */
export function healthMetricEntry(family: HealthMetric) {
  return Type.Object(
    { ...entryFields, data: Type.Union([HEALTH_FAMILY_SHAPES[family], Type.Null()]) },
    { description: familyDescription(family) },
  );
}

export const HealthMetricEntry = Type.Object({ ...entryFields, data: Type.Unknown() });
export type HealthMetricEntry = Static<typeof HealthMetricEntry>;

/** GET /health/daily/{date}: every stored family of the day (only `metric` when asked). */
export const HealthDayDetail = Type.Object({
  calendar_date: CalendarDate,
  metrics: Type.Object(Object.fromEntries(HEALTH_METRICS.map((m) => [m, Type.Optional(healthMetricEntry(m))])), {
    additionalProperties: false,
  }),
});
export type HealthDayDetail = { calendar_date: string; metrics: Partial<Record<HealthMetric, HealthMetricEntry>> };
