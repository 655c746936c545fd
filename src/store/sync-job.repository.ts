import { sql } from 'kysely';
import { AppError, transitionJob, type JobFailureReason, type JobProbe, type JobStatus, type JobTrigger } from '../core/index.js';
import { claimJobs } from './sync-job.claim.js';
import { completeHeldJob } from './sync-job.completion.js';
import { advanceJobCounters, type CounterDelta } from './sync-job.counters.js';
import { canonicalParams, toRecord } from './sync-job.rows.js';
import { FreshRowCache } from './fresh-row-cache.js';
import { withUserJobLock } from './user-job-lock.js';
import { decodeCursor, encodeCursor } from './json.js';
import type { Db } from './schema.js';
import type { JobCounters, ListJobsFilter, NewSyncJob, Page, SyncJobRecord } from './sync-job.types.js';

export { canonicalParams } from './sync-job.rows.js';

/**
 * The sync_jobs table. Status changes go only through core's `transitionJob`, applied with an
 * optimistic `WHERE status = <from>` guard so two writers can never both move a job.
 */
export class SyncJobRepository {
  /** Jobs as last read, served while nothing in the database changed (clients poll their job). */
  private readonly recent: FreshRowCache<SyncJobRecord>;

  constructor(private readonly db: Db) {
    this.recent = new FreshRowCache(db);
  }

  /**
   * Inserts a pending job unless the user already has an identical (same type and params)
   * pending/running job that is not being cancelled; then that job is returned with
   * `deduplicated: true`. Race-free across processes through the unique (user_id, active_key) index.
   * With `maxActivePerUser`, a user who already has that many pending/running jobs gets
   * TOO_MANY_ACTIVE_JOBS instead of a new one; the count and the insert are one critical section
   * per user (see withUserJobLock), so concurrent creates on several processes cannot exceed it.
   */
  async createOrGetActive(
    input: NewSyncJob,
    now: number,
    maxActivePerUser?: number,
  ): Promise<{ job: SyncJobRecord; deduplicated: boolean }> {
    const params = canonicalParams(input.params);
    const activeKey = `${input.sync_type}|${params}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await this.db
        .selectFrom('sync_jobs')
        .selectAll()
        .where('user_id', '=', input.user_id)
        .where('active_key', '=', activeKey)
        .executeTakeFirst();
      if (existing) return { job: toRecord(existing), deduplicated: true };
      const inserted =
        maxActivePerUser === undefined
          ? await this.insertPending(this.db, input, params, activeKey, now)
          : await withUserJobLock(this.db, input.user_id, async (db) => {
              const { n } = await db
                .selectFrom('sync_jobs')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('user_id', '=', input.user_id)
                .where('status', 'in', ['pending', 'running'])
                .executeTakeFirstOrThrow();
              return Number(n) >= maxActivePerUser ? ('full' as const) : this.insertPending(db, input, params, activeKey, now);
            });
      if (inserted === 'full') {
        throw new AppError(
          'TOO_MANY_ACTIVE_JOBS',
          `You already have ${maxActivePerUser} sync jobs pending or running; wait for one to end or cancel one.`,
          {
            limit: maxActivePerUser,
          },
        );
      }
      if (inserted) return { job: (await this.get(input.job_id))!, deduplicated: false };
      // Lost a race with an identical insert: loop and return the winner.
    }
    throw new AppError('CONFLICT', 'Could not create the sync job; try again.');
  }

  /** Inserts the pending row; false when an identical active job won the unique index. */
  private async insertPending(db: Db, input: NewSyncJob, params: string, activeKey: string, now: number): Promise<boolean> {
    const res = await db
      .insertInto('sync_jobs')
      .values({
        job_id: input.job_id,
        user_id: input.user_id,
        session_id: input.session_id,
        sync_type: input.sync_type,
        status: 'pending',
        progress: 0,
        total_items: null,
        processed_items: 0,
        failed_items: 0,
        start_time: null,
        end_time: null,
        error_message: null,
        error_code: null,
        params,
        active_key: activeKey,
        cancel_requested: 0,
        lease_owner: null,
        lease_expires_at: null,
        attempts: 0,
        created_at: now,
        updated_at: now,
        trigger: input.trigger ?? ('manual' satisfies JobTrigger),
      })
      // Both dialects: ON CONFLICT DO NOTHING (no target) skips on the active_key unique index.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async get(jobId: string): Promise<SyncJobRecord | undefined> {
    const row = await this.db.selectFrom('sync_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /**
   * One job of one user; other users' jobs are invisible (undefined). As fresh as a read of the
   * row (see FreshRowCache); the record may be shared with other callers, so it is frozen.
   */
  async getForUser(userId: string, jobId: string): Promise<SyncJobRecord | undefined> {
    const job = await this.recent.get(jobId, async () => {
      const read = await this.get(jobId);
      return read && Object.freeze({ ...read, params: Object.freeze(read.params) });
    });
    return job?.user_id === userId ? job : undefined;
  }

  /** A user's jobs, newest first, keyset-paged by (created_at, job_id). Bad cursor → VALIDATION_FAILED. */
  async list(userId: string, filter: ListJobsFilter = {}): Promise<Page<SyncJobRecord>> {
    const limit = Math.min(100, Math.max(1, filter.limit ?? 20));
    let q = this.db.selectFrom('sync_jobs').selectAll().where('user_id', '=', userId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.sync_type) q = q.where('sync_type', '=', filter.sync_type);
    if (filter.id_prefix !== undefined) {
      // LIKE wildcards cannot occur: the prefix is letters, digits and '-' (else it matches nothing).
      // Job ids are lowercase UUIDs, and SQLite's LIKE ignores ASCII case: lowercase for PostgreSQL too.
      const prefix = /^[0-9A-Za-z-]+$/.test(filter.id_prefix) ? filter.id_prefix.toLowerCase() : null;
      q = prefix === null ? q.where(sql<boolean>`1 = 0`) : q.where('job_id', 'like', `${prefix}%`);
    }
    if (filter.cursor) {
      const [at, id] = decodeCursor(filter.cursor, ['integer', 'string']);
      q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('job_id', '<', id)])]));
    }
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('job_id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toRecord);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor([last.created_at, last.job_id]) : null };
  }

  /**
   * Moves a job to `to` through core's `transitionJob` (which refuses every transition the seed
   * does not list with INVALID_TRANSITION) and applies its changes guarded by the status read.
   * A terminal state clears the lease, the dedupe key and the job's item checkpoints. When another writer moved the job
   * first, the transition is re-checked against the fresh state (and refused if now invalid).
   * A move to `failed` stores the failure's catalogue code and sentence.
   */
  async transition(
    job: Pick<SyncJobRecord, 'job_id' | 'status'>,
    to: JobStatus,
    now: number,
    failure?: JobFailureReason,
  ): Promise<SyncJobRecord> {
    let current: Pick<SyncJobRecord, 'job_id' | 'status'> = job;
    for (let attempt = 0; attempt < 3; attempt++) {
      const changes = transitionJob(current, to, now, failure);
      const terminal = to !== 'running';
      const res = await this.db
        .updateTable('sync_jobs')
        .set({
          ...changes,
          updated_at: now,
          ...(terminal ? { active_key: null, lease_owner: null, lease_expires_at: null } : {}),
        })
        .where('job_id', '=', current.job_id)
        .where('status', '=', current.status)
        .executeTakeFirst();
      const moved = Number(res.numUpdatedRows) === 1;
      // Nothing resumes an ended job: its item checkpoints go with it.
      if (moved && terminal) await this.db.deleteFrom('sync_job_items').where('job_id', '=', current.job_id).execute();
      const fresh = await this.get(current.job_id);
      if (!fresh) throw new AppError('NOT_FOUND', 'No such sync job.', { job_id: job.job_id });
      if (moved) return fresh;
      current = fresh;
    }
    throw new AppError('CONFLICT', 'The job changed while it was being updated; try again.', { job_id: job.job_id });
  }

  /** See completeHeldJob: completes the job `owner` holds in one guarded statement; undefined when it cannot (read and decide). */
  async completeHeld(jobId: string, owner: string, now: number, totalDelta?: number): Promise<SyncJobRecord | undefined> {
    return completeHeldJob(this.db, jobId, owner, now, totalDelta);
  }

  /** Records the change-detection probe of a running job held by `owner`; false when the lease was lost. */
  async setProbe(jobId: string, owner: string, probe: JobProbe, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('sync_jobs')
      .set({ probe: JSON.stringify(probe), updated_at: now })
      .where('job_id', '=', jobId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Marks a running job for cancellation at its next item; frees its dedupe key. */
  async requestCancel(jobId: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('sync_jobs')
      .set({ cancel_requested: 1, active_key: null, updated_at: now })
      .where('job_id', '=', jobId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /**
   * Claims the next job for `owner`, fairly across users (see claimJobs). `exclude` lists the
   * jobs the claimer still runs: a job whose lease ran out under a busy event loop must not be
   * claimed again by the same worker (both runs would hold one owner's lease).
   */
  async claimNext(owner: string, now: number, leaseMs: number, exclude: readonly string[] = []): Promise<SyncJobRecord | undefined> {
    return (await claimJobs(this.db, owner, now, leaseMs, 1, exclude))[0];
  }

  /**
   * Claims up to `limit` jobs for `owner` in one go (a worker filling its free slots), in the
   * order one-by-one claims would have taken them; fewer (or none) when fewer are claimable.
   */
  async claimMany(owner: string, now: number, leaseMs: number, limit: number, exclude: readonly string[] = []): Promise<SyncJobRecord[]> {
    return claimJobs(this.db, owner, now, leaseMs, limit, exclude);
  }

  /** Extends the lease while its owner still holds it; false means the lease was lost. */
  async renewLease(jobId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const res = await this.db
      .updateTable('sync_jobs')
      .set({ lease_expires_at: now + leaseMs, updated_at: now })
      .where('job_id', '=', jobId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Gives a running job back (graceful stop): another worker may claim it at once. */
  async releaseLease(jobId: string, owner: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('sync_jobs')
      .set({ lease_owner: null, lease_expires_at: null, updated_at: now })
      .where('job_id', '=', jobId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** See advanceJobCounters: one UPDATE … RETURNING per checkpoint; the fresh row, or undefined when the lease was lost. */
  async advanceCounters(jobId: string, owner: string, delta: CounterDelta, now: number): Promise<SyncJobRecord | undefined> {
    return advanceJobCounters(this.db, jobId, owner, delta, now);
  }

  /**
   * Writes progress counters, only while `owner` holds the lease of the running job. Returns
   * false when the lease was lost, so a checkpoint inside a transaction can roll back.
   */
  async updateCounters(jobId: string, owner: string, counters: JobCounters, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('sync_jobs')
      .set({ ...counters, updated_at: now })
      .where('job_id', '=', jobId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
