/**
 * The sync room's narrow port to Garmin (design.md §2: "garmin through a narrow port"): the
 * subset of the Garmin client's GarminConnect the syncers call. The real GarminConnect satisfies
 * it structurally; tests may pass a fake. Never a credential login from here.
 */
import type { GarminActivitySummary, GarminHealthApi, GarminWorkoutSummary } from '../garmin/index.js';

/** An activity as the Garmin client's list returns it (startTimeGMT: "YYYY-MM-DD HH:MM:SS", GMT). */
export type GarminActivitySummaryLike = GarminActivitySummary;
export type GarminWorkoutSummaryLike = GarminWorkoutSummary;

export interface GarminConnectLike {
  getSocialProfile(signal?: AbortSignal): Promise<{ displayName: string }>;
  listActivities(
    q: { start: number; limit: number; startDate?: string; endDate?: string },
    signal?: AbortSignal,
  ): Promise<GarminActivitySummaryLike[]>;
  downloadActivityFit(activityId: number, signal?: AbortSignal): Promise<Buffer>;
  /** The activity's detail; its `metadataDTO.lastUpdateDate` tells whether it was edited (renamed). */
  getActivity(activityId: number, signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** When the account's last device upload happened (the one-request change probe of scheduled runs). */
  getLastUsedDevice(signal?: AbortSignal): Promise<{ uploadTimeMs: number | null }>;
  getDailySummary(date: string, signal?: AbortSignal): Promise<Record<string, unknown>>;
  getDailyHeartRate(date: string, signal?: AbortSignal): Promise<Record<string, unknown>>;
  getSleep(date: string, displayName: string, signal?: AbortSignal): Promise<Record<string, unknown>>;
  getStress(date: string, signal?: AbortSignal): Promise<Record<string, unknown>>;
  getHrv(date: string, signal?: AbortSignal): Promise<Record<string, unknown> | null>;
  getWeightRange(startDate: string, endDate: string, signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** The health surface beyond the six daily answers. */
  health: Pick<
    GarminHealthApi,
    | 'getBodyBatteryReports'
    | 'getRespiration'
    | 'getSpo2'
    | 'getTrainingReadiness'
    | 'getStepsChart'
    | 'getFloors'
    | 'getHydration'
    | 'getIntensityMinutes'
    | 'getTrainingStatus'
    | 'getEnduranceScore'
    | 'getHillScore'
    | 'getFitnessAge'
    | 'getMaxMetrics'
    | 'getRacePredictions'
    | 'getBloodPressure'
    | 'getWeeklySteps'
    | 'getDailySteps'
    | 'getActivityDetails'
  >;
  listWorkouts(q: { start: number; limit: number }, signal?: AbortSignal): Promise<GarminWorkoutSummaryLike[]>;
  getWorkout(workoutId: number, signal?: AbortSignal): Promise<Record<string, unknown>>;
  downloadWorkoutFit(workoutId: number, signal?: AbortSignal): Promise<Buffer>;
}

/**
 * Gives the engine a Garmin client for a user (implemented in src/auth over the user's encrypted
 * tokens). Throws GARMIN_REAUTH_REQUIRED when the user must log in again.
 */
export interface GarminGateway {
  forUser(userId: string): Promise<GarminConnectLike>;
}
