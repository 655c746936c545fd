import { AppError } from '../../core/index.js';
import type { AccountIdentity, DatasetOptions } from './account.types.js';
import { drawAthlete, type AthleteProfile } from './account-profile.js';
import { devices, personalRecords } from './account-extras.dto.js';
import { lastUsedDevice } from './last-used-device.dto.js';
import { activityDetail } from './activity-detail.dto.js';
import { activityDetails } from './activity-details.dto.js';
import { activityListItem } from './activity-list.dto.js';
import { ActivityStore, type ActivitySearch } from './activities.store.js';
import { HealthSurface } from './health-surface.js';
import { HealthStore } from './health.store.js';
import { Prng, deriveSeed } from './prng.js';
import { socialProfile, userSettings } from './profile.dto.js';
import { parseCalendarDate } from './time.js';
import { encodeWorkoutFit } from './workout.fit.js';
import { buildWorkouts, workoutDetail, workoutListItem, type WorkoutModel } from './workouts.js';

type Json = Record<string, unknown>;

/**
 * One Garmin account's upstream data, as the Connect API routes and the control API see it.
 * Every method returns Garmin-shaped JSON (or bytes); dates are `YYYY-MM-DD` strings that the
 * routes have already validated (a bad date throws).
 */
export interface AccountData {
  identity: AccountIdentity;
  /** Adds `count` new activities after the newest one (to test incremental sync); returns their ids. */
  addActivities(count: number): number[];
  /** Renames an activity and/or sets its description (its detail's lastUpdateDate becomes `atMs`); false when there is no such activity. */
  editActivity(id: number, patch: { name?: string; description?: string }, atMs: number): boolean;
  /** Number of activities currently upstream. */
  activityCount(): number;
  /** All activity ids, newest first. */
  activityIds(): number[];
  socialProfile(): Json;
  userSettings(): Json;
  /** Activity list items for a validated search (newest first unless sortOrder is asc). */
  searchActivities(q: ActivitySearch): Json[];
  activityDetail(id: number): Json | undefined;
  /** The FIT file as served (corrupted when the id is in the corrupt set). undefined: no such activity. */
  fitBytes(id: number): Uint8Array | undefined;
  /** The download-service ZIP holding `{id}_ACTIVITY.fit` (with the served FIT bytes). */
  zipBytes(id: number): Uint8Array | undefined;
  /** Replaces the set of activity ids whose FIT bytes are served corrupted (fault knob). */
  setCorruptFitIds(ids: Iterable<number>): void;
  dailySummary(date: string): Json;
  dailyHeartRate(date: string): Json;
  /** `withSleepNeed`: the sleep-service variant (adds sleepNeed/nextSleepNeed). */
  dailySleep(date: string, withSleepNeed: boolean): Json;
  /** null when there is no data (Garmin answers a JSON null). */
  dailyStress(date: string): Json | null;
  /** undefined when there is no HRV for that night (Garmin answers 204). */
  hrv(date: string): Json | undefined;
  weightDayView(date: string): Json;
  weightRange(startDate: string, endDate: string): Json;
  /** Workout list items, newest first, paged. */
  workouts(start: number, limit: number): Json[];
  workout(id: number): Json | undefined;
  workoutFitBytes(id: number): Uint8Array | undefined;
  /** The rest of the health surface (charts, respiration, SpO2, metrics, scores…). */
  surface: HealthSurface;
  /** Activity details (metric channels + polyline); undefined: no such activity. Each call shuffles the descriptors anew. */
  activityDetails(id: number, maxChartSize: number, maxPolylineSize: number): Json | undefined;
  devices(): Json[];
  /** /device-service/deviceservice/mylastused: moves when an activity is uploaded (added). */
  lastUsedDevice(): Json;
  personalRecords(): Json[];
}

export type { ActivitySearch };

/** Routes validate dates first; a bad one reaching here is still a 400, not a crash. */
function dateMs(date: string): number {
  const ms = parseCalendarDate(date);
  if (ms === undefined) throw new AppError('VALIDATION_FAILED', `Not a calendar date (YYYY-MM-DD): ${date}`);
  return ms;
}

/**
 * Generates an account's dataset. Cheap up front (activity and day models only); FIT files are
 * generated on first request. Throws CONFIG_INVALID when `endDate` is not a real date.
 */
export function createAccountData(identity: AccountIdentity, options: DatasetOptions): AccountData {
  const endMs = parseCalendarDate(options.endDate);
  if (endMs === undefined)
    throw new AppError('CONFIG_INVALID', `Emulator option "endDate" is not a calendar date: ${options.endDate}`, { setting: 'endDate' });
  const seed = deriveSeed(options.seed, 'account', identity.accountId);
  const athlete: AthleteProfile = drawAthlete(new Prng(deriveSeed(seed, 'athlete')));
  const activities = new ActivityStore(
    seed,
    athlete,
    Math.max(0, Math.floor(options.activities)),
    endMs,
    options.fitCacheSize ?? 64,
    options.notAfterMs,
  );
  const health = new HealthStore(seed, athlete, identity.profileId, endMs, Math.max(0, Math.floor(options.days)));
  const workoutModels: WorkoutModel[] = buildWorkouts(seed, Math.max(0, Math.floor(options.workouts)), endMs);
  const workoutsById = new Map(workoutModels.map((w) => [w.id, w]));
  const workoutFits = new Map<number, Uint8Array>();
  const surface = new HealthSurface(seed, athlete, identity.profileId, health);
  let detailsServed = 0;

  return {
    identity,
    addActivities: (count) => activities.add(Math.max(0, Math.floor(count))),
    editActivity: (id, patch, atMs) => activities.edit(id, patch, atMs) !== undefined,
    activityCount: () => activities.count(),
    activityIds: () => activities.ids(),
    socialProfile: () => socialProfile(identity, athlete),
    userSettings: () => userSettings(identity, athlete),
    searchActivities: (q) => activities.search(q).map((a) => activityListItem(a, identity, athlete.home)),
    activityDetail: (id) => {
      const a = activities.get(id);
      return a ? activityDetail(a, identity, athlete.home) : undefined;
    },
    fitBytes: (id) => activities.fitBytes(id),
    zipBytes: (id) => activities.zipBytes(id),
    setCorruptFitIds: (ids) => activities.setCorrupt(ids),
    dailySummary: (date) => health.summary(date, dateMs(date)),
    dailyHeartRate: (date) => health.heartRate(date, dateMs(date)),
    dailySleep: (date, withNeed) => health.sleep(date, dateMs(date), withNeed),
    dailyStress: (date) => health.stress(dateMs(date)),
    hrv: (date) => health.hrv(dateMs(date)),
    weightDayView: (date) => health.weightDay(date, dateMs(date)),
    weightRange: (start, end) => health.weightRange(dateMs(start), dateMs(end)),
    workouts: (start, limit) =>
      [...workoutModels]
        .reverse()
        .slice(start, start + limit)
        .map((w) => workoutListItem(w, identity.profileId)),
    workout: (id) => {
      const w = workoutsById.get(id);
      return w ? workoutDetail(w, identity.profileId) : undefined;
    },
    surface,
    activityDetails: (id, chart, poly) => {
      const a = activities.get(id);
      return a ? activityDetails(a, chart, poly, deriveSeed(seed, 'details-order', id, detailsServed++)) : undefined;
    },
    devices: () => devices(athlete, activities.all().at(-1)?.startMs ?? null),
    lastUsedDevice: () => lastUsedDevice(athlete, activities.all().at(-1)),
    personalRecords: () => personalRecords(activities.all(), health.allDays(), identity.profileId),
    workoutFitBytes: (id) => {
      const w = workoutsById.get(id);
      if (!w) return undefined;
      let fit = workoutFits.get(id);
      if (!fit) {
        fit = encodeWorkoutFit(w, athlete.deviceId);
        workoutFits.set(id, fit);
      }
      return fit;
    },
  };
}
