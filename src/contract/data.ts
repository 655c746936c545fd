import { Type, type Static } from 'typebox';
import { GARMIN_ID_PATTERN } from '../core/index.js';
import { NullableTimestamp, Timestamp } from './common.js';

/** One of Garmin's numeric ids (activityId, workoutId); the rule lives in core (the CLI checks it too). */
export const GarminId = Type.String({ pattern: GARMIN_ID_PATTERN, description: "Garmin's numeric id" });

/** `GET /activities/{id}` and `/activities/{id}/fit`. */
export const ActivityIdParams = Type.Object({ id: GarminId }, { additionalProperties: false });
export type ActivityIdParams = Static<typeof ActivityIdParams>;

/** `GET /activities`: a page, newest first; `cursor` is the previous page's `next_cursor`. */
export const ActivityListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    sport: Type.Optional(Type.String({ maxLength: 64, description: "Garmin's activityType.typeKey" })),
  },
  { additionalProperties: false },
);
export type ActivityListQuery = Static<typeof ActivityListQuery>;

/** An activity as synced: Garmin's metadata summarised, plus the stored original FIT. */
export const Activity = Type.Object({
  activity_id: Type.String({ description: "Garmin's activityId" }),
  name: Type.Union([Type.String(), Type.Null()]),
  sport: Type.String({ description: 'Garmin activityType.typeKey' }),
  start_time: Timestamp,
  start_time_local: Type.Union([Type.String(), Type.Null()], {
    description: "Garmin's startTimeLocal, the wall-clock time of the start where it happened (YYYY-MM-DD HH:MM:SS)",
  }),
  duration_seconds: Type.Union([Type.Number(), Type.Null()]),
  distance_meters: Type.Union([Type.Number(), Type.Null()]),
  calories: Type.Union([Type.Number(), Type.Null()]),
  average_hr: Type.Union([Type.Number(), Type.Null()]),
  fit: Type.Union([Type.Object({ size_bytes: Type.Integer(), sha256: Type.String() }), Type.Null()]),
  synced_at: Timestamp,
});
export type Activity = Static<typeof Activity>;

export const ActivityDetail = Type.Intersect([Activity, Type.Object({ raw: Type.Unknown() })]);
export type ActivityDetail = Static<typeof ActivityDetail>;

/** `GET /activities/{id}/details`: Garmin's time series, fetched from Garmin on demand (never during a sync). */
export const ActivityDetailsQuery = Type.Object(
  {
    max_chart_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 2000, description: 'rows of metrics at most' })),
    max_polyline_size: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 4000, description: 'polyline points at most' })),
  },
  { additionalProperties: false },
);
export type ActivityDetailsQuery = Static<typeof ActivityDetailsQuery>;

export const ActivityDetails = Type.Object({
  activity_id: Type.String(),
  details: Type.Unknown({
    description:
      "Garmin's /activity-service/activity/{id}/details answer as sent: metricDescriptors (key, unit, metricsIndex — the order is not fixed), activityDetailMetrics (rows of metrics), geoPolylineDTO",
  }),
});
export type ActivityDetails = Static<typeof ActivityDetails>;

export const ActivityList = Type.Object({ items: Type.Array(Activity), next_cursor: Type.Union([Type.String(), Type.Null()]) });
export type ActivityList = Static<typeof ActivityList>;

export const Workout = Type.Object({
  workout_id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  sport: Type.Union([Type.String(), Type.Null()]),
  updated_at: NullableTimestamp,
  fit: Type.Union([Type.Object({ size_bytes: Type.Integer(), sha256: Type.String() }), Type.Null()]),
  synced_at: Timestamp,
});
export type Workout = Static<typeof Workout>;

/** A workout with Garmin's definition document (steps, targets). */
export const WorkoutDetail = Type.Intersect([Workout, Type.Object({ raw: Type.Unknown() })]);
export type WorkoutDetail = Static<typeof WorkoutDetail>;

/** Workouts by name, paged like activities. */
export const WorkoutList = Type.Object({ items: Type.Array(Workout), next_cursor: Type.Union([Type.String(), Type.Null()]) });
export type WorkoutList = Static<typeof WorkoutList>;

/** `GET /workouts/{id}` and `/workouts/{id}/fit`. */
export const WorkoutIdParams = Type.Object({ id: GarminId }, { additionalProperties: false });
export type WorkoutIdParams = Static<typeof WorkoutIdParams>;

/** `GET /workouts`: a page by name; `cursor` is the previous page's `next_cursor`. */
export const WorkoutListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
  },
  { additionalProperties: false },
);
export type WorkoutListQuery = Static<typeof WorkoutListQuery>;

/** GET /activities/sports: the sports of the caller's synced activities, most frequent first. */
export const ActivitySportList = Type.Object({
  items: Type.Array(Type.Object({ sport: Type.String(), count: Type.Integer({ minimum: 1 }) })),
});
export type ActivitySportList = Static<typeof ActivitySportList>;
