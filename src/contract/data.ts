import { Type, type Static } from 'typebox';
import { CalendarDate, NullableTimestamp, Timestamp } from './common.js';

/** An activity as synced: Garmin's metadata summarised, plus the stored original FIT. */
export const Activity = Type.Object({
  activity_id: Type.String({ description: "Garmin's activityId" }),
  name: Type.Union([Type.String(), Type.Null()]),
  sport: Type.String({ description: 'Garmin activityType.typeKey' }),
  start_time: Timestamp,
  duration_seconds: Type.Union([Type.Number(), Type.Null()]),
  distance_meters: Type.Union([Type.Number(), Type.Null()]),
  calories: Type.Union([Type.Number(), Type.Null()]),
  average_hr: Type.Union([Type.Number(), Type.Null()]),
  fit: Type.Union([
    Type.Object({ size_bytes: Type.Integer(), sha256: Type.String() }),
    Type.Null(),
  ]),
  synced_at: Timestamp,
});
export type Activity = Static<typeof Activity>;

export const ActivityDetail = Type.Intersect([Activity, Type.Object({ raw: Type.Unknown() })]);

export const ActivityList = Type.Object({ items: Type.Array(Activity), next_cursor: Type.Union([Type.String(), Type.Null()]) });
export type ActivityList = Static<typeof ActivityList>;

/** One day of health data, keyed by Garmin's calendarDate; each part as Garmin sent it (or null). */
export const HealthDay = Type.Object({
  calendar_date: CalendarDate,
  summary: Type.Unknown(),
  heart_rate: Type.Unknown(),
  sleep: Type.Unknown(),
  stress: Type.Unknown(),
  hrv: Type.Unknown(),
  weight: Type.Unknown(),
  synced_at: Timestamp,
});
export type HealthDay = Static<typeof HealthDay>;

export const HealthDayList = Type.Object({ items: Type.Array(HealthDay) });

export const Workout = Type.Object({
  workout_id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  sport: Type.Union([Type.String(), Type.Null()]),
  updated_at: NullableTimestamp,
  fit: Type.Union([Type.Object({ size_bytes: Type.Integer(), sha256: Type.String() }), Type.Null()]),
  synced_at: Timestamp,
});
export type Workout = Static<typeof Workout>;
export const WorkoutList = Type.Object({ items: Type.Array(Workout) });
