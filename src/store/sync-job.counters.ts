import { sql } from 'kysely';
import { toRecord } from './sync-job.rows.js';
import type { Db } from './schema.js';
import type { SyncJobRecord } from './sync-job.types.js';

/** What one checkpoint adds to a job's counters (items done, maybe failed, resumed, more found). */
export interface CounterDelta {
  processed: number;
  failed: number;
  resumed?: number;
  total?: number;
}

/**
 * Adds `delta` to the counters of a running job held by `owner` and sets `progress` from the new
 * counters — in ONE UPDATE … RETURNING (issue 17: one statement per item, no re-read of the row).
 * Increments happen in SQL, so concurrent checkpoints (PostgreSQL runs them in parallel) never
 * overwrite each other. Progress is core's `progressPercent` written in SQL: 0 while the total is
 * unknown or zero, 100 once every item is handled, else ⌊processed × 100 ÷ total⌋ in integer
 * arithmetic (so at most 99). Returns the job row as committed by this statement, or undefined
 * when the lease was lost (a checkpoint transaction then rolls back).
 */
export async function advanceJobCounters(
  db: Db,
  jobId: string,
  owner: string,
  delta: CounterDelta,
  now: number,
): Promise<SyncJobRecord | undefined> {
  // In SET, column names are the row's values before the update: spell out the new ones. The casts
  // keep the arithmetic integer (better-sqlite3 binds a JS number as REAL, and 100 ÷ 3.0 is 33.3…).
  const processed = sql<number>`(processed_items + cast(${delta.processed} as integer))`;
  // A total still unknown (NULL) counts from zero once items are found.
  const total =
    delta.total !== undefined ? sql<number>`(coalesce(total_items, 0) + cast(${delta.total} as integer))` : sql<number>`total_items`;
  const row = await db
    .updateTable('sync_jobs')
    .set((eb) => ({
      processed_items: eb('processed_items', '+', delta.processed),
      failed_items: eb('failed_items', '+', delta.failed),
      ...(delta.resumed ? { resumed_items: eb('resumed_items', '+', delta.resumed) } : {}),
      ...(delta.total !== undefined ? { total_items: total } : {}),
      progress: sql<number>`case when ${total} is null or ${total} <= 0 then 0 when ${processed} >= ${total} then 100 else (${processed} * 100) / ${total} end`,
      updated_at: now,
    }))
    .where('job_id', '=', jobId)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}
