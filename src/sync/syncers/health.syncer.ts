import { dateMs, healthDayEndMs, isEmptyHealthPayload, type HealthMetric } from '../../core/index.js';
import type { HealthMetricWrite } from '../../store/index.js';
import { defineSyncer } from '../syncer.js';
import { addDays, checkJobDates, utcDate } from '../dates.js';

/** Newest calendar date synced. */
export interface HealthWatermark {
  calendar_date: string;
}

/** Today and the two days before are partial on Garmin's side: always fetched again. */
const REFETCH_DAYS = 3;
/** Days per page: one weight-range request covers a page. */
const PAGE_DAYS = 100;
const DAY_MS = 86_400_000;

interface HealthItem {
  key: string;
  day: string;
  /** The weights of the item's page, by day: one range request, made when the first day of the page needs it. */
  weights: () => Promise<Map<string, unknown>>;
  /** The body battery reports of the item's page, by day: one ranged request per page, like the weights. */
  batteries: () => Promise<Map<string, unknown>>;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/**
 * Health: one item per calendar day, storing every family of the default set (core's
 * DEFAULT_HEALTH_METRICS) per calendarDate: per day the summary, heart rate, sleep, stress, HRV
 * (null on 204), respiration, SpO2 and training readiness; the ranged ones — weight and body
 * battery reports — fetched once per page of days and split by day (3 requests per page + 8 per
 * day). Range: `from`/`to` when given; else from the watermark minus the re-fetch window (or
 * `healthInitialDays` back on the first run, or with `full`) up to today (UTC).
 */
export const healthSyncer = defineSyncer({
  type: 'health',
  async open(ctx) {
    const { params, user_id: userId } = ctx.job;
    checkJobDates(params, ctx.now());
    const initialDays = ctx.settings.healthInitialDays;
    const today = utcDate(ctx.now());
    const ranged = params.from !== null || params.to !== null;
    let from: string;
    let to = params.to ?? today;
    if (params.from) from = params.from;
    else if (ranged) from = addDays(to, -(initialDays - 1));
    else {
      const wm = params.full ? undefined : await ctx.stored.watermarks.get<HealthWatermark>(userId, 'health');
      from = wm ? addDays(wm.calendar_date < today ? wm.calendar_date : today, -(REFETCH_DAYS - 1)) : addDays(today, -(initialDays - 1));
      to = today;
    }
    const days = from <= to ? Math.round((dateMs(to) - dateMs(from)) / DAY_MS) + 1 : 0;
    const profile = once(() => ctx.garmin((g, signal) => g.getSocialProfile(signal)));

    return {
      expectedTotal: days,
      async *pages() {
        for (let offset = 0; offset < days; offset += PAGE_DAYS) {
          const first = addDays(from, offset);
          const count = Math.min(PAGE_DAYS, days - offset);
          const last = addDays(first, count - 1);
          const weights = once(async () => {
            const range = await ctx.garmin((g, signal) => g.getWeightRange(first, last, signal));
            const byDay = new Map<string, unknown>();
            for (const w of (range as { dailyWeightSummaries?: { summaryDate?: string }[] }).dailyWeightSummaries ?? []) {
              if (w.summaryDate) byDay.set(w.summaryDate, w);
            }
            return byDay;
          });
          const batteries = once(async () => {
            const reports = await ctx.garmin((g, signal) => g.health.getBodyBatteryReports(first, last, signal));
            return new Map<string, unknown>(reports.map((r) => [String(r.date), r]));
          });
          const page: HealthItem[] = [];
          for (let i = 0; i < count; i++) {
            const day = addDays(first, i);
            page.push({ key: `health:${day}`, day, weights, batteries });
          }
          yield page;
        }
      },
      async fetch(item: HealthItem) {
        const { day } = item;
        const { displayName } = await profile();
        const weightByDay = await item.weights();
        const summary = await ctx.garmin((g, s) => g.getDailySummary(day, s));
        const heart = await ctx.garmin((g, s) => g.getDailyHeartRate(day, s));
        const sleep = await ctx.garmin((g, s) => g.getSleep(day, displayName, s));
        const stress = await ctx.garmin((g, s) => g.getStress(day, s));
        const hrv = await ctx.garmin((g, s) => g.getHrv(day, s));
        const batteryByDay = await item.batteries();
        const respiration = await ctx.garmin((g, s) => g.health.getRespiration(day, s));
        const spo2 = await ctx.garmin((g, s) => g.health.getSpo2(day, s));
        const readiness = await ctx.garmin((g, s) => g.health.getTrainingReadiness(day, s));
        const parts: Partial<Record<HealthMetric, unknown>> = {
          summary,
          heart_rate: heart,
          sleep,
          stress,
          body_battery: batteryByDay.get(day) ?? null,
          hrv,
          weight: weightByDay.get(day) ?? null,
          respiration,
          spo2,
          training_readiness: readiness,
        };
        const fetchedAt = ctx.now();
        const complete = fetchedAt >= healthDayEndMs(day, summary);
        return (Object.entries(parts) as [HealthMetric, unknown][]).map(([family, payload]): HealthMetricWrite => ({
          family,
          payload,
          state: isEmptyHealthPayload(family, payload) ? 'empty' : 'present',
          source: 'api',
          fetched_at: fetchedAt,
          complete,
        }));
      },
      async write(tx, item, writes) {
        await tx.healthMetrics.upsertDay(userId, item.day, writes, ctx.job.job_id);
      },
      async complete(tx) {
        if (ranged || days === 0) return;
        const current = await tx.watermarks.get<HealthWatermark>(userId, 'health');
        if (!current || current.calendar_date < to) await tx.watermarks.set(userId, 'health', { calendar_date: to }, ctx.now());
      },
    };
  },
});
