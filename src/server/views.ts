import type {
  Activity,
  ArchiveImport,
  CoverageReport,
  HealthDayDetail,
  HealthDayRow,
  ImportReport,
  Schedule,
  SyncJob,
  Workout,
} from '../contract/index.js';
import type { ActivityRecord, ImportRecord, ScheduleRecord, SyncJobRecord, WorkoutRecord } from '../store/index.js';
import type { Coverage, HealthDayMetrics, HealthDaySummary } from '../sync/index.js';
import type { HealthMetric } from '../core/index.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** A stored job as the contract shows it (lease internals stay inside). */
export function jobView(j: SyncJobRecord): SyncJob {
  return {
    job_id: j.job_id,
    user_id: j.user_id,
    session_id: j.session_id,
    sync_type: j.sync_type,
    status: j.status,
    progress: j.progress,
    total_items: j.total_items,
    processed_items: j.processed_items,
    failed_items: j.failed_items,
    resumed_items: j.resumed_items,
    start_time: isoOrNull(j.start_time),
    end_time: isoOrNull(j.end_time),
    error_message: j.error_message,
    error_code: j.error_code,
    params: {
      from: j.params.from,
      to: j.params.to,
      full: j.params.full,
      ...(j.params.import_id ? { import_id: j.params.import_id } : {}),
      ...(j.params.retry_failed_of ? { retry_failed_of: j.params.retry_failed_of } : {}),
      ...(j.params.metrics ? { metrics: j.params.metrics as HealthMetric[] } : {}),
      ...(j.params.missing ? { missing: true } : {}),
    },
    cancel_requested: j.cancel_requested,
    attempts: j.attempts,
    created_at: iso(j.created_at),
    updated_at: iso(j.updated_at),
    trigger: j.trigger,
    probe: j.probe
      ? {
          upload_time: isoOrNull(j.probe.upload_time),
          previous_upload_time: isoOrNull(j.probe.previous_upload_time),
          changed: j.probe.changed,
          ...(j.probe.error_code ? { error_code: j.probe.error_code } : {}),
        }
      : null,
  };
}

/** A stored schedule as the contract shows it. */
export function scheduleView(s: ScheduleRecord): Schedule {
  return {
    sync_type: s.sync_type,
    every_seconds: Math.round(s.every_ms / 1000),
    jitter_seconds: s.jitter_ms / 1000,
    next_run_at: iso(s.next_run_at),
    last_run_at: isoOrNull(s.last_run_at),
    last_job_id: s.last_job_id,
    paused: s.paused,
    created_at: iso(s.created_at),
    updated_at: iso(s.updated_at),
  };
}

/** Garmin's startTimeLocal from the stored summary, when it has the documented shape. */
function localStart(raw: unknown): string | null {
  const v = typeof raw === 'object' && raw !== null ? (raw as { startTimeLocal?: unknown }).startTimeLocal : undefined;
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v) ? v : null;
}

export function activityView(a: ActivityRecord): Activity {
  return {
    activity_id: a.activity_id,
    name: a.name,
    sport: a.sport,
    start_time: iso(a.start_time),
    start_time_local: localStart(a.raw),
    duration_seconds: a.duration_seconds,
    distance_meters: a.distance_meters,
    calories: a.calories,
    average_hr: a.average_hr,
    fit: a.fit ? { size_bytes: a.fit.size_bytes, sha256: a.fit.sha256 } : null,
    synced_at: iso(a.synced_at),
  };
}

export function healthDayRowView(d: HealthDaySummary): HealthDayRow {
  return { ...d, synced_at: iso(d.synced_at) };
}

/** A stored day as the contract shows it: each family's payload is its `data`. */
export function healthDayDetailView(d: HealthDayMetrics): HealthDayDetail {
  const metrics: HealthDayDetail['metrics'] = {};
  for (const [family, m] of Object.entries(d.metrics) as [
    keyof HealthDayDetail['metrics'],
    NonNullable<HealthDayMetrics['metrics'][keyof HealthDayMetrics['metrics']]>,
  ][]) {
    metrics[family] = { state: m.state, source: m.source, fetched_at: iso(m.fetched_at), complete: m.complete, data: m.payload };
  }
  return { calendar_date: d.calendar_date, metrics };
}

export function workoutView(w: WorkoutRecord): Workout {
  return {
    workout_id: w.workout_id,
    name: w.name,
    sport: w.sport,
    updated_at: isoOrNull(w.updated_at),
    fit: w.fit ? { size_bytes: w.fit.size_bytes, sha256: w.fit.sha256 } : null,
    synced_at: iso(w.synced_at),
  };
}

/** An archive import as the contract shows it (its chunks stay inside). */
export function importView(i: ImportRecord): ArchiveImport {
  return {
    import_id: i.import_id,
    state: i.state,
    size_bytes: i.size_bytes,
    sha256: i.sha256,
    job_id: i.job_id,
    report: (i.report as ImportReport | null) ?? null,
    created_at: iso(i.created_at),
    updated_at: iso(i.updated_at),
  };
}

/** A coverage report on the wire: fetch times as ISO timestamps. */
export function coverageView(c: Coverage): CoverageReport {
  return {
    ...c,
    days: c.days.map((d) => ({
      ...d,
      metrics: Object.fromEntries(Object.entries(d.metrics).map(([k, cell]) => [k, { ...cell, fetched_at: isoOrNull(cell.fetched_at) }])),
    })),
  };
}
