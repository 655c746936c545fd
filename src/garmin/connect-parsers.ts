/** Validation of the Connect API answers the service relies on (only the fields it uses). */
import type { GarminActivitySummary, GarminWorkoutSummary } from './types.js';
import { expectArray, expectObject, isObject, optNumber, optString, protocolChanged, reqNumber, reqString } from './validate.js';
import type { Json } from './validate.js';

/** One item of /activitylist-service/activities/search/activities. */
export function parseActivitySummary(v: unknown, label: string): GarminActivitySummary {
  const o = expectObject(v, label, 'activity');
  const type = o.activityType;
  if (!isObject(type) || typeof type.typeKey !== 'string') throw protocolChanged(label, 'activityType.typeKey is missing');
  return {
    activityId: reqNumber(o, 'activityId', label),
    activityName: optString(o, 'activityName', label),
    startTimeGMT: reqString(o, 'startTimeGMT', label),
    activityType: { ...type, typeKey: type.typeKey },
    duration: optNumber(o, 'duration', label),
    distance: optNumber(o, 'distance', label),
    calories: optNumber(o, 'calories', label),
    averageHR: optNumber(o, 'averageHR', label),
    raw: o,
  };
}

export function parseActivityList(v: unknown, label: string): GarminActivitySummary[] {
  return expectArray(v, label).map((item) => parseActivitySummary(item, label));
}

/** One item of /workout-service/workouts. */
export function parseWorkoutSummary(v: unknown, label: string): GarminWorkoutSummary {
  const o = expectObject(v, label, 'workout');
  const sport = o.sportType;
  if (sport !== undefined && sport !== null && !(isObject(sport) && typeof sport.sportTypeKey === 'string')) {
    throw protocolChanged(label, 'sportType.sportTypeKey is missing');
  }
  return {
    workoutId: reqNumber(o, 'workoutId', label),
    workoutName: optString(o, 'workoutName', label),
    sportType: isObject(sport) ? { ...sport, sportTypeKey: sport.sportTypeKey as string } : null,
    updatedDate: optString(o, 'updatedDate', label),
    raw: o,
  };
}

export function parseWorkoutList(v: unknown, label: string): GarminWorkoutSummary[] {
  return expectArray(v, label).map((item) => parseWorkoutSummary(item, label));
}

/** An object answer that must carry `key` as a number (e.g. activityId, workoutId). */
export function parseObjectWithId(v: unknown, key: string, label: string): Json {
  const o = expectObject(v, label);
  reqNumber(o, key, label);
  return o;
}

/** An object answer that must carry `key` as an object (e.g. userData, dailySleepDTO). */
export function parseObjectWithChild(v: unknown, key: string, label: string): Json {
  const o = expectObject(v, label);
  if (!isObject(o[key])) throw protocolChanged(label, `${key} is not an object`);
  return o;
}

/**
 * A daily answer (summary, heart rate, stress). Garmin answers a day without data with JSON
 * `null` (stress, recorded) or a null-filled object; `null` becomes `{}` as python-garminconnect
 * does for 204, so callers test fields, not the answer's presence.
 */
export function parseDaily(v: unknown, label: string): Json {
  if (v === null) return {};
  const o = expectObject(v, label);
  optString(o, 'calendarDate', label);
  return o;
}
