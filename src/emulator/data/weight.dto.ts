import type { WeighIn } from './health.model.js';
import { formatCalendarDate } from './time.js';

/**
 * /weight-service shapes: a day view and a date range with daily summaries, previous/next
 * weigh-ins and averages (recorded key sets; null-filled shapes when there is nothing).
 */
type Json = Record<string, unknown>;

export interface DatedWeighIn extends WeighIn {
  date: string;
  offsetMs: number;
  /** Change from the previous weigh-in, in grams (null for the first one). */
  delta: number | null;
}

const EMPTY_METRIC: Json = {
  samplePk: null,
  date: null,
  calendarDate: null,
  weight: null,
  bmi: null,
  bodyFat: null,
  bodyWater: null,
  boneMass: null,
  muscleMass: null,
  physiqueRating: null,
  visceralFat: null,
  metabolicAge: null,
  sourceType: null,
  timestampGMT: null,
  weightDelta: null,
};

export function weightMetric(w: DatedWeighIn): Json {
  return {
    samplePk: w.samplePk,
    date: w.timestampMs + w.offsetMs,
    calendarDate: w.date,
    weight: w.grams,
    bmi: w.bmi,
    bodyFat: w.bodyFat,
    bodyWater: w.bodyWater,
    boneMass: w.boneMass,
    muscleMass: w.muscleMass,
    physiqueRating: null,
    visceralFat: null,
    metabolicAge: null,
    sourceType: w.source,
    timestampGMT: w.timestampMs,
    weightDelta: w.delta,
  };
}

export function average(entries: DatedWeighIn[], fromMs: number, untilMs: number): Json {
  const avg = (pick: (w: DatedWeighIn) => number | null) => {
    const values = entries.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  };
  const rounded = (v: number | null, digits: number) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
  return {
    from: fromMs,
    until: untilMs,
    weight: avg((w) => w.grams),
    bmi: rounded(
      avg((w) => w.bmi),
      1,
    ),
    bodyFat: rounded(
      avg((w) => w.bodyFat),
      1,
    ),
    bodyWater: rounded(
      avg((w) => w.bodyWater),
      1,
    ),
    boneMass: rounded(
      avg((w) => w.boneMass),
      0,
    ),
    muscleMass: rounded(
      avg((w) => w.muscleMass),
      0,
    ),
    physiqueRating: null,
    visceralFat: null,
    metabolicAge: null,
  };
}

/** `entries`: the weigh-ins of that day, newest first. */
export function weightDayView(date: string, dayMs: number, entries: DatedWeighIn[]): Json {
  return {
    startDate: date,
    endDate: date,
    dateWeightList: entries.map(weightMetric),
    totalAverage: average(entries, dayMs, dayMs + 86_399_999),
  };
}

/** `byDay`: days with weigh-ins inside the range, newest first, each newest first. */
export function weightRange(
  startMs: number,
  endMs: number,
  byDay: DatedWeighIn[][],
  previous: DatedWeighIn | undefined,
  next: DatedWeighIn | undefined,
): Json {
  const all = byDay.flat();
  return {
    dailyWeightSummaries: byDay
      .filter((entries) => entries.length > 0)
      .map((entries) => {
        const grams = entries.map((w) => w.grams);
        const latest = entries[0];
        return {
          summaryDate: latest ? latest.date : formatCalendarDate(startMs),
          numOfWeightEntries: entries.length,
          minWeight: Math.min(...grams),
          maxWeight: Math.max(...grams),
          latestWeight: latest ? weightMetric(latest) : EMPTY_METRIC,
          allWeightMetrics: entries.map(weightMetric),
        };
      }),
    totalAverage: average(all, startMs, endMs + 86_399_999),
    previousDateWeight: previous ? weightMetric(previous) : EMPTY_METRIC,
    nextDateWeight: next ? weightMetric(next) : EMPTY_METRIC,
  };
}
