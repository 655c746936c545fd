import type { Generated } from 'kysely';
/**
 * Kysely table types of the sync tables (design.md §3, §5). Merged with the auth tables into the
 * store's `Database` interface.
 *
 * Conventions shared with the auth tables so that SQLite and PostgreSQL behave alike:
 * ids are text (UUIDs; Garmin's numeric ids as decimal strings), timestamps are integer epoch
 * milliseconds (`bigint` in PostgreSQL, parsed to JS numbers by database.ts), booleans are 0/1
 * integers, and Garmin's JSON documents are stored as JSON text.
 */

/** The seed's Sync Job plus what the engine needs (lease, attempts, cancel request, dedupe key). */
export interface SyncJobsTable {
  job_id: string;
  user_id: string;
  session_id: string;
  sync_type: string;
  status: string;
  progress: number;
  total_items: number | null;
  processed_items: number;
  failed_items: number;
  /** Processed items an earlier attempt of this job had written (016_job_resumed_items). */
  resumed_items: Generated<number>;
  start_time: number | null;
  end_time: number | null;
  error_message: string | null;
  /** The catalogue code (core ERROR_CODES) of a failed job's error; NULL otherwise (004_job_error_code). */
  error_code: string | null;
  /** JSON text `{from, to, full}`, written canonically so equal params compare equal as text. */
  params: string;
  /**
   * Dedupe key (`sync_type` + params) while the job is pending/running and not being cancelled,
   * NULL otherwise. A unique index on (user_id, active_key) makes "an identical pending/running job
   * is returned instead of a duplicate" hold across processes; NULLs never collide in either dialect.
   */
  active_key: string | null;
  cancel_requested: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  /** 'manual' | 'schedule' (008_schedules). */
  trigger: Generated<string>;
  /** JSON text of the change-detection probe of a scheduled run (core JobProbe); NULL otherwise (008_schedules). */
  probe: string | null;
}

/** A permanently failing item of a job (FIT_INVALID, GARMIN_NOT_FOUND, …): recorded and skipped. */
export interface SyncJobFailuresTable {
  job_id: string;
  /** e.g. `activity:123`, `health:2026-11-27`, `workout:9`. */
  item_key: string;
  error_code: string;
  error_message: string;
  created_at: number;
}

/** An item a running job has written (the engine's checkpoint, 004_sync_job_items). */
export interface SyncJobItemsTable {
  job_id: string;
  /** The syncer's key of the item, e.g. `activity:123`. */
  item_key: string;
}

/** Per-user, per-type incremental sync position (activities: newest synced start time + id). */
export interface SyncWatermarksTable {
  user_id: string;
  sync_type: string;
  /** JSON text; its shape belongs to the syncer of the type. */
  value: string;
  updated_at: number;
}

export interface ActivitiesTable {
  user_id: string;
  activity_id: string;
  name: string | null;
  sport: string;
  start_time: number;
  duration_seconds: number | null;
  distance_meters: number | null;
  calories: number | null;
  average_hr: number | null;
  /** Garmin's activity summary as JSON text. */
  raw: string;
  fit_sha256: string | null;
  fit_size: number | null;
  job_id: string | null;
  synced_at: number;
  /** Where the summary came from: 'api' (default) or 'archive' (issue 16; the API's wins). */
  source: Generated<string>;
  /** Garmin's last-update time of the activity's detail, epoch ms; NULL until checked (014_activity_updates). */
  garmin_updated_at: number | null;
}

export interface WorkoutsTable {
  user_id: string;
  workout_id: string;
  name: string | null;
  sport: string | null;
  /** Garmin's updatedDate as epoch ms: a changed workout is fetched again. */
  updated_at: number | null;
  raw: string;
  fit_sha256: string | null;
  fit_size: number | null;
  job_id: string | null;
  synced_at: number;
}

export interface SyncTables {
  sync_jobs: SyncJobsTable;
  sync_job_failures: SyncJobFailuresTable;
  sync_job_items: SyncJobItemsTable;
  sync_watermarks: SyncWatermarksTable;
  activities: ActivitiesTable;
  workouts: WorkoutsTable;
}
