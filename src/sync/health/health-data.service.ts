import { AppError, HEALTH_METRICS, type HealthMetric } from '../../core/index.js';
import type { HealthMetricRecord, HealthMetricRepository } from '../../store/index.js';
import { num, obj } from '../json-values.js';

/** One day of the day list: the headline numbers (null when not stored or empty) and its families. */
export interface HealthDaySummary {
  calendar_date: string;
  steps: number | null;
  resting_heart_rate: number | null;
  sleep_seconds: number | null;
  hrv_last_night_ms: number | null;
  stress_average: number | null;
  body_battery_high: number | null;
  body_battery_low: number | null;
  weight_kg: number | null;
  /** Families stored with data (state present), in HEALTH_METRICS order. */
  families: HealthMetric[];
  /** Epoch ms: the newest fetch of the day's families. */
  synced_at: number;
}

/** One day with every stored family (or the one asked for). */
export interface HealthDayMetrics {
  calendar_date: string;
  metrics: Partial<Record<HealthMetric, Omit<HealthMetricRecord, 'user_id' | 'calendar_date' | 'family' | 'job_id'>>>;
}

export interface HealthDayListInput {
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** The families whose payloads carry the day list's headline numbers (the big series are never loaded for it). */
const HEADLINE_FAMILIES: readonly HealthMetric[] = ['summary', 'sleep', 'hrv', 'weight'];

const order = new Map<string, number>(HEALTH_METRICS.map((m, i) => [m, i]));

/** The day list's numbers from the stored payloads of one day. */
function headline(p: Map<string, unknown> | undefined): Omit<HealthDaySummary, 'calendar_date' | 'families' | 'synced_at'> {
  const summary = obj(p?.get('summary'));
  const sleep = obj(obj(p?.get('sleep'))?.dailySleepDTO);
  const hrv = obj(obj(p?.get('hrv'))?.hrvSummary);
  const grams = num(obj(obj(p?.get('weight'))?.latestWeight)?.weight);
  return {
    steps: num(summary?.totalSteps),
    resting_heart_rate: num(summary?.restingHeartRate),
    sleep_seconds: num(sleep?.sleepTimeSeconds),
    hrv_last_night_ms: num(hrv?.lastNightAvg),
    stress_average: num(summary?.averageStressLevel),
    body_battery_high: num(summary?.bodyBatteryHighestValue),
    body_battery_low: num(summary?.bodyBatteryLowestValue),
    weight_kg: grams === null ? null : grams / 1000,
  };
}

/**
 * Reads stored health data for the API: the day list with headline numbers, and one day with its
 * families. Decides NOT_FOUND; checks the caller's AbortSignal between queries so an abandoned
 * request stops early.
 */
export class HealthDataService {
  constructor(private readonly repo: HealthMetricRepository) {}

  /** Stored days newest first, cursor-paged. */
  async listDays(
    userId: string,
    q: HealthDayListInput,
    signal?: AbortSignal,
  ): Promise<{ items: HealthDaySummary[]; next_cursor: string | null }> {
    signal?.throwIfAborted();
    const page = await this.repo.listDays(userId, q);
    signal?.throwIfAborted();
    const payloads = await this.repo.payloads(
      userId,
      page.items.map((d) => d.calendar_date),
      HEADLINE_FAMILIES,
    );
    return {
      items: page.items.map((d) => ({
        calendar_date: d.calendar_date,
        ...headline(payloads.get(d.calendar_date)),
        families: d.metrics
          .filter((m) => m.state === 'present' && order.has(m.family))
          .map((m) => m.family as HealthMetric)
          .sort((a, b) => order.get(a)! - order.get(b)!),
        synced_at: d.synced_at,
      })),
      next_cursor: page.next_cursor,
    };
  }

  /** One stored day; NOT_FOUND when nothing (or not `metric`) is stored for it. */
  async getDay(userId: string, date: string, metric?: HealthMetric, signal?: AbortSignal): Promise<HealthDayMetrics> {
    signal?.throwIfAborted();
    const rows = await this.repo.getDay(userId, date, metric ? [metric] : undefined);
    if (rows.length === 0) {
      throw new AppError('NOT_FOUND', metric ? `No ${metric} data is stored for ${date}.` : `No health data is stored for ${date}.`, {
        calendar_date: date,
        ...(metric ? { metric } : {}),
      });
    }
    const metrics: HealthDayMetrics['metrics'] = {};
    for (const r of rows.filter((x) => order.has(x.family)).sort((a, b) => order.get(a.family)! - order.get(b.family)!)) {
      metrics[r.family as HealthMetric] = {
        payload: r.payload,
        state: r.state,
        source: r.source,
        fetched_at: r.fetched_at,
        complete: r.complete,
      };
    }
    return { calendar_date: date, metrics };
  }
}
