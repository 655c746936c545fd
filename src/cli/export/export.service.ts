import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import type { Activity, ActivityList, HealthDayDetail, Workout, WorkoutList } from '../../contract/index.js';
import type { HttpResponse } from '../api/http.js';
import type * as GpxModule from './gpx.js';
import { exportHealthDay, listHealthDays, writeHealthTables, type HealthExportApi } from './health-export.js';
import { Mirror, sha256Hex, type FileSource } from './mirror.js';
import { activityStem, workoutFitPath } from './names.js';
import { ACTIVITY_COLUMNS, WORKOUT_COLUMNS, activityOrder, csv, workoutOrder, type ActivityRow } from './tables.js';

// The GPX path (@garmin/fitsdk's decoder and fast-xml-parser, ~30 modules) is loaded only when a GPX
// is about to be written: a no-change export, and every other command, never pays for it.
let gpx: Promise<typeof GpxModule> | undefined;
const loadGpx = () => (gpx ??= import('./gpx.js'));

export const EXPORT_TYPES = ['activities', 'health', 'workouts'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];
export const EXPORT_FORMATS = ['fit', 'gpx', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What the export needs from the service (the CLI's API client). */
export interface ExportApi extends HealthExportApi {
  listActivities(query: { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<ActivityList>;
  activityFit(id: string, signal?: AbortSignal): Promise<HttpResponse>;
  listWorkouts(query: { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<WorkoutList>;
  workoutFit(id: string, signal?: AbortSignal): Promise<HttpResponse>;
}

export interface ExportOptions {
  dir: string;
  /** YYYY-MM-DD: only activities started and health days on or after it get their files. */
  since?: string;
  types: ReadonlySet<ExportType>;
  formats: ReadonlySet<ExportFormat>;
  dryRun: boolean;
  force: boolean;
  version: string;
  server: string;
  now: () => number;
  signal: AbortSignal;
  /** Downloads in flight at once. */
  concurrency?: number;
  /** Called as items are done (for a progress bar). */
  progress?: (done: number, total: number) => void;
}

export interface ExportSummary {
  dir: string;
  dry_run: boolean;
  files_written: number;
  files_unchanged: number;
  files_removed: number;
  bytes_written: number;
  /** Files left alone because the user changed them (or they were never ours); `--force` replaces them. */
  kept: { path: string; reason: string }[];
  counts: { activities: number; workouts: number; health_days: number };
}

/** Everything of a paged list (the API's cursor pages). */
async function all<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    items.push(...p.items);
    cursor = p.next_cursor ?? undefined;
  } while (cursor);
  return items;
}

/** Runs `work` over `items` with at most `limit` at once; stops at the first error. */
async function pool<T>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      signal.throwIfAborted();
      await work(items[next++]!);
    }
  });
  await Promise.all(lanes);
}

async function bytesOf(res: HttpResponse, expectedSha: string, what: string): Promise<Buffer> {
  const bytes = Buffer.from(await res.arrayBuffer());
  if (sha256Hex(bytes) !== expectedSha)
    throw new AppError('FIT_INVALID', `The service sent ${what} whose sha256 is not the one it listed; try the export again.`);
  return bytes;
}

/**
 * `garminsync export DIR`: mirrors what was synced into plain files through the API. Each run
 * writes only what is new or changed, never replaces a file the user changed (unless `force`),
 * and resumes after an interruption (files already there are recognised by their sha256).
 */
export async function exportAll(api: ExportApi, o: ExportOptions): Promise<{ summary: ExportSummary; mirror: Mirror }> {
  const mirror = await Mirror.open(o.dir, { version: o.version, server: o.server }, { force: o.force, dryRun: o.dryRun });
  const stamp = () => new Date(o.now()).toISOString();
  const signal = o.signal;
  const inScope = (date: string) => !o.since || date >= o.since;
  const counts = { activities: 0, workouts: 0, health_days: 0 };

  const activities = o.types.has('activities')
    ? (await all((cursor) => api.listActivities({ limit: 1000, cursor }, signal))).sort(activityOrder)
    : [];
  const workouts = o.types.has('workouts')
    ? (await all((cursor) => api.listWorkouts({ limit: 1000, cursor }, signal))).sort(workoutOrder)
    : [];
  const healthWanted = o.types.has('health') && (o.formats.has('csv') || o.formats.has('json'));
  const healthRows = healthWanted ? await listHealthDays(api, signal) : [];
  counts.activities = activities.length;
  counts.workouts = workouts.length;
  counts.health_days = healthRows.length;
  const total = activities.length + workouts.length + healthRows.length;
  let done = 0;
  const tick = () => o.progress?.(++done, total);
  o.progress?.(0, total);

  try {
    const rows = new Map<string, ActivityRow>();
    await pool(activities, o.concurrency ?? 4, signal, async (a) => {
      rows.set(a.activity_id, await exportActivity(api, mirror, a, { ...o, inScope }));
      await mirror.checkpoint(stamp());
      tick();
    });
    if (o.types.has('activities') && o.formats.has('csv')) {
      await mirror.put(
        'activities.csv',
        csv(
          ACTIVITY_COLUMNS,
          activities.map((a) => rows.get(a.activity_id)!),
        ),
        { type: 'table', id: 'activities' },
      );
    }

    const fitFiles = new Map<string, string | null>();
    await pool(workouts, o.concurrency ?? 4, signal, async (w) => {
      fitFiles.set(w.workout_id, await exportWorkout(api, mirror, w, o));
      await mirror.checkpoint(stamp());
      tick();
    });
    if (o.types.has('workouts') && o.formats.has('csv')) {
      await mirror.put(
        'workouts.csv',
        csv(
          WORKOUT_COLUMNS,
          workouts.map((w) => ({ ...w, fit_file: fitFiles.get(w.workout_id) ?? null })),
        ),
        { type: 'table', id: 'workouts' },
      );
    }

    const days = new Map<string, HealthDayDetail>();
    await pool(healthRows, o.concurrency ?? 4, signal, async (row) => {
      const day = await exportHealthDay(api, mirror, row, {
        dir: o.dir,
        json: o.formats.has('json'),
        inScope: inScope(row.calendar_date),
        signal,
        dryRun: o.dryRun,
      });
      if (day) days.set(row.calendar_date, day);
      await mirror.checkpoint(stamp());
      tick();
    });
    if (healthWanted && o.formats.has('csv'))
      await writeHealthTables(
        mirror,
        healthRows,
        healthRows.flatMap((r) => days.get(r.calendar_date) ?? []),
      );
  } finally {
    // Even an interrupted run records what it wrote, so the next one resumes from there.
    await mirror.save(stamp(), true);
  }
  return {
    mirror,
    summary: {
      dir: o.dir,
      dry_run: o.dryRun,
      files_written: mirror.written,
      files_unchanged: mirror.unchanged,
      files_removed: mirror.removed,
      bytes_written: mirror.bytesWritten,
      kept: mirror.kept,
      counts,
    },
  };
}

/** One activity's FIT and GPX; returns its CSV row (with the files the folder holds for it). */
async function exportActivity(
  api: ExportApi,
  mirror: Mirror,
  a: Activity,
  o: ExportOptions & { inScope: (d: string) => boolean },
): Promise<ActivityRow> {
  const stem = activityStem(a);
  const fitRel = `${stem}.fit`;
  const gpxRel = `${stem}.gpx`;
  const has = (rel: string) => rel in mirror.manifest.files;
  const row = (): ActivityRow => ({ ...a, fit_file: has(fitRel) ? fitRel : null, gpx_file: has(gpxRel) ? gpxRel : null });
  const day = (a.start_time_local ?? a.start_time).slice(0, 10);
  if (!a.fit || !o.inScope(day)) return row();
  const sha = a.fit.sha256;
  const source: FileSource = { type: 'activity', id: a.activity_id };
  // A new sport or start time gives the files a new name; the old ones go if untouched.
  for (const old of mirror.pathsOf('activity', a.activity_id)) if (old !== fitRel && old !== gpxRel) await mirror.retire(old);

  let bytes: Buffer | null = null;
  const download = async () =>
    (bytes ??= await bytesOf(await api.activityFit(a.activity_id, o.signal), sha, `the FIT of activity ${a.activity_id}`));
  if (o.formats.has('fit')) {
    const decided = await mirror.plan(fitRel, sha, source);
    if (decided === 'write') {
      if (o.dryRun) await mirror.write(fitRel, Buffer.alloc(a.fit.size_bytes), sha, source);
      else await mirror.write(fitRel, await download(), sha, source);
    }
  }
  if (o.formats.has('gpx')) {
    if (mirror.manifest.no_track?.[a.activity_id] === sha || (await mirror.upToDate(gpxRel, sha))) {
      if (has(gpxRel)) mirror.skip();
    } else if (o.dryRun) {
      await mirror.write(gpxRel, Buffer.alloc(0), '', { ...source, from: sha });
    } else {
      const local =
        has(fitRel) && mirror.manifest.files[fitRel]!.sha256 === sha
          ? await readFile(join(o.dir, ...fitRel.split('/'))).catch(() => null)
          : null;
      const fit = local && sha256Hex(local) === sha ? local : await download();
      const { gpxDocument, trackPoints } = await loadGpx();
      const points = trackPoints(fit);
      if (points.length === 0) mirror.noteNoTrack(a.activity_id, sha);
      else
        await mirror.put(gpxRel, Buffer.from(gpxDocument(points, { name: a.name, sport: a.sport, startTime: a.start_time })), {
          ...source,
          from: sha,
        });
    }
  }
  return row();
}

/** One workout's FIT; returns its path in the folder (or null). */
async function exportWorkout(api: ExportApi, mirror: Mirror, w: Workout, o: ExportOptions): Promise<string | null> {
  const rel = workoutFitPath(w);
  if (!w.fit || !o.formats.has('fit')) return rel in mirror.manifest.files ? rel : null;
  const sha = w.fit.sha256;
  const source: FileSource = { type: 'workout', id: w.workout_id };
  for (const old of mirror.pathsOf('workout', w.workout_id)) if (old !== rel) await mirror.retire(old);
  const decided = await mirror.plan(rel, sha, source);
  if (decided === 'write') {
    if (o.dryRun) await mirror.write(rel, Buffer.alloc(w.fit.size_bytes), sha, source);
    else
      await mirror.write(
        rel,
        await bytesOf(await api.workoutFit(w.workout_id, o.signal), sha, `the FIT of workout ${w.workout_id}`),
        sha,
        source,
      );
  }
  return rel in mirror.manifest.files || decided === 'write' ? rel : null;
}
