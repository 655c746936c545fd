import { sql } from 'kysely';
import { transitionJob } from '../core/index.js';
import { capabilitiesOf } from './dialect.js';
import { toRecord } from './sync-job.rows.js';
import type { Db } from './schema.js';
import type { SyncJobRecord } from './sync-job.types.js';

/**
 * Completes a running job that `owner` still holds and nobody asked to cancel — the check and the
 * move in ONE guarded UPDATE … RETURNING, with no read before or after it (issue 17) — and drops
 * the job's item checkpoints (nothing resumes an ended job). The change is core's
 * `transitionJob(running → completed)`; the lease and the dedupe key are cleared as for every
 * terminal state. Where the dialect allows it (PostgreSQL) the checkpoints go in the same
 * statement. `totalDelta` is a change of the total the engine still has to write (its exact total
 * once listing is over), applied in the same statement. Returns the completed row, or undefined when the lease was lost, the job is no longer
 * running or a cancel was requested: the caller then reads the job and decides.
 */
export async function completeHeldJob(
  db: Db,
  jobId: string,
  owner: string,
  now: number,
  totalDelta?: number,
): Promise<SyncJobRecord | undefined> {
  const changes = { ...transitionJob({ job_id: jobId, status: 'running' }, 'completed', now) };
  const update = db
    .updateTable('sync_jobs')
    .set({ ...changes, updated_at: now, active_key: null, lease_owner: null, lease_expires_at: null })
    // The engine's last count (see advanceJobCounters: a total still unknown counts from zero).
    .$if(totalDelta !== undefined, (u) => u.set({ total_items: sql<number>`coalesce(total_items, 0) + cast(${totalDelta} as integer)` }))
    .where('job_id', '=', jobId)
    .where('status', '=', 'running')
    .where('lease_owner', '=', owner)
    .where('cancel_requested', '=', 0)
    .returningAll();
  if (capabilitiesOf(db).dataModifyingCtes) {
    const row = await db
      .with('done', () => update)
      .with('items', (w) =>
        w.deleteFrom('sync_job_items').where('sync_job_items.job_id', 'in', (eb) => eb.selectFrom('done').select('done.job_id')),
      )
      .selectFrom('done')
      .selectAll()
      // `items` is read by nothing: PostgreSQL runs every data-modifying CTE to completion anyway.
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }
  const row = await update.executeTakeFirst();
  if (!row) return undefined;
  await db.deleteFrom('sync_job_items').where('job_id', '=', jobId).execute();
  return toRecord(row);
}
