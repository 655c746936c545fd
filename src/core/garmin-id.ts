/**
 * Garmin's ids of activities and workouts are decimal numbers (activityId 12345678901). The one
 * rule, shared by the contract's route schemas and the CLI's early argument check; a plain
 * constant so that the CLI can use it without loading TypeBox.
 */
export const GARMIN_ID_PATTERN = '^[0-9]{1,20}$';

const GARMIN_ID = new RegExp(GARMIN_ID_PATTERN);

/** True for a string that can be one of Garmin's activity or workout ids. */
export function isGarminId(value: string): boolean {
  return GARMIN_ID.test(value);
}
