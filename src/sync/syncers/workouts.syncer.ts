import type { GarminWorkoutSummaryLike } from '../garmin.port.js';
import { defineSyncer } from '../syncer.js';
import { parseGarminGmt } from '../dates.js';

const PAGE = 100;

interface WorkoutItem {
  key: string;
  id: string;
  summary: GarminWorkoutSummaryLike;
  updatedAt: number | null;
}

/**
 * Workouts: lists all definitions (a user has tens) and fetches detail + FIT only for those that
 * are new or whose updatedDate changed (all of them with `full`). A no-op run costs one request.
 */
export const workoutsSyncer = defineSyncer({
  type: 'workouts',
  async open(ctx) {
    const userId = ctx.job.user_id;
    return {
      async *pages() {
        for (let start = 0; ; start += PAGE) {
          const page = await ctx.garmin((g, signal) => g.listWorkouts({ start, limit: PAGE }, signal));
          yield page.map((summary) => ({
            key: `workout:${summary.workoutId}`,
            id: String(summary.workoutId),
            summary,
            updatedAt: summary.updatedDate ? parseGarminGmt(summary.updatedDate) : null,
          }));
          if (page.length < PAGE) return;
        }
      },
      async alreadyCurrent(items: readonly WorkoutItem[]) {
        if (ctx.job.params.full) return new Set<string>();
        const versions = await ctx.stored.workouts.versions(userId);
        return new Set(items.filter((w) => versions.has(w.id) && versions.get(w.id)!.updated_at === w.updatedAt).map((w) => w.key));
      },
      async fetch(w: WorkoutItem) {
        const detail = await ctx.garmin((g, signal) => g.getWorkout(w.summary.workoutId, signal));
        const fit = await ctx.garmin((g, signal) => g.downloadWorkoutFit(w.summary.workoutId, signal));
        return { detail, ref: await ctx.putBlob(fit) };
      },
      async write(tx, w, { detail, ref }) {
        await tx.workouts.upsert(
          {
            user_id: userId,
            workout_id: w.id,
            name: w.summary.workoutName ?? null,
            sport: w.summary.sportType?.sportTypeKey ?? null,
            updated_at: w.updatedAt,
            raw: detail,
            fit: { sha256: ref.sha256, size_bytes: ref.size },
            job_id: ctx.job.job_id,
          },
          ctx.now(),
        );
      },
    };
  },
});
