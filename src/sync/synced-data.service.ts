import type { Readable } from 'node:stream';
import { AppError } from '../core/index.js';
import type { GarminGateway } from './garmin.port.js';
import type { ActivityRecord, ActivityRepository, BlobStore, Page, WorkoutRecord, WorkoutRepository } from '../store/index.js';

/** A stored original FIT, opened for streaming. */
export interface OpenedFit {
  stream: Readable;
  size: number;
  sha256: string;
}

export interface SyncedDataServiceOptions {
  activities: Pick<ActivityRepository, 'list' | 'get' | 'sports'>;
  /** Garmin for on-demand reads (activity details); absent: those reads are GARMIN_UNAVAILABLE. */
  gateway?: GarminGateway;
  workouts: Pick<WorkoutRepository, 'page' | 'get'>;
  blobs: Pick<BlobStore, 'open'>;
}

/**
 * Read side of what the syncers stored: activities and workouts with their original FIT files,
 * always scoped to one user (another user's item is NOT_FOUND, like a missing one). Routes stay
 * thin: they validate with the contract's schemas and call this. The request's AbortSignal is
 * checked between steps and ends a FIT stream when the client goes away.
 */
export class SyncedDataService {
  constructor(private readonly o: SyncedDataServiceOptions) {}

  /** A page of activities, newest first (VALIDATION_FAILED for a cursor we did not make). */
  async listActivities(
    userId: string,
    query: { limit?: number; cursor?: string; sport?: string },
    signal?: AbortSignal,
  ): Promise<Page<ActivityRecord>> {
    signal?.throwIfAborted();
    return this.o.activities.list(userId, query);
  }

  /** The sports of the user's synced activities with their counts, most frequent first. */
  async activitySports(userId: string, signal?: AbortSignal): Promise<{ sport: string; count: number }[]> {
    signal?.throwIfAborted();
    return this.o.activities.sports(userId);
  }

  /** One activity with Garmin's document; NOT_FOUND when it was never synced for this user. */
  async activity(userId: string, activityId: string, signal?: AbortSignal): Promise<ActivityRecord> {
    signal?.throwIfAborted();
    const a = await this.o.activities.get(userId, activityId);
    if (!a) throw new AppError('NOT_FOUND', 'No such activity has been synced.', { activity_id: activityId });
    return a;
  }

  /** The activity's original FIT; NOT_FOUND when the activity or its file is missing. */
  async activityFit(userId: string, activityId: string, signal?: AbortSignal): Promise<OpenedFit & { activity: ActivityRecord }> {
    const activity = await this.activity(userId, activityId, signal);
    if (!activity.fit) throw new AppError('NOT_FOUND', 'No FIT file is stored for this activity.', { activity_id: activityId });
    return { activity, ...(await this.open(activity.fit.sha256, signal)) };
  }

  /**
   * Garmin's details (time series and polyline) of a synced activity, fetched from Garmin now
   * through the user's client (so under the account's rate budget); never stored, never part of
   * a sync. NOT_FOUND when the activity was never synced for this user.
   */
  async activityDetails(
    userId: string,
    activityId: string,
    opts: { max_chart_size?: number; max_polyline_size?: number },
    signal?: AbortSignal,
  ): Promise<unknown> {
    await this.activity(userId, activityId, signal);
    if (!this.o.gateway) throw new AppError('GARMIN_UNAVAILABLE', 'This service cannot reach Garmin for activity details.');
    const garmin = await this.o.gateway.forUser(userId);
    return garmin.health.getActivityDetails(
      Number(activityId),
      { maxChartSize: opts.max_chart_size ?? 2000, maxPolylineSize: opts.max_polyline_size ?? 4000 },
      signal,
    );
  }

  /** A page of workouts by name (VALIDATION_FAILED for a cursor we did not make). */
  async listWorkouts(userId: string, query: { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<Page<WorkoutRecord>> {
    signal?.throwIfAborted();
    return this.o.workouts.page(userId, query);
  }

  /** One workout with Garmin's definition; NOT_FOUND when it was never synced for this user. */
  async workout(userId: string, workoutId: string, signal?: AbortSignal): Promise<WorkoutRecord> {
    signal?.throwIfAborted();
    const w = await this.o.workouts.get(userId, workoutId);
    if (!w) throw new AppError('NOT_FOUND', 'No such workout has been synced.', { workout_id: workoutId });
    return w;
  }

  /** The workout's FIT file as Garmin serves it to devices; NOT_FOUND when missing. */
  async workoutFit(userId: string, workoutId: string, signal?: AbortSignal): Promise<OpenedFit & { workout: WorkoutRecord }> {
    const workout = await this.workout(userId, workoutId, signal);
    if (!workout.fit) throw new AppError('NOT_FOUND', 'No FIT file is stored for this workout.', { workout_id: workoutId });
    return { workout, ...(await this.open(workout.fit.sha256, signal)) };
  }

  private async open(sha256: string, signal?: AbortSignal): Promise<OpenedFit> {
    signal?.throwIfAborted();
    const { stream, size } = await this.o.blobs.open(sha256);
    if (signal) {
      // The client went away: stop reading the file instead of streaming into a closed socket.
      const stop = () => stream.destroy();
      signal.addEventListener('abort', stop, { once: true });
      stream.once('close', () => signal.removeEventListener('abort', stop));
    }
    return { stream, size, sha256 };
  }
}
