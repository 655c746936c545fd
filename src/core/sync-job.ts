import { AppError, type ErrorCode } from './errors.js';

/** What can be synced. `all` is a CLI/API convenience that starts one job per type. */
export const SYNC_TYPES = ['activities', 'health', 'workouts'] as const;
export type SyncType = (typeof SYNC_TYPES)[number];

export function isSyncType(v: unknown): v is SyncType {
  return typeof v === 'string' && (SYNC_TYPES as readonly string[]).includes(v);
}

/**
 * Every kind of job: the sync types (started with POST /sync/jobs, from Garmin) and `archive`,
 * the import of an uploaded Garmin account export (started by its upload, POST /imports).
 */
export const JOB_TYPES = [...SYNC_TYPES, 'archive'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export function isJobType(v: unknown): v is JobType {
  return typeof v === 'string' && (JOB_TYPES as readonly string[]).includes(v);
}

/** The seed's Sync Job statuses (data-model.md "State Transitions"). */
export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * The only allowed transitions, exactly those of the seed:
 * pending→running, running→completed, running→failed, pending→cancelled, running→cancelled.
 */
const ALLOWED_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  pending: ['running', 'cancelled'],
  running: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** The fields a transition changes on a job. */
export interface JobTransitionChanges {
  status: JobStatus;
  start_time?: number;
  end_time?: number;
  error_message?: string | null;
  error_code?: ErrorCode | null;
  progress?: number;
}

/** Why a job failed: a stable catalogue code for programs and one sentence for people. */
export interface JobFailureReason {
  code: ErrorCode;
  message: string;
}

/**
 * The one function through which a Sync Job changes status (design.md §3). It refuses every
 * transition the seed does not list with INVALID_TRANSITION (HTTP 409) and says which fields
 * change: start_time on pending→running, end_time on every terminal state, error_code and
 * error_message on failure (INTERNAL when no reason is given), progress 100 on completion.
 */
export function transitionJob(
  job: { job_id: string; status: JobStatus },
  to: JobStatus,
  nowMs: number,
  failure?: JobFailureReason,
): JobTransitionChanges {
  if (!canTransition(job.status, to)) {
    throw new AppError('INVALID_TRANSITION', `A ${job.status} job cannot become ${to}.`, {
      job_id: job.job_id,
      from: job.status,
      to,
    });
  }
  const changes: JobTransitionChanges = { status: to };
  if (to === 'running') changes.start_time = nowMs;
  if (isTerminal(to)) changes.end_time = nowMs;
  if (to === 'failed') {
    changes.error_code = failure?.code ?? 'INTERNAL';
    changes.error_message = failure?.message ?? 'The sync failed.';
  }
  if (to === 'completed') changes.progress = 100;
  return changes;
}

/** Percentage 0–100, whole numbers, never 100 before the work is really done. */
export function progressPercent(processed: number, total: number | null | undefined): number {
  if (!total || total <= 0) return 0;
  // Integer arithmetic, as the store computes it in SQL (29 of 100 is 29 %, not 28 from 0.29 × 100).
  const pct = Math.floor((processed * 100) / total);
  return Math.max(0, Math.min(processed >= total ? 100 : 99, pct));
}

/** What started a job: a person (CLI/API) or the user's schedule (issue 15). */
export const JOB_TRIGGERS = ['manual', 'schedule'] as const;
export type JobTrigger = (typeof JOB_TRIGGERS)[number];

/**
 * The change-detection probe of a scheduled activities run (issue 15): Garmin's last device upload
 * time before the run, the one the last successful run saw, and whether the run went on to list.
 */
export interface JobProbe {
  /** Epoch ms of the account's last device upload; null when Garmin knows none. */
  upload_time: number | null;
  /** What the last successful probed run saw; null when none did. */
  previous_upload_time: number | null;
  /** false: nothing was uploaded since, so the run ended after this one request. */
  changed: boolean;
  /** Set when the probe itself failed (the run then listed as usual): its error code. */
  error_code?: string;
}
