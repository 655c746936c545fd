/**
 * Kysely table type of migration 007: one row per (user, Garmin calendarDate, metric family).
 * Conventions as in sync.tables.ts: epoch-ms integers, 0/1 flags, JSON as text.
 */
export interface HealthMetricsTable {
  user_id: string;
  /** Garmin's calendarDate (the user's local day), YYYY-MM-DD. */
  calendar_date: string;
  /** A name from core's HEALTH_METRICS. */
  family: string;
  /** Garmin's answer for this family and day as JSON text; NULL when Garmin sent nothing (204). */
  payload: string | null;
  /** 'present' | 'empty' (core HealthMetricState). */
  state: string;
  /** 'api' | 'archive' (core HealthMetricSource). */
  source: string;
  fetched_at: number;
  /** 1 when fetched after the day had ended (the data can no longer grow), else 0 (partial day). */
  complete: number;
  job_id: string | null;
}

export interface HealthMetricsTables {
  health_metrics: HealthMetricsTable;
}
