import { createHash } from 'node:crypto';
import type { Activity, ArchiveImport, CoverageReport, HealthDayRow, Schedule, Workout } from '../../contract/index.js';
import { SYNC_TYPES, systemClock, type Clock } from '../../core/index.js';
import type { FakeJobs, Reply } from './fake-jobs.js';
import { pageOf } from './fake-page.js';

/** What the fake's synced data is; each list defaults to one item. */
export interface FakeDataOptions {
  /** The synced activities `GET /activities` pages through (default: one morning run). */
  activities?: Activity[];
  workouts?: Workout[];
  healthDays?: HealthDayRow[];
  /** The time of uploads and schedules (default: the real clock). */
  clock?: Clock;
  /** `max_bytes` of GET /imports (default 1 MiB). */
  maxArchiveBytes?: number;
}

/** The bytes the fake serves as the FIT file of `id` (the listed sha256 and size are theirs). */
export function fakeFit(id: string): Buffer {
  return Buffer.from(`fake FIT file of ${id}\n`);
}
const fitOf = (id: string) => ({ size_bytes: fakeFit(id).length, sha256: createHash('sha256').update(fakeFit(id)).digest('hex') });

export const MORNING_RUN: Activity = {
  activity_id: '101',
  name: 'Morning Run',
  sport: 'running',
  start_time: '2026-11-20T07:00:00.000Z',
  start_time_local: '2026-11-20 08:00:00',
  duration_seconds: 1800,
  distance_meters: 5000,
  calories: 300,
  average_hr: 140,
  fit: fitOf('101'),
  synced_at: '2026-11-27T10:00:00.000Z',
};

export const INTERVALS: Workout = {
  workout_id: '501',
  name: '5x400 intervals',
  sport: 'running',
  updated_at: '2026-11-18T12:00:00.000Z',
  fit: fitOf('501'),
  synced_at: '2026-11-27T10:00:00.000Z',
};

export const HEALTH_DAY: HealthDayRow = {
  calendar_date: '2026-11-26',
  steps: 8123,
  resting_heart_rate: 52,
  sleep_seconds: 27_000,
  hrv_last_night_ms: 48,
  stress_average: 31,
  body_battery_high: 88,
  body_battery_low: 22,
  weight_kg: null,
  families: ['summary', 'sleep'],
  synced_at: '2026-11-27T10:00:00.000Z',
};

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The fake service's synced data and settings: activities (paged, `--sport`, their sports, one
 * activity, its details and FIT), workouts, health days, coverage, schedules and archive uploads
 * (each upload starts an `archive` job on the fake's jobs).
 */
export class FakeData {
  readonly schedules = new Map<string, Schedule>();
  private readonly imports = new Map<string, ArchiveImport>();

  constructor(
    private readonly o: FakeDataOptions,
    private readonly jobs: FakeJobs,
  ) {}

  /** Answers `path` when it is a data route; false otherwise. */
  handle(method: string, path: string, url: URL, body: unknown, reply: Reply): boolean {
    const key = `${method} ${path === '/activities/sports' ? path : path.replace(/^\/(activities|workouts|health\/daily|imports)\/[^/]+/, '/$1/:id')}`;
    const id = decodeURIComponent(path.split('/')[path.startsWith('/health/') ? 3 : 2] ?? '');
    const activity = this.activities().find((a) => a.activity_id === id);
    const workout = (this.o.workouts ?? [INTERVALS]).find((w) => w.workout_id === id);
    const notFound = () => reply.problem(404, 'NOT_FOUND', 'Not found.');
    switch (key) {
      case 'GET /activities':
        reply.send(200, pageOf(this.activities(url.searchParams.get('sport')), url, 20));
        break;
      case 'GET /activities/sports': {
        const counts = new Map<string, number>();
        for (const a of this.activities()) counts.set(a.sport, (counts.get(a.sport) ?? 0) + 1);
        reply.send(200, { items: [...counts].sort((a, b) => b[1] - a[1]).map(([sport, count]) => ({ sport, count })) });
        break;
      }
      case 'GET /activities/:id':
        if (activity) reply.send(200, { ...activity, raw: { activityId: Number(id) } });
        else notFound();
        break;
      case 'GET /activities/:id/details':
        if (activity) reply.send(200, { activity_id: id, details: { metricDescriptors: [] } });
        else notFound();
        break;
      case 'GET /activities/:id/fit':
        if (activity?.fit) reply.file(fakeFit(id));
        else notFound();
        break;
      case 'GET /workouts':
        reply.send(200, pageOf(this.o.workouts ?? [INTERVALS], url, 100));
        break;
      case 'GET /workouts/:id':
        if (workout) reply.send(200, { ...workout, raw: { workoutId: Number(id) } });
        else notFound();
        break;
      case 'GET /workouts/:id/fit':
        if (workout?.fit) reply.file(fakeFit(id));
        else notFound();
        break;
      case 'GET /health/daily':
        reply.send(200, pageOf(this.healthDays(url.searchParams.get('from'), url.searchParams.get('to')), url, 366));
        break;
      case 'GET /health/daily/:id':
        this.healthDay(id, url.searchParams.get('metric'), reply);
        break;
      case 'GET /coverage':
        reply.send(200, this.coverage(url));
        break;
      case 'GET /sync/schedules':
      case 'PUT /sync/schedules':
      case 'DELETE /sync/schedules':
        this.schedule(method, body as { sync_type: string; every_seconds: number }, url, reply);
        break;
      case 'GET /imports':
        reply.send(200, { max_bytes: this.o.maxArchiveBytes ?? 1 << 20, items: [...this.imports.values()] });
        break;
      case 'POST /imports':
        this.upload(body as Uint8Array, reply);
        break;
      default:
        return false;
    }
    return true;
  }

  private now(): number {
    return (this.o.clock ?? systemClock).now();
  }

  private activities(sport?: string | null): Activity[] {
    return (this.o.activities ?? [MORNING_RUN]).filter((a) => !sport || a.sport === sport);
  }

  /** Newest first, within from/to when given. */
  private healthDays(from?: string | null, to?: string | null): HealthDayRow[] {
    return (this.o.healthDays ?? [HEALTH_DAY]).filter((d) => (!from || d.calendar_date >= from) && (!to || d.calendar_date <= to));
  }

  private healthDay(date: string, metric: string | null, reply: Reply): void {
    const row = this.healthDays().find((d) => d.calendar_date === date);
    if (!row) return reply.problem(404, 'NOT_FOUND', `No health data stored for ${date}.`);
    const entry = (family: string) => ({
      state: 'present',
      source: 'api',
      fetched_at: row.synced_at,
      complete: true,
      data: family === 'summary' ? { calendarDate: date, totalSteps: row.steps } : null,
    });
    const families = row.families.filter((f) => !metric || f === metric);
    reply.send(200, { calendar_date: date, metrics: Object.fromEntries(families.map((f) => [f, entry(f)])) });
  }

  /** Every day of the range: the stored health days present, the others missing. */
  private coverage(url: URL): CoverageReport {
    const to = url.searchParams.get('to') ?? '2026-11-27';
    const from = url.searchParams.get('from') ?? iso(Date.parse(to) - 2 * 86_400_000).slice(0, 10);
    const stored = new Set(this.healthDays().map((d) => d.calendar_date));
    const days: CoverageReport['days'] = [];
    for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
      const date = iso(t).slice(0, 10);
      const state = stored.has(date) ? 'present' : 'missing';
      const cell = { state, source: state === 'present' ? 'api' : null, fetched_at: null, job_id: null } as const;
      days.push({ calendar_date: date, state, metrics: { summary: cell } });
    }
    const count = (s: string) => days.filter((d) => d.state === s).length;
    const totals = [
      { metric: 'summary', present: count('present'), empty: 0, missing: count('missing'), failed: 0, partial: 0, from_archive: 0 },
    ] as const;
    return { from, to, metrics: ['summary'], totals: [...totals], days };
  }

  private schedule(method: string, body: { sync_type: string; every_seconds: number }, url: URL, reply: Reply): void {
    const now = iso(this.now());
    if (method === 'PUT') {
      if (body.every_seconds < 900) return reply.problem(400, 'VALIDATION_FAILED', 'The interval must be at least 15m on this service.');
      for (const type of body.sync_type === 'all' ? SYNC_TYPES : [body.sync_type])
        this.schedules.set(type, {
          sync_type: type as Schedule['sync_type'],
          every_seconds: body.every_seconds,
          jitter_seconds: 0,
          next_run_at: iso(this.now() + body.every_seconds * 1000),
          last_run_at: null,
          last_job_id: null,
          paused: null,
          created_at: now,
          updated_at: now,
        });
    } else if (method === 'DELETE') {
      const type = url.searchParams.get('sync_type') ?? 'all';
      for (const t of [...this.schedules.keys()]) if (type === 'all' || t === type) this.schedules.delete(t);
    }
    reply.send(200, { items: [...this.schedules.values()], min_interval_seconds: 900 });
  }

  private upload(bytes: Uint8Array, reply: Reply): void {
    if (!(bytes instanceof Uint8Array) || bytes[0] !== 0x50 || bytes[1] !== 0x4b)
      return reply.problem(400, 'ARCHIVE_INVALID', 'The upload is not a ZIP archive.');
    const job = this.jobs.start({ sync_type: 'archive' });
    const now = iso(this.now());
    const imp: ArchiveImport = {
      import_id: job.job_id,
      state: 'ready',
      size_bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      job_id: job.job_id,
      report: null,
      created_at: now,
      updated_at: now,
    };
    this.imports.set(imp.import_id, imp);
    reply.send(202, { import: imp, job });
  }
}
