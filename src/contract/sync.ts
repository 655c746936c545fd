import { Type, type Static } from 'typebox';
import { CalendarDate, NullableTimestamp, SyncDate, Timestamp } from './common.js';
import { HealthMetricName } from './health.js';

export const SyncTypeSchema = Type.Union([Type.Literal('activities'), Type.Literal('health'), Type.Literal('workouts')]);
/** Every job type: the sync types plus `archive` (an uploaded account export being imported; see POST /imports). */
export const JobTypeSchema = Type.Union([...SyncTypeSchema.anyOf, Type.Literal('archive')]);
export const JobStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

const HealthMetricList = Type.Array(HealthMetricName, { minItems: 1, maxItems: 64, uniqueItems: true });

/**
 * POST /sync/jobs. `from`/`to` bound a re-sync; `full` ignores the watermark (health: back to the
 * account's first day with data). Health only: `metrics` chooses the families (default: the
 * default set), `missing` fetches only what coverage shows missing, failed or partial in from–to.
 */
export const CreateJobRequest = Type.Object(
  {
    sync_type: SyncTypeSchema,
    from: Type.Optional(SyncDate),
    to: Type.Optional(SyncDate),
    full: Type.Optional(Type.Boolean()),
    retry_failed_of: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'an ended job of the same sync_type with failed_items > 0: the new job works only the items that failed in it, over its range (from/to/full must then be left out)',
      }),
    ),
    metrics: Type.Optional(HealthMetricList),
    missing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateJobRequest = Static<typeof CreateJobRequest>;

/**
 * A scheduled activities run first asks Garmin for the account's last device upload (one request);
 * when it has not moved since the last successful probed run, the job ends with 0 items.
 */
export const JobProbe = Type.Object({
  upload_time: NullableTimestamp,
  previous_upload_time: NullableTimestamp,
  changed: Type.Boolean({ description: 'false: nothing new was uploaded, so the run made this one request only' }),
  error_code: Type.Optional(Type.String({ description: 'the probe failed (the run then listed as usual)' })),
});
export type JobProbe = Static<typeof JobProbe>;

/** The seed's Sync Job with what the engine adds. */
export const SyncJob = Type.Object({
  job_id: Type.String(),
  user_id: Type.String(),
  session_id: Type.String(),
  sync_type: JobTypeSchema,
  status: JobStatusSchema,
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  total_items: Type.Union([Type.Integer(), Type.Null()]),
  processed_items: Type.Integer({ description: 'items handled so far: written, resumed or failed' }),
  failed_items: Type.Integer({ description: 'items that failed permanently and were skipped (see /failures)' }),
  resumed_items: Type.Integer({
    description: 'of processed_items, those an earlier attempt of this same job had already written (the job was resumed)',
  }),
  start_time: NullableTimestamp,
  end_time: NullableTimestamp,
  error_message: Type.Union([Type.String(), Type.Null()], { description: 'why a failed job failed, one sentence for people' }),
  error_code: Type.Union([Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }), Type.Null()], {
    description:
      'why a failed job failed, as a stable UPPER_SNAKE error code (e.g. GARMIN_REAUTH_REQUIRED); branch on this, not on error_message; null unless failed',
  }),
  params: Type.Object({
    from: Type.Union([CalendarDate, Type.Null()]),
    to: Type.Union([CalendarDate, Type.Null()]),
    full: Type.Boolean(),
    import_id: Type.Optional(Type.String({ description: 'an archive job: the import it runs (GET /imports/{import_id})' })),
    retry_failed_of: Type.Optional(Type.String({ description: 'a retry of the failed items of this earlier job (`sync retry --failed`)' })),
    metrics: Type.Optional(
      Type.Array(HealthMetricName, { description: 'a health job: the families it fetches (absent: the default set)' }),
    ),
    missing: Type.Optional(Type.Boolean({ description: 'a health job that fetches only missing, failed and partial days' })),
  }),
  cancel_requested: Type.Boolean(),
  attempts: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
  trigger: Type.Union([Type.Literal('manual'), Type.Literal('schedule')], {
    description: "manual: started by a person (CLI/API); schedule: started by the user's schedule (GET /sync/schedules)",
  }),
  probe: Type.Union([JobProbe, Type.Null()], {
    description: 'the change-detection probe of a scheduled activities run; null when none was made',
  }),
});
export type SyncJob = Static<typeof SyncJob>;

export const CreateJobResponse = Type.Object({
  job: SyncJob,
  deduplicated: Type.Boolean({ description: 'true when an identical pending/running job was returned' }),
});
export type CreateJobResponse = Static<typeof CreateJobResponse>;

export const ListJobsQuery = Type.Object(
  {
    status: Type.Optional(JobStatusSchema),
    sync_type: Type.Optional(JobTypeSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    id_prefix: Type.Optional(
      Type.String({
        pattern: '^[0-9A-Za-z-]{1,64}$',
        description: 'only jobs whose job_id starts with this (how the CLI resolves a short id such as `cdcb3b8f`)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListJobsQuery = Static<typeof ListJobsQuery>;

export const JobList = Type.Object({
  items: Type.Array(SyncJob),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export type JobList = Static<typeof JobList>;

/**
 * One Server-Sent Event on GET /sync/jobs/{job_id}/events: `event: progress` while the job
 * moves, `event: end` with the terminal state, then the stream closes.
 */
export const JobEvent = Type.Object({ type: Type.Union([Type.Literal('progress'), Type.Literal('end')]), job: SyncJob });
export type JobEvent = Static<typeof JobEvent>;

/** An item a job skipped after a permanent upstream error (e.g. FIT_INVALID, GARMIN_NOT_FOUND). */
export const JobFailure = Type.Object({
  job_id: Type.String(),
  item_key: Type.String({ description: 'which item, e.g. "activity:123" or "2026-11-01"' }),
  error_code: Type.String(),
  error_message: Type.String(),
  created_at: Timestamp,
});
export type JobFailure = Static<typeof JobFailure>;
export const JobFailureList = Type.Object({ items: Type.Array(JobFailure) });
export type JobFailureList = Static<typeof JobFailureList>;

/** The `{job_id}` of `/sync/jobs/{job_id}…` (a whole id; prefixes go through `id_prefix` of the list). */
export const JobIdParams = Type.Object({ job_id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
