import { healthDayEndMs, isEmptyHealthPayload, type HealthMetric } from '../../core/index.js';
import type { HealthMetricWrite } from '../../store/index.js';
import type { JobContext } from '../job-context.js';
import type { CompletionStep, Syncer } from '../syncer.js';
import { addDays, checkJobDates, dateRange, utcDate } from '../dates.js';

/** Newest calendar date synced. */
export interface HealthWatermark {
  calendar_date: string;
}

/** Today and the two days before are partial on Garmin's side: always fetched again. */
const REFETCH_DAYS = 3;

/**
 * Health: one item per calendar day — daily summary, heart rate, sleep, stress + body battery,
 * HRV (null on 204) — plus the weight range fetched once per job and split by day. Range:
 * `from`/`to` when given; else from the watermark minus the re-fetch window (or
 * `healthInitialDays` back on the first run, or with `full`) up to today (UTC).
 */
export const healthSyncer: Syncer = {
  type: 'health',
  async run(ctx: JobContext): Promise<CompletionStep> {
    const { params } = ctx.job;
    checkJobDates(params, ctx.now());
    const today = utcDate(ctx.now());
    const ranged = params.from !== null || params.to !== null;
    let from: string;
    let to = params.to ?? today;
    if (params.from) from = params.from;
    else if (ranged) from = addDays(to, -(ctx.healthInitialDays - 1));
    else {
      const wm = params.full ? undefined : await ctx.store.watermarks.get<HealthWatermark>(ctx.userId, 'health');
      from = wm ? addDays(wm.calendar_date < today ? wm.calendar_date : today, -(REFETCH_DAYS - 1)) : addDays(today, -(ctx.healthInitialDays - 1));
      to = today;
    }
    const days = from <= to ? dateRange(from, to) : [];
    const doneBefore = await ctx.store.healthMetrics.storedDates(ctx.userId, from, to, ctx.job.job_id);
    const failedKeys = await ctx.store.failures.keysForJob(ctx.job.job_id);
    const todo = days.filter((d) => !doneBefore.has(d) && !failedKeys.has(`health:${d}`));
    await ctx.setTotal(days.length, doneBefore.size, days.filter((d) => failedKeys.has(`health:${d}`)).length);

    if (todo.length > 0) {
      const profile = await ctx.upstream((signal) => ctx.garmin.getSocialProfile(signal));
      const weights = await ctx.upstream((signal) => ctx.garmin.getWeightRange(todo[0]!, todo[todo.length - 1]!, signal));
      const weightByDay = new Map<string, unknown>();
      const summaries = (weights as { dailyWeightSummaries?: { summaryDate?: string }[] }).dailyWeightSummaries ?? [];
      for (const w of summaries) if (w.summaryDate) weightByDay.set(w.summaryDate, w);

      await ctx.forEachItem(todo, (d) => `health:${d}`, async (day) => {
        const summary = await ctx.upstream((s) => ctx.garmin.getDailySummary(day, s));
        const heart = await ctx.upstream((s) => ctx.garmin.getDailyHeartRate(day, s));
        const sleep = await ctx.upstream((s) => ctx.garmin.getSleep(day, profile.displayName, s));
        const stress = await ctx.upstream((s) => ctx.garmin.getStress(day, s));
        const hrv = await ctx.upstream((s) => ctx.garmin.getHrv(day, s));
        const parts = { summary, heart_rate: heart, sleep, stress, hrv, weight: weightByDay.get(day) ?? null };
        const fetchedAt = ctx.now();
        const complete = fetchedAt >= healthDayEndMs(day, summary);
        const writes: HealthMetricWrite[] = (Object.entries(parts) as [HealthMetric, unknown][]).map(([family, payload]) => ({
          family,
          payload,
          state: isEmptyHealthPayload(family, payload) ? 'empty' : 'present',
          source: 'api',
          fetched_at: fetchedAt,
          complete,
        }));
        return (tx) => tx.healthMetrics.upsertDay(ctx.userId, day, writes, ctx.job.job_id);
      });
    }

    return async (tx) => {
      if (ranged || days.length === 0) return;
      const newest = days[days.length - 1]!;
      const current = await tx.watermarks.get<HealthWatermark>(ctx.userId, 'health');
      if (!current || current.calendar_date < newest) await tx.watermarks.set(ctx.userId, 'health', { calendar_date: newest }, ctx.now());
    };
  },
};
