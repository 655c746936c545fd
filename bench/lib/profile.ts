// Sizes of each row for the full run (the numbers where a run of the whole bench stays
// within ~45 minutes on 2 cores; the last one took 40 minutes before row 9 gained N = 10,000, about 6 more) and for --quick (a smoke check well under 3 minutes).

export interface Profile {
  name: 'full' | 'quick';
  row1: {
    n: number;
    latencyMs: number;
    budget: number;
    /** N when the service has no budget setting and runs at its built-in rate (slower). */
    defaultN: number;
    reps: number;
    /** Extra runs of our side with more items in flight (0: none). */
    variantConcurrency: number;
    variantReps: number;
    baselineN: number;
    baselineReps: number;
    timeoutMs: number;
  };
  row2: { n: number; latencyMs: number; concurrency: number[]; reps: number; timeoutMs: number };
  /** Rows 3–5 share one small dataset on a fast emulator. */
  shared: { n: number };
  row3: { reps: number };
  row4: { runs: number; warmup: number };
  row5: { connections: number; durationSec: number; reps: number };
  /** One backfill per size, each at most `windowMs`; VmHWM is read then (the job may not be done). */
  row6: { sizes: number[]; reps: number; windowMs: number };
  /** CPU per activity: a backfill of n at latencyMs, budget never binding. */
  row8: { n: number; latencyMs: number; reps: number; timeoutMs: number };
  row7: { backlog: number; reps: number; pickupJobs: number; timeoutMs: number };
  /** Archive import (issue 16) at two sizes, side by side: time and peak RSS. */
  row9: { sizes: number[]; reps: number; timeoutMs: number };
  /** `garminsync export DIR` (issue 14) of n activities (+ health days, workouts): first export and no-change re-run. */
  row10: { n: number; days: number; workouts: number; firstReps: number; rerunReps: number; timeoutMs: number };
}

export const FULL: Profile = {
  name: 'full',
  // The sequential baseline needs ~2N requests × 200 ms (≈ 13 min at N = 2,000), so it is timed
  // on the first `baselineN` activities and projected linearly to N; see the row's notes.
  row1: {
    n: 2000,
    latencyMs: 200,
    budget: 20,
    defaultN: 300,
    reps: 5,
    variantConcurrency: 8,
    variantReps: 2,
    baselineN: 100,
    baselineReps: 5,
    timeoutMs: 600_000,
  },
  row2: { n: 100, latencyMs: 200, concurrency: [1, 4, 8, 16], reps: 5, timeoutMs: 300_000 },
  shared: { n: 200 },
  row3: { reps: 7 },
  row4: { runs: 20, warmup: 3 },
  row5: { connections: 100, durationSec: 10, reps: 5 },
  row6: { sizes: [500, 5000], reps: 3, windowMs: 300_000 },
  row8: { n: 300, latencyMs: 100, reps: 3, timeoutMs: 300_000 },
  row7: { backlog: 1000, reps: 3, pickupJobs: 100, timeoutMs: 180_000 },
  row9: { sizes: [500, 5000, 10000], reps: 3, timeoutMs: 1_800_000 },
  row10: { n: 2000, days: 90, workouts: 12, firstReps: 3, rerunReps: 7, timeoutMs: 900_000 },
};

export const QUICK: Profile = {
  name: 'quick',
  row1: {
    n: 60,
    latencyMs: 200,
    budget: 20,
    defaultN: 30,
    reps: 3,
    variantConcurrency: 8,
    variantReps: 1,
    baselineN: 10,
    baselineReps: 3,
    timeoutMs: 60_000,
  },
  row2: { n: 20, latencyMs: 200, concurrency: [1, 4, 8, 16], reps: 1, timeoutMs: 60_000 },
  shared: { n: 30 },
  row3: { reps: 3 },
  row4: { runs: 5, warmup: 1 },
  row5: { connections: 100, durationSec: 1, reps: 3 },
  row6: { sizes: [60, 240], reps: 1, windowMs: 15_000 },
  row8: { n: 30, latencyMs: 100, reps: 1, timeoutMs: 60_000 },
  row7: { backlog: 60, reps: 2, pickupJobs: 15, timeoutMs: 60_000 },
  row9: { sizes: [20, 80, 160], reps: 1, timeoutMs: 120_000 },
  row10: { n: 40, days: 7, workouts: 3, firstReps: 2, rerunReps: 3, timeoutMs: 60_000 },
};
