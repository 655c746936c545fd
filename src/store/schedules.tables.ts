/** Tables of migration 008_schedules (issue 15). Timestamps are epoch ms, like everywhere else. */

/** A user's standing order to sync one type every `every_ms` (the service runs it, no cron). */
export interface SyncSchedulesTable {
  user_id: string;
  sync_type: string;
  every_ms: number;
  /** Fixed offset chosen at `set` time, so that many users' schedules do not fire at once. */
  jitter_ms: number;
  /** The next due time; a worker claims a run by moving it forward (compare-and-set). */
  next_run_at: number;
  /** The session that set the schedule; its scheduled jobs carry it like manual ones. */
  session_id: string;
  last_run_at: number | null;
  last_job_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ScheduleTables {
  sync_schedules: SyncSchedulesTable;
}
