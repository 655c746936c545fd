import type { GarminActivitySummaryLike } from '../garmin.port.js';
import { defineSyncer } from '../syncer.js';
import { parseGarminGmt } from '../dates.js';

/** Newest activity already synced: listing stops when it reaches it. */
export interface ActivityWatermark {
  start_time: number;
  activity_id: string;
}

interface ActivityItem {
  key: string;
  summary: GarminActivitySummaryLike;
  start: number;
  id: string;
}

const PAGE = 100;

const atOrBefore = (a: { start: number; id: string }, w: ActivityWatermark) =>
  a.start < w.start_time || (a.start === w.start_time && BigInt(a.id) <= BigInt(w.activity_id));

/**
 * Activities: lists pages newest first until the watermark (or the end; or the whole
 * `from`/`to` range) and stores each new activity's summary and its verified original FIT
 * (blob store). A no-op incremental run costs one list request. The watermark moves only when the
 * job completes, so an interrupted incremental job is listed again and what any job already
 * stored is current; a full or ranged run refreshes everything.
 */
export const activitiesSyncer = defineSyncer({
  type: 'activities',
  async open(ctx) {
    const { params, user_id: userId } = ctx.job;
    const ranged = params.from !== null || params.to !== null;
    const incremental = !ranged && !params.full;
    const watermark = incremental ? await ctx.stored.watermarks.get<ActivityWatermark>(userId, 'activities') : undefined;
    let newest: ActivityItem | undefined;

    return {
      async *pages() {
        for (let start = 0; ; start += PAGE) {
          const page = await ctx.garmin((g, signal) =>
            g.listActivities(
              { start, limit: PAGE, ...(params.from ? { startDate: params.from } : {}), ...(params.to ? { endDate: params.to } : {}) },
              signal,
            ),
          );
          const items: ActivityItem[] = [];
          let reached = false;
          for (const summary of page) {
            const id = String(summary.activityId);
            const item = { key: `activity:${id}`, summary, start: parseGarminGmt(summary.startTimeGMT), id };
            if (watermark && atOrBefore(item, watermark)) {
              reached = true;
              break;
            }
            if (!newest || !atOrBefore(item, { start_time: newest.start, activity_id: newest.id })) newest = item;
            items.push(item);
          }
          if (items.length > 0) yield items;
          if (reached || page.length < PAGE) return;
        }
      },
      ...(incremental
        ? {
            async alreadyCurrent(items: readonly ActivityItem[]) {
              const stored = await ctx.stored.activities.storedIds(
                userId,
                items.map((i) => i.id),
              );
              return new Set(items.filter((i) => stored.has(i.id)).map((i) => i.key));
            },
          }
        : {}),
      async fetch(item: ActivityItem) {
        // An activity imported from an archive (issue 16) already has its original FIT: when those
        // bytes are stored and verify, only the API's summary is taken (no download).
        const stored = (await ctx.stored.activities.sources(userId, [item.id])).get(item.id);
        if (stored?.source === 'archive' && stored.fit && (await ctx.hasBlob(stored.fit.sha256)))
          return { sha256: stored.fit.sha256, size: stored.fit.size_bytes };
        const fit = await ctx.garmin((g, signal) => g.downloadActivityFit(item.summary.activityId, signal));
        return ctx.putBlob(fit);
      },
      async write(tx, item, ref) {
        const s = item.summary;
        await tx.activities.upsert(
          {
            user_id: userId,
            activity_id: item.id,
            name: s.activityName ?? null,
            sport: s.activityType?.typeKey ?? 'unknown',
            start_time: item.start,
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
      },
      async complete(tx) {
        if (ranged || !newest) return;
        const current = await tx.watermarks.get<ActivityWatermark>(userId, 'activities');
        if (current && atOrBefore(newest, current)) return;
        await tx.watermarks.set(
          userId,
          'activities',
          { start_time: newest.start, activity_id: newest.id } satisfies ActivityWatermark,
          ctx.now(),
        );
      },
    };
  },
});
