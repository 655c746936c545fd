import type { Db } from './schema.js';

export interface JobFailureRecord {
  job_id: string;
  item_key: string;
  error_code: string;
  error_message: string;
  created_at: number;
}

/** Items of a job that failed permanently and were skipped (FIT_INVALID, GARMIN_NOT_FOUND, …). */
export class JobFailureRepository {
  constructor(private readonly db: Db) {}

  /** Records a failed item; recording the same item of a job again keeps the first record. */
  async record(f: JobFailureRecord): Promise<boolean> {
    const res = await this.db
      .insertInto('sync_job_failures')
      .values(f)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** A job's failed items in the order they failed. */
  async listForJob(jobId: string): Promise<JobFailureRecord[]> {
    return this.db
      .selectFrom('sync_job_failures')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('created_at')
      .orderBy('item_key')
      .execute();
  }

  /**
   * The user's failed health days in [from, to] (item keys `health:YYYY-MM-DD`) with the job's
   * params (which families it fetched), oldest first: coverage marks them failed.
   */
  async healthFailures(userId: string, from: string, to: string): Promise<(JobFailureRecord & { params: string })[]> {
    return this.db
      .selectFrom('sync_job_failures as f')
      .innerJoin('sync_jobs as j', 'j.job_id', 'f.job_id')
      .select(['f.job_id', 'f.item_key', 'f.error_code', 'f.error_message', 'f.created_at', 'j.params'])
      .where('j.user_id', '=', userId)
      .where('j.sync_type', '=', 'health')
      .where('f.item_key', '>=', `health:${from}`)
      .where('f.item_key', '<=', `health:${to}`)
      .orderBy('f.created_at')
      .execute();
  }

  /** Of `itemKeys`, those that failed in `jobId` (a resumed job skips them instead of failing them twice). */
  async failedAmong(jobId: string, itemKeys: readonly string[]): Promise<Set<string>> {
    const failed = new Set<string>();
    for (let i = 0; i < itemKeys.length; i += 500) {
      const rows = await this.db
        .selectFrom('sync_job_failures')
        .select('item_key')
        .where('job_id', '=', jobId)
        .where('item_key', 'in', itemKeys.slice(i, i + 500))
        .execute();
      for (const r of rows) failed.add(r.item_key);
    }
    return failed;
  }
}
