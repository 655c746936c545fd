import type { ErrorCode, JobProbe, JobStatus, JobTrigger, JobType } from '../core/index.js';

/** What the user asked for: a date range and/or a full re-sync (ignoring the watermark). */
export interface SyncJobParams {
  from: string | null;
  to: string | null;
  full: boolean;
  /** An archive job: the uploaded archive it imports (issue 16). */
  import_id?: string;
  /** `sync retry --failed`: only the items that failed permanently in this earlier job are worked again. */
  retry_failed_of?: string;
  /** A health job: the metric families it fetches (core HEALTH_METRICS names; absent: the default set). */
  metrics?: string[];
  /** A health job: fetch only the days (and families) that coverage shows missing, failed or partial in from–to. */
  missing?: boolean;
}

/** A Sync Job as the store returns it: timestamps in epoch ms, params parsed, flags as booleans. */
export interface SyncJobRecord {
  job_id: string;
  user_id: string;
  session_id: string;
  sync_type: JobType;
  status: JobStatus;
  progress: number;
  total_items: number | null;
  processed_items: number;
  failed_items: number;
  /** Of `processed_items`, those an earlier attempt of this job had already written (resumed). */
  resumed_items: number;
  start_time: number | null;
  end_time: number | null;
  error_message: string | null;
  /** Why a failed job failed, as a stable catalogue code; null unless failed. */
  error_code: ErrorCode | null;
  params: SyncJobParams;
  cancel_requested: boolean;
  lease_owner: string | null;
  lease_expires_at: number | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  /** Who started the job: a person or the user's schedule. */
  trigger: JobTrigger;
  /** The change-detection probe of a scheduled run; null when none was made. */
  probe: JobProbe | null;
}

export interface NewSyncJob {
  job_id: string;
  user_id: string;
  session_id: string;
  sync_type: JobType;
  params: SyncJobParams;
  /** Default 'manual'. */
  trigger?: JobTrigger;
}

export interface ListJobsFilter {
  status?: JobStatus;
  sync_type?: JobType;
  /** 1–100, default 20. */
  limit?: number;
  cursor?: string;
  /** Only job ids starting with this (letters, digits and `-`; anything else matches nothing). */
  id_prefix?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Counters the engine moves while it works. */
export interface JobCounters {
  total_items?: number | null;
  processed_items?: number;
  failed_items?: number;
  resumed_items?: number;
  progress?: number;
}
