import {
  DEFAULT_HEALTH_METRICS,
  dateMs,
  healthDayEndMs,
  isEmptyHealthPayload,
  parseHealthMetrics,
  type HealthMetric,
} from '../../core/index.js';
import type { HealthMetricWrite } from '../../store/index.js';
import { defineSyncer, type SyncerContext } from '../syncer.js';
import { addDays, checkJobDates, utcDate } from '../dates.js';
import { computeCoverage, familiesToFetch } from '../health/coverage.js';
import { firstHealthDay } from '../health/first-day.js';
import { HEALTH_FETCH } from '../health/health-fetch.js';

/** Newest calendar date synced. */
export interface HealthWatermark {
  calendar_date: string;
}

/** Today and the two days before are partial on Garmin's side: always fetched again. */
const REFETCH_DAYS = 3;
/** Days per page: one request per ranged family covers a page. */
const PAGE_DAYS = 100;
const DAY_MS = 86_400_000;

interface HealthItem {
  key: string;
  day: string;
  families: readonly HealthMetric[];
  /** Garmin's answer of a ranged family for the item's page, by day: one request per page, made when first needed. */
  ranged: (family: HealthMetric) => Promise<Map<string, unknown>>;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/** Runs of consecutive days, each at most PAGE_DAYS long. */
function runs(days: readonly string[]): string[][] {
  const out: string[][] = [];
  for (const d of days) {
    const run = out.at(-1);
    if (run && run.length < PAGE_DAYS && addDays(run.at(-1)!, 1) === d) run.push(d);
    else out.push([d]);
  }
  return out;
}

/** The job's range: from/to as given; else from the watermark minus the re-fetch window (or back to the first day with data for `full`). */
async function jobRange(ctx: SyncerContext, today: string): Promise<{ from: string; to: string; ranged: boolean }> {
  const { params, user_id: userId } = ctx.job;
  const initialDays = ctx.settings.healthInitialDays;
  const ranged = params.from !== null || params.to !== null;
  const to = params.to ?? today;
  if (params.from) return { from: params.from, to, ranged };
  if (ranged || params.missing) return { from: addDays(to, -(initialDays - 1)), to, ranged: true };
  if (params.full) {
    const first = await firstHealthDay((fn) => ctx.garmin(fn), today);
    return { from: first ?? today, to: today, ranged: false };
  }
  const wm = await ctx.stored.watermarks.get<HealthWatermark>(userId, 'health');
  const from = wm ? addDays(wm.calendar_date < today ? wm.calendar_date : today, -(REFETCH_DAYS - 1)) : addDays(today, -(initialDays - 1));
  return { from, to: today, ranged: false };
}

/**
 * Health: one item per calendar day, storing the job's families (`params.metrics`, default
 * core's DEFAULT_HEALTH_METRICS) per calendarDate. Per-day families cost one request per day;
 * ranged ones (weight, body battery, VO2max, race predictions, blood pressure) one request per
 * page of consecutive days, split by day; the display name (sleep, steps, race predictions) one
 * per job. `full`: back to the account's first day with data (firstHealthDay). `missing`: only the
 * days and families that coverage shows missing, failed or partial in from–to.
 */
export const healthSyncer = defineSyncer({
  type: 'health',
  async open(ctx) {
    const { params, user_id: userId } = ctx.job;
    checkJobDates(params, ctx.now());
    const families = params.metrics?.length ? parseHealthMetrics(params.metrics) : [...DEFAULT_HEALTH_METRICS];
    const today = utcDate(ctx.now());
    const { from, to, ranged } = await jobRange(ctx, today);

    let plan: Map<string, readonly HealthMetric[]>;
    if (params.missing) {
      const [statuses, failures] = await Promise.all([
        ctx.stored.healthMetrics.statusRange(userId, from, to),
        ctx.stored.failures.healthFailures(userId, from, to),
      ]);
      plan = familiesToFetch(computeCoverage(from, to, statuses, failures, families));
    } else {
      plan = new Map();
      const count = from <= to ? Math.round((dateMs(to) - dateMs(from)) / DAY_MS) + 1 : 0;
      for (let i = 0; i < count; i++) plan.set(addDays(from, i), families);
    }
    const days = [...plan.keys()].sort();
    const displayName = once(async () => (await ctx.garmin((g, s) => g.getSocialProfile(s))).displayName);

    return {
      expectedTotal: days.length,
      async *pages() {
        for (const run of runs(days)) {
          const first = run[0]!;
          const last = run.at(-1)!;
          const byFamily = new Map<HealthMetric, () => Promise<Map<string, unknown>>>();
          const ranged = (family: HealthMetric) => {
            const spec = HEALTH_FETCH[family];
            if (spec.kind !== 'range') throw new Error(`${family} is not a ranged family`);
            let get = byFamily.get(family);
            if (!get) byFamily.set(family, (get = once(() => ctx.garmin((g, s) => spec.fetch(g, first, last, displayName, s)))));
            return get();
          };
          yield run.map((day): HealthItem => ({ key: `health:${day}`, day, families: plan.get(day)!, ranged }));
        }
      },
      async fetch(item: HealthItem) {
        const parts = new Map<HealthMetric, unknown>();
        for (const family of item.families) {
          const spec = HEALTH_FETCH[family];
          parts.set(
            family,
            spec.kind === 'day'
              ? await ctx.garmin((g, s) => spec.fetch(g, item.day, displayName, s))
              : ((await item.ranged(family)).get(item.day) ?? null),
          );
        }
        const fetchedAt = ctx.now();
        const complete = fetchedAt >= healthDayEndMs(item.day, parts.get('summary'));
        return [...parts].map(([family, payload]): HealthMetricWrite => ({
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
        if (ranged || params.missing || days.length === 0) return;
        const current = await tx.watermarks.get<HealthWatermark>(userId, 'health');
        if (!current || current.calendar_date < to) await tx.watermarks.set(userId, 'health', { calendar_date: to }, ctx.now());
      },
    };
  },
});
