import type { GarminActivitySummaryLike } from '../garmin.port.js';
import type { JobContext } from '../job-context.js';
import type { CompletionStep, Syncer } from '../syncer.js';
import { parseGarminGmt } from '../dates.js';

/** Newest activity already synced: listing stops when it reaches it. */
export interface ActivityWatermark {
  start_time: number;
  activity_id: string;
}

const PAGE = 100;

const atOrBefore = (a: { start: number; id: string }, w: ActivityWatermark) =>
  a.start < w.start_time || (a.start === w.start_time && BigInt(a.id) <= BigInt(w.activity_id));

/**
 * Activities: lists pages newest first until the watermark (or the end; or the whole
 * `from`/`to` range), then stores each new activity's summary and its verified original FIT
 * (blob store) in one transaction with the job checkpoint. A no-op incremental run costs one
 * list request. The watermark moves only when the job completes, so an interrupted job is
 * simply listed again and skips what it already stored.
 */
export const activitiesSyncer: Syncer = {
  type: 'activities',
  async run(ctx: JobContext): Promise<CompletionStep> {
    const { params } = ctx.job;
    const ranged = params.from !== null || params.to !== null;
    const watermark = ranged || params.full ? undefined : await ctx.store.watermarks.get<ActivityWatermark>(ctx.userId, 'activities');

    const found = new Map<string, { summary: GarminActivitySummaryLike; start: number; id: string }>();
    for (let start = 0; ; start += PAGE) {
      const page = await ctx.upstream((signal) =>
        ctx.garmin.listActivities(
          { start, limit: PAGE, ...(params.from ? { startDate: params.from } : {}), ...(params.to ? { endDate: params.to } : {}) },
          signal,
        ),
      );
      let reached = false;
      for (const summary of page) {
        const item = { summary, start: parseGarminGmt(summary.startTimeGMT), id: String(summary.activityId) };
        if (watermark && atOrBefore(item, watermark)) {
          reached = true;
          break;
        }
        found.set(item.id, item); // by id: a page shifted by a new upload repeats an item
      }
      if (reached || page.length < PAGE) break;
    }
    const items = [...found.values()];

    // A resumed job skips what it stored before. An incremental run also skips what an earlier,
    // interrupted job stored; a full or ranged run refreshes everything except its own work.
    const ids = items.map((i) => i.id);
    const stored = await ctx.store.activities.storedIds(ctx.userId, ids, ranged || params.full ? { jobId: ctx.job.job_id } : {});
    const failedKeys = await ctx.store.failures.keysForJob(ctx.job.job_id);
    const todo = items.filter((i) => !stored.has(i.id) && !failedKeys.has(`activity:${i.id}`));
    await ctx.setTotal(items.length, stored.size, items.filter((i) => failedKeys.has(`activity:${i.id}`)).length);

    await ctx.forEachItem(todo, (i) => `activity:${i.id}`, async (i) => {
      const fit = await ctx.upstream((signal) => ctx.garmin.downloadActivityFit(i.summary.activityId, signal));
      const ref = await ctx.blobs.put(fit);
      const s = i.summary;
      return (tx) =>
        tx.activities.upsert(
          {
            user_id: ctx.userId,
            activity_id: i.id,
            name: s.activityName ?? null,
            sport: s.activityType?.typeKey ?? 'unknown',
            start_time: i.start,
            duration_seconds: s.duration ?? null,
            distance_meters: s.distance ?? null,
            calories: s.calories ?? null,
            average_hr: s.averageHR ?? null,
            raw: s.raw,
            fit: { sha256: ref.sha256, size_bytes: ref.size },
            job_id: ctx.job.job_id,
          },
          ctx.now(),
        );
    });

    return async (tx) => {
      if (ranged || items.length === 0) return;
      const newest = items.reduce((a, b) => (b.start > a.start || (b.start === a.start && BigInt(b.id) > BigInt(a.id)) ? b : a));
      const current = await tx.watermarks.get<ActivityWatermark>(ctx.userId, 'activities');
      if (current && atOrBefore(newest, current)) return;
      await tx.watermarks.set(ctx.userId, 'activities', { start_time: newest.start, activity_id: newest.id } satisfies ActivityWatermark, ctx.now());
    };
  },
};
