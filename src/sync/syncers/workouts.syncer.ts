import type { GarminWorkoutSummaryLike } from '../garmin.port.js';
import type { JobContext } from '../job-context.js';
import type { Syncer } from '../syncer.js';
import { parseGarminGmt } from '../dates.js';

const PAGE = 100;

/**
 * Workouts: lists all definitions (a user has tens), fetches detail + FIT only for those that are
 * new or whose updatedDate changed (all of them with `full`). A no-op run costs one request.
 */
export const workoutsSyncer: Syncer = {
  type: 'workouts',
  async run(ctx: JobContext): Promise<void> {
    const all: GarminWorkoutSummaryLike[] = [];
    for (let start = 0; ; start += PAGE) {
      const page = await ctx.upstream((signal) => ctx.garmin.listWorkouts({ start, limit: PAGE }, signal));
      all.push(...page);
      if (page.length < PAGE) break;
    }
    const byId = new Map(all.map((w) => [String(w.workoutId), w]));
    const versions = await ctx.store.workouts.versions(ctx.userId);
    const updatedAt = (w: GarminWorkoutSummaryLike) => (w.updatedDate ? parseGarminGmt(w.updatedDate) : null);
    const scope = [...byId.values()].filter((w) => {
      const v = versions.get(String(w.workoutId));
      return ctx.job.params.full || !v || v.updated_at !== updatedAt(w) || v.job_id === ctx.job.job_id;
    });
    const failedKeys = await ctx.store.failures.keysForJob(ctx.job.job_id);
    const mine = (w: GarminWorkoutSummaryLike) => versions.get(String(w.workoutId))?.job_id === ctx.job.job_id && versions.get(String(w.workoutId))?.updated_at === updatedAt(w);
    const failed = (w: GarminWorkoutSummaryLike) => failedKeys.has(`workout:${w.workoutId}`);
    const todo = scope.filter((w) => !mine(w) && !failed(w));
    await ctx.setTotal(scope.length, scope.filter(mine).length, scope.filter(failed).length);

    await ctx.forEachItem(todo, (w) => `workout:${w.workoutId}`, async (w) => {
      const detail = await ctx.upstream((signal) => ctx.garmin.getWorkout(w.workoutId, signal));
      const fit = await ctx.upstream((signal) => ctx.garmin.downloadWorkoutFit(w.workoutId, signal));
      const ref = await ctx.blobs.put(fit);
      return (tx) =>
        tx.workouts.upsert(
          {
            user_id: ctx.userId,
            workout_id: String(w.workoutId),
            name: w.workoutName ?? null,
            sport: w.sportType?.sportTypeKey ?? null,
            updated_at: updatedAt(w),
            raw: detail,
            fit: { sha256: ref.sha256, size_bytes: ref.size },
            job_id: ctx.job.job_id,
          },
          ctx.now(),
        );
    });
  },
};
