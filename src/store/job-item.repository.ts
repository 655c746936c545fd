import type { Db } from './schema.js';

/** Keys per `IN (...)` list: far below both dialects' bound-parameter limits. */
const IN_CHUNK = 500;

/**
 * Which items a running job has already written (sync_job_items). The engine marks an item in the
 * same transaction as the item's data and counters, and asks before working a page, so resume
 * bookkeeping lives here once instead of in every syncer.
 */
export class JobItemRepository {
  constructor(private readonly db: Db) {}

  /** Records that `jobId` wrote `itemKey`; marking it again is a no-op. */
  async markDone(jobId: string, itemKey: string): Promise<void> {
    await this.db
      .insertInto('sync_job_items')
      .values({ job_id: jobId, item_key: itemKey })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Of `itemKeys`, those `jobId` has already written. */
  async doneAmong(jobId: string, itemKeys: readonly string[]): Promise<Set<string>> {
    const done = new Set<string>();
    for (let i = 0; i < itemKeys.length; i += IN_CHUNK) {
      const chunk = itemKeys.slice(i, i + IN_CHUNK);
      const rows = await this.db
        .selectFrom('sync_job_items')
        .select('item_key')
        .where('job_id', '=', jobId)
        .where('item_key', 'in', chunk)
        .execute();
      for (const r of rows) done.add(r.item_key);
    }
    return done;
  }

  /**
   * The keys `jobId` has written that start with `prefix` (a literal: no `%` or `_`), in any order:
   * what a job did, from its checkpoints, so a report survives the job being resumed by another process.
   */
  async doneWithPrefix(jobId: string, prefix: string): Promise<string[]> {
    if (/[%_\\]/.test(prefix)) throw new Error(`doneWithPrefix takes a literal prefix without % or _: ${prefix}`);
    const rows = await this.db
      .selectFrom('sync_job_items')
      .select('item_key')
      .where('job_id', '=', jobId)
      .where('item_key', 'like', `${prefix}%`)
      .execute();
    return rows.map((r) => r.item_key);
  }

  /** Forgets a job's checkpoints (the job ended: nothing will resume it). */
  async clear(jobId: string): Promise<void> {
    await this.db.deleteFrom('sync_job_items').where('job_id', '=', jobId).execute();
  }
}
