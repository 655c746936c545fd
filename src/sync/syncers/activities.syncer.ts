import type { JobProbe } from '../../core/index.js';
import type { GarminActivitySummaryLike } from '../garmin.port.js';
import { defineSyncer } from '../syncer.js';
import { addDays, parseGarminGmt, utcDate } from '../dates.js';
import { EDIT_CHECK_EVERY_MS, lastUpdateOf, probeLastUpload } from './activities-freshness.js';

/** Newest activity already synced: listing stops when it reaches it. */
export interface ActivityWatermark {
  start_time: number;
  activity_id: string;
  /** The last device upload the last successful probed (scheduled) run saw. */
  last_upload_time?: number | null;
  /** When recent activities were last checked for edits. */
  edits_checked_at?: number;
}

interface ActivityItem {
  key: string;
  summary: GarminActivitySummaryLike;
  start: number;
  id: string;
  /** Listed by the edit check of recent activities (not as a new one). */
  recheck?: boolean;
  /** Garmin's last-update time, when the edit check read it. */
  updatedAt?: number | null;
  /** The stored FIT of an edited activity (an edit never changes the original file). */
  storedFit?: { sha256: string; size_bytes: number } | null;
  /** The page it was listed on, which reads the stored sources of all its items at once. */
  page?: ListedPage;
}

type StoredSources = Map<string, { source: string; fit: { sha256: string; size_bytes: number } | null }>;

/**
 * One read of `activities.sources` per listed page, made when its first item is fetched, instead
 * of one per item (issue 17, row 8: 0.3–0.8 ms of CPU per item). Reading the whole page can
 * include items the engine then skips (done, current): still one query instead of many.
 */
interface ListedPage {
  ids: readonly string[];
  sources?: Promise<StoredSources>;
}

const PAGE = 100;
const DAY_MS = 86_400_000;

const atOrBefore = (a: { start: number; id: string }, w: Pick<ActivityWatermark, 'start_time' | 'activity_id'>) =>
  a.start < w.start_time || (a.start === w.start_time && BigInt(a.id) <= BigInt(w.activity_id));

/**
 * Activities: lists pages newest first until the watermark (or the end; or the whole `from`/`to`
 * range) and stores each new activity's summary and its verified original FIT (blob store). The
 * watermark moves only when the job completes, so an interrupted job is listed again.
 *
 * Freshness (issue 15): an incremental run compares the list summaries of the last
 * `activityRecheckDays` days with the stored ones — the pages it listed anyway usually cover those
 * days, so this costs no request — and updates a changed one (renamed or edited in Garmin Connect)
 * in place, reading its detail's last-update time. Once a day (`EDIT_CHECK_EVERY_MS`) it also reads
 * the detail of every recent activity, for edits the list does not show. A scheduled run first
 * probes the last device upload; when it has not moved since the last successful probed run (and
 * the daily detail check is not due), the run ends there: one upstream request.
 */
export const activitiesSyncer = defineSyncer({
  type: 'activities',
  async open(ctx) {
    const { params, user_id: userId } = ctx.job;
    const ranged = params.from !== null || params.to !== null;
    const incremental = !ranged && !params.full;
    const watermark = incremental ? await ctx.stored.watermarks.get<ActivityWatermark>(userId, 'activities') : undefined;
    const recheckDays = incremental ? ctx.settings.activityRecheckDays : 0;
    const since = ctx.now() - recheckDays * DAY_MS;
    const detailsDue = recheckDays > 0 && ctx.now() - (watermark?.edits_checked_at ?? 0) >= EDIT_CHECK_EVERY_MS;
    let newest: ActivityItem | undefined;
    let probe: JobProbe | undefined;
    let checkedEdits = false;
    /** Summaries of the last `recheckDays` days seen on the pages listed for new activities. */
    const recentSeen: ActivityItem[] = [];
    /** Those pages reached back past the recent days (or the list's end): they hold all of them. */
    let recentCovered = false;
    /** Ids this run lists as new: stored with their last-update time already, not checked again. */
    const listedNew = new Set<string>();
    const seeRecent = (page: readonly GarminActivitySummaryLike[]) => {
      for (const summary of page) {
        const item = toItem(summary);
        // A day's margin: the list goes by local start time, `since` by GMT.
        if (item.start < since - DAY_MS) recentCovered = true;
        else if (item.start >= since) recentSeen.push({ ...item, recheck: true });
      }
      if (page.length < PAGE) recentCovered = true;
    };

    const list = (start: number, q: { startDate?: string; endDate?: string }) =>
      ctx.garmin((g, signal) => g.listActivities({ start, limit: PAGE, ...q }, signal));
    const toItem = (summary: GarminActivitySummaryLike): ActivityItem => {
      const id = String(summary.activityId);
      return { key: `activity:${id}`, summary, start: parseGarminGmt(summary.startTimeGMT), id };
    };

    const listed = (items: ActivityItem[]) => {
      const page: ListedPage = { ids: items.map((i) => i.id) };
      for (const i of items) i.page = page;
      return items;
    };
    const storedSources = async (item: ActivityItem): Promise<StoredSources> => {
      const page = item.page ?? { ids: [item.id] };
      // Lanes working items of one page share the read; a failed read is not kept for the others.
      const read = (page.sources ??= ctx.stored.activities.sources(userId, page.ids));
      try {
        return await read;
      } catch (e) {
        if (page.sources === read) delete page.sources;
        throw e;
      }
    };

    return {
      async *pages() {
        if (incremental && ctx.job.trigger === 'schedule') {
          probe = await probeLastUpload(ctx, watermark?.last_upload_time);
          if (!probe.changed && !detailsDue) return;
        }
        const range = { ...(params.from ? { startDate: params.from } : {}), ...(params.to ? { endDate: params.to } : {}) };
        for (let start = 0; ; start += PAGE) {
          const page = await list(start, range);
          if (recheckDays > 0) seeRecent(page);
          const items: ActivityItem[] = [];
          let reached = false;
          for (const summary of page) {
            const item = toItem(summary);
            if (watermark && atOrBefore(item, watermark)) {
              reached = true;
              break;
            }
            if (!newest || !atOrBefore(item, { start_time: newest.start, activity_id: newest.id })) newest = item;
            items.push(item);
            listedNew.add(item.id);
          }
          if (items.length > 0) yield listed(items);
          if (reached || page.length < PAGE) break;
        }
        if (recheckDays <= 0) return;
        const notNew = (items: ActivityItem[]) => items.filter((i) => !listedNew.has(i.id));
        if (recentCovered) {
          if (notNew(recentSeen).length > 0) yield listed(notNew(recentSeen));
        } else {
          // More recent activities than those pages held: list the recent days (a day early: lists go by local day).
          const recent = { startDate: addDays(utcDate(since), -1), endDate: addDays(utcDate(ctx.now()), 1) };
          for (let start = 0; ; start += PAGE) {
            const page = await list(start, recent);
            const items = notNew(page.map(toItem).filter((i) => i.start >= since));
            for (const i of items) i.recheck = true;
            if (items.length > 0) yield listed(items);
            if (page.length < PAGE) break;
          }
        }
        checkedEdits = detailsDue;
      },
      ...(incremental
        ? {
            async alreadyCurrent(items: readonly ActivityItem[]) {
              const ids = items.map((i) => i.id);
              const stored = await ctx.stored.activities.storedIds(userId, ids);
              const current = new Set<string>();
              const recent = new Map((await ctx.stored.activities.recent(userId, since)).map((r) => [r.activity_id, r]));
              for (const item of items) {
                if (!stored.has(item.id)) continue; // never stored with its FIT: fetch it
                const known = recent.get(item.id);
                if (!item.recheck || !known) {
                  current.add(item.key);
                  continue;
                }
                // The list shows a rename or an edit of what is stored: update it (and its last-update time).
                const listed = JSON.stringify(item.summary.raw ?? null) !== known.raw;
                if (!listed && !detailsDue) {
                  current.add(item.key);
                  continue;
                }
                item.updatedAt = await lastUpdateOf(ctx, item.summary.activityId);
                if (!listed && item.updatedAt === known.garmin_updated_at) current.add(item.key);
                else item.storedFit = known.fit;
              }
              return current;
            },
          }
        : {}),
      async fetch(item: ActivityItem) {
        if (item.storedFit) return { sha256: item.storedFit.sha256, size: item.storedFit.size_bytes };
        // An activity imported from an archive (issue 16) already has its original FIT: when those
        // bytes are stored and verify, only the API's summary is taken (no download).
        const stored = (await storedSources(item)).get(item.id);
        if (stored?.source === 'archive' && stored.fit && (await ctx.hasBlob(stored.fit.sha256)))
          return { sha256: stored.fit.sha256, size: stored.fit.size_bytes };
        // A new recent activity: its last-update time too, so the next edit check has it to compare.
        if (recheckDays > 0 && item.start >= since && item.updatedAt === undefined)
          item.updatedAt = await lastUpdateOf(ctx, item.summary.activityId);
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
            ...(item.updatedAt !== undefined ? { garmin_updated_at: item.updatedAt } : {}),
          },
          ctx.now(),
        );
      },
      // A ranged run moves no watermark: it has no completion step (and completes in one statement).
      complete: ranged
        ? undefined
        : async (tx) => {
            const current = await tx.watermarks.get<ActivityWatermark>(userId, 'activities');
            const next: ActivityWatermark = { start_time: 0, activity_id: '0', ...current };
            if (newest && !atOrBefore(newest, next)) Object.assign(next, { start_time: newest.start, activity_id: newest.id });
            if (probe && !probe.error_code) next.last_upload_time = probe.upload_time;
            if (checkedEdits) next.edits_checked_at = ctx.now();
            if (JSON.stringify(next) !== JSON.stringify(current)) await tx.watermarks.set(userId, 'activities', next, ctx.now());
          },
    };
  },
});
