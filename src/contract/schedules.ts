import { Type, type Static } from 'typebox';
import { NullableTimestamp, Timestamp } from './common.js';
import { SyncTypeSchema } from './sync.js';

/** A sync type or `all` (every type), where schedules are set or cleared. */
export const ScheduleTypeSchema = Type.Union([...SyncTypeSchema.anyOf, Type.Literal('all')]);

/** PUT /sync/schedules: sync `sync_type` every `every_seconds` (at least the service's minimum). */
export const SetScheduleRequest = Type.Object(
  {
    sync_type: ScheduleTypeSchema,
    every_seconds: Type.Integer({ minimum: 1, maximum: 365 * 86_400, description: "at least the service's min_interval_seconds" }),
  },
  { additionalProperties: false },
);
export type SetScheduleRequest = Static<typeof SetScheduleRequest>;

export const ClearScheduleQuery = Type.Object(
  { sync_type: Type.Optional(ScheduleTypeSchema) },
  { additionalProperties: false, description: 'sync_type defaults to all' },
);
export type ClearScheduleQuery = Static<typeof ClearScheduleQuery>;

/** A user's schedule of one type: each due time becomes an ordinary job with `trigger: schedule`. */
export const Schedule = Type.Object({
  sync_type: SyncTypeSchema,
  every_seconds: Type.Integer(),
  jitter_seconds: Type.Number({ description: "this schedule's fixed offset (up to a tenth of the interval), spreading users apart" }),
  next_run_at: Timestamp,
  last_run_at: NullableTimestamp,
  last_job_id: Type.Union([Type.String(), Type.Null()]),
  paused: Type.Union([Type.Literal('reauth_required'), Type.Null()], {
    description: 'reauth_required: the Garmin account needs `auth login`; the schedule waits (no credential login is ever tried)',
  }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Schedule = Static<typeof Schedule>;

export const ScheduleList = Type.Object({
  items: Type.Array(Schedule),
  min_interval_seconds: Type.Integer({ description: 'the shortest interval this service accepts (--schedule-min-interval)' }),
});
export type ScheduleList = Static<typeof ScheduleList>;
