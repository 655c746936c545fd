import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, canTransition, isAppError, progressPercent, type JobStatus } from '../core/index.js';
import { testDialects } from './testing/dialects.js';
import { freshStoreEach } from './testing/fresh-store.js';

const T0 = Date.UTC(2026, 10, 27, 12);
let seq = 0;
const newJob = (over: Partial<{ user_id: string; sync_type: 'activities' | 'health' | 'workouts'; full: boolean }> = {}) => ({
  job_id: `job-${String(++seq).padStart(4, '0')}`,
  user_id: over.user_id ?? 'u1',
  session_id: 's1',
  sync_type: over.sync_type ?? 'activities',
  params: { from: null, to: null, full: over.full ?? false },
});

describe.each(testDialects())('SyncJobRepository on $name', ({ open }) => {
  const fresh = freshStoreEach(open);

  it('creates a pending job and returns an identical pending/running one instead of a duplicate', async () => {
    const a = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    expect(a.deduplicated).toBe(false);
    expect(a.job).toMatchObject({
      status: 'pending',
      progress: 0,
      processed_items: 0,
      failed_items: 0,
      total_items: null,
      attempts: 0,
      cancel_requested: false,
    });
    expect(a.job.params).toEqual({ from: null, to: null, full: false });
    const b = await fresh.store.jobs.createOrGetActive(newJob(), T0 + 1);
    expect(b).toMatchObject({ deduplicated: true, job: { job_id: a.job.job_id } });
    // Different params, type or user → a new job.
    expect((await fresh.store.jobs.createOrGetActive(newJob({ full: true }), T0)).deduplicated).toBe(false);
    expect((await fresh.store.jobs.createOrGetActive(newJob({ sync_type: 'health' }), T0)).deduplicated).toBe(false);
    expect((await fresh.store.jobs.createOrGetActive(newJob({ user_id: 'u2' }), T0)).deduplicated).toBe(false);
    // Concurrent identical creates yield one job.
    const many = await Promise.all([1, 2, 3, 4, 5].map(() => fresh.store.jobs.createOrGetActive(newJob({ sync_type: 'workouts' }), T0)));
    expect(new Set(many.map((m) => m.job.job_id)).size).toBe(1);
    expect(many.filter((m) => !m.deduplicated)).toHaveLength(1);
    // Once terminal (or being cancelled), an identical request creates a new job.
    const claimed = await fresh.store.jobs.claimNext('w', T0, 1000);
    expect(claimed?.job_id).toBe(a.job.job_id);
    await fresh.store.jobs.transition(claimed!, 'completed', T0 + 5);
    expect((await fresh.store.jobs.createOrGetActive(newJob(), T0 + 6)).deduplicated).toBe(false);
  });

  it('allows exactly the seed transitions and refuses every other with INVALID_TRANSITION', async () => {
    const reach = async (status: JobStatus) => {
      const { job } = await fresh.store.jobs.createOrGetActive(newJob({ user_id: `u-${++seq}` }), T0);
      if (status === 'pending') return job;
      const running = await fresh.store.jobs.transition(job, 'running', T0 + 1);
      if (status === 'running') return running;
      if (status === 'cancelled' && seq % 2 === 0)
        return fresh.store.jobs.transition(job, 'cancelled', T0 + 2).catch(() => fresh.store.jobs.transition(running, 'cancelled', T0 + 2));
      return fresh.store.jobs.transition(
        running,
        status,
        T0 + 2,
        status === 'failed' ? { code: 'GARMIN_UNAVAILABLE', message: 'boom' } : undefined,
      );
    };
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) {
        const job = await reach(from);
        expect(job.status).toBe(from);
        if (canTransition(from, to)) {
          const moved = await fresh.store.jobs.transition(job, to, T0 + 10, { code: 'GARMIN_NOT_FOUND', message: 'why' });
          expect(moved.status, `${from}>${to}`).toBe(to);
          if (to === 'running') expect(moved.start_time).toBe(T0 + 10);
          if (to !== 'running') expect(moved.end_time).toBe(T0 + 10);
          // The code is stored only on failure, and read back as written on both dialects.
          expect(moved.error_code).toBe(to === 'failed' ? 'GARMIN_NOT_FOUND' : null);
          if (to === 'failed') expect(moved.error_message).toBe('why');
          if (to === 'completed') expect(moved.progress).toBe(100);
        } else {
          const err = await fresh.store.jobs.transition(job, to, T0 + 10).catch((e: unknown) => e);
          expect(isAppError(err, 'INVALID_TRANSITION'), `${from}>${to}`).toBe(true);
          expect((await fresh.store.jobs.get(job.job_id))?.status).toBe(from);
        }
      }
    }
  });

  it('re-checks a transition against the fresh state when another writer moved the job first', async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    await fresh.store.jobs.transition(job, 'cancelled', T0 + 1);
    // `job` is a stale read (pending): pending→running is allowed, cancelled→running is not.
    const err = await fresh.store.jobs.transition(job, 'running', T0 + 2).catch((e: unknown) => e);
    expect(isAppError(err, 'INVALID_TRANSITION')).toBe(true);
  });

  it('claims with a lease, renews it, refuses foreign owners and resumes an expired lease', async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    const c = await fresh.store.jobs.claimNext('w1', T0, 1000);
    expect(c).toMatchObject({
      job_id: job.job_id,
      status: 'running',
      start_time: T0,
      lease_owner: 'w1',
      lease_expires_at: T0 + 1000,
      attempts: 1,
    });
    expect(await fresh.store.jobs.claimNext('w2', T0 + 500, 1000)).toBeUndefined();
    expect(await fresh.store.jobs.renewLease(job.job_id, 'w1', T0 + 900, 1000)).toBe(true);
    expect(await fresh.store.jobs.renewLease(job.job_id, 'w2', T0 + 900, 1000)).toBe(false);
    expect(await fresh.store.jobs.updateCounters(job.job_id, 'w2', { processed_items: 9 }, T0 + 900)).toBe(false);
    expect(await fresh.store.jobs.updateCounters(job.job_id, 'w1', { processed_items: 3, total_items: 10, progress: 30 }, T0 + 950)).toBe(
      true,
    );
    expect(await fresh.store.jobs.claimNext('w2', T0 + 1500, 1000)).toBeUndefined();
    const resumed = await fresh.store.jobs.claimNext('w2', T0 + 1901, 1000);
    expect(resumed).toMatchObject({
      job_id: job.job_id,
      status: 'running',
      start_time: T0,
      lease_owner: 'w2',
      attempts: 2,
      processed_items: 3,
      total_items: 10,
    });
    expect(await fresh.store.jobs.renewLease(job.job_id, 'w1', T0 + 1902, 1000)).toBe(false);
    // A released lease is claimable at once.
    expect(await fresh.store.jobs.releaseLease(job.job_id, 'w2', T0 + 2000)).toBe(true);
    expect((await fresh.store.jobs.claimNext('w3', T0 + 2001, 1000))?.lease_owner).toBe('w3');
    // A worker still running a job whose lease ran out does not claim it a second time.
    expect(await fresh.store.jobs.claimNext('w3', T0 + 5000, 1000, [job.job_id])).toBeUndefined();
    expect((await fresh.store.jobs.claimNext('w3', T0 + 5000, 1000, ['some-other-job']))?.attempts).toBe(4);
  });

  it('claims each pending job exactly once under concurrent claimers', async () => {
    for (let i = 0; i < 6; i++) await fresh.store.jobs.createOrGetActive(newJob({ user_id: `c${i}` }), T0 + i);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => fresh.store.jobs.claimNext(`w${i}`, T0 + 10, 60_000)));
    const ids = claims.filter((c) => c !== undefined).map((c) => c.job_id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('adds concurrent checkpoints up in SQL and recomputes progress; refuses a foreign owner', async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    await fresh.store.jobs.claimNext('w', T0, 60_000);
    await fresh.store.jobs.updateCounters(job.job_id, 'w', { total_items: 20, processed_items: 0, failed_items: 0, progress: 0 }, T0);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fresh.store.transaction((tx) => tx.jobs.advanceCounters(job.job_id, 'w', { processed: 1, failed: i < 3 ? 1 : 0 }, T0 + i)),
      ),
    );
    expect(await fresh.store.jobs.get(job.job_id)).toMatchObject({ processed_items: 20, failed_items: 3, progress: 100 });
    expect(await fresh.store.jobs.advanceCounters(job.job_id, 'intruder', { processed: 1, failed: 0 }, T0)).toBeUndefined();
  });

  it('marks a running job for cancellation and frees its dedupe key', async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    expect(await fresh.store.jobs.requestCancel(job.job_id, T0)).toBe(false); // pending: cancelled directly by the service
    await fresh.store.jobs.claimNext('w', T0, 1000);
    expect(await fresh.store.jobs.requestCancel(job.job_id, T0 + 1)).toBe(true);
    expect((await fresh.store.jobs.get(job.job_id))?.cancel_requested).toBe(true);
    expect((await fresh.store.jobs.createOrGetActive(newJob(), T0 + 2)).deduplicated).toBe(false);
  });

  it("lists a user's jobs newest first with filters and cursor paging", async () => {
    for (let i = 0; i < 7; i++) {
      const { job } = await fresh.store.jobs.createOrGetActive(
        newJob({ sync_type: i % 2 ? 'health' : 'activities', full: i % 3 === 0 }),
        T0 + i,
      );
      if (i < 5) await fresh.store.jobs.transition(job, 'cancelled', T0 + 100);
    }
    await fresh.store.jobs.createOrGetActive(newJob({ user_id: 'other' }), T0 + 50);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await fresh.store.jobs.list('u1', { limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((j) => j.job_id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    const created = await Promise.all(seen.map(async (id) => (await fresh.store.jobs.get(id))!.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect((await fresh.store.jobs.list('u1', { sync_type: 'health' })).items).toHaveLength(3);
    expect((await fresh.store.jobs.list('u1', { status: 'pending' })).items).toHaveLength(2);
    expect(await fresh.store.jobs.getForUser('other', seen[0]!)).toBeUndefined();
    const bad = await fresh.store.jobs.list('u1', { cursor: 'nope' }).catch((e: unknown) => e);
    expect(isAppError(bad, 'VALIDATION_FAILED')).toBe(true);
  });

  it('finds jobs by a prefix of their id: unique, ambiguous, none, another user’s never, wildcards inert (issue 18.7)', async () => {
    const ids = ['cdcb3b8f-0a1e-4c6e-9d1a-111111111111', 'cdcb3b8f-0a1e-4c6e-9d1a-222222222222', '0d1e2f3a-0000-4000-8000-000000000000'];
    for (const [i, id] of ids.entries()) {
      const { job } = await fresh.store.jobs.createOrGetActive(
        { ...newJob(), job_id: id, params: { from: null, to: null, full: i === 1 } },
        T0 + i,
      );
      await fresh.store.jobs.transition(job, 'cancelled', T0 + 10);
    }
    await fresh.store.jobs.createOrGetActive({ ...newJob({ user_id: 'other' }), job_id: '0d1e9999-0000-4000-8000-000000000000' }, T0);
    const find = async (p: string) => (await fresh.store.jobs.list('u1', { id_prefix: p, limit: 2 })).items.map((j) => j.job_id);
    expect(await find('0d1e')).toEqual([ids[2]]);
    expect(await find('CDCB3B8F-0A1E-4C6E-9D1A-1')).toEqual([ids[0]]);
    expect((await find('cdcb3b8f')).sort()).toEqual([ids[0], ids[1]]);
    expect(await find('ffff')).toEqual([]);
    expect(await find('%')).toEqual([]);
    expect(await find('_d1e')).toEqual([]);
  });

  it('records failed items once per job', async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    const f = { job_id: job.job_id, item_key: 'activity:1', error_code: 'FIT_INVALID', error_message: 'bad crc', created_at: T0 };
    expect(await fresh.store.failures.record(f)).toBe(true);
    expect(await fresh.store.failures.record({ ...f, created_at: T0 + 1 })).toBe(false);
    expect(await fresh.store.failures.listForJob(job.job_id)).toEqual([f]);
    expect(await fresh.store.failures.failedAmong(job.job_id, ['activity:1', 'activity:2'])).toEqual(new Set(['activity:1']));
    expect(await fresh.store.failures.failedAmong('another-job', ['activity:1'])).toEqual(new Set());
  });

  it('keeps item checkpoints per job until the job ends, for any number of keys', async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    const other = (await fresh.store.jobs.createOrGetActive(newJob({ user_id: 'u2' }), T0)).job;
    // More keys than one IN list holds, with quotes and non-ASCII: all read back exactly.
    const keys = Array.from({ length: 1200 }, (_, i) => `item:${i}:'ö"`);
    await fresh.store.transaction(async (tx) => {
      for (const k of keys.slice(0, 700)) await tx.jobItems.markDone(job.job_id, k);
    });
    await fresh.store.jobItems.markDone(job.job_id, keys[0]!); // again: a no-op
    await fresh.store.jobItems.markDone(other.job_id, keys[900]!);
    expect((await fresh.store.jobItems.doneAmong(job.job_id, keys)).size).toBe(700);
    expect(await fresh.store.jobItems.doneAmong(job.job_id, [keys[699]!, keys[700]!, keys[900]!])).toEqual(new Set([keys[699]]));
    // A rolled-back item transaction leaves no checkpoint.
    await fresh.store
      .transaction(async (tx) => {
        await tx.jobItems.markDone(job.job_id, 'rolled-back');
        throw new Error('boom');
      })
      .catch(() => {});
    expect((await fresh.store.jobItems.doneAmong(job.job_id, ['rolled-back'])).size).toBe(0);
    // A terminal transition forgets the job's checkpoints, and only that job's.
    const running = (await fresh.store.jobs.claimNext('w', T0 + 1, 1000))!;
    expect(running.job_id).toBe(job.job_id);
    await fresh.store.jobs.transition(running, 'completed', T0 + 2);
    expect((await fresh.store.jobItems.doneAmong(job.job_id, keys)).size).toBe(0);
    expect((await fresh.store.jobItems.doneAmong(other.job_id, keys)).size).toBe(1);
  });

  it('moves counters by deltas, counting an unknown total from zero', async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    await fresh.store.jobs.claimNext('w', T0 + 1, 1000);
    await fresh.store.jobs.updateCounters(job.job_id, 'w', { total_items: null, processed_items: 0, failed_items: 0, progress: 0 }, T0 + 2);
    // One statement returns the whole row it wrote (no re-read per item, issue 17).
    expect(await fresh.store.jobs.advanceCounters(job.job_id, 'w', { processed: 1, failed: 1, total: 4 }, T0 + 3)).toEqual({
      ...(await fresh.store.jobs.get(job.job_id)),
      updated_at: T0 + 3,
      processed_items: 1,
      failed_items: 1,
      total_items: 4,
      progress: 25,
    });
    await Promise.all([1, 2, 3].map(() => fresh.store.jobs.advanceCounters(job.job_id, 'w', { processed: 1, failed: 0 }, T0 + 4)));
    expect(await fresh.store.jobs.get(job.job_id)).toMatchObject({ processed_items: 4, failed_items: 1, total_items: 4, progress: 100 });
    // Another owner cannot move them.
    expect(await fresh.store.jobs.advanceCounters(job.job_id, 'intruder', { processed: 1, failed: 0, total: 1 }, T0 + 5)).toBeUndefined();
  });

  it("computes progress in SQL exactly as core's progressPercent, step by step", async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    await fresh.store.jobs.claimNext('w', T0 + 1, 1000);
    await fresh.store.jobs.updateCounters(job.job_id, 'w', { total_items: null, processed_items: 0, failed_items: 0, progress: 0 }, T0 + 2);
    expect((await fresh.store.jobs.advanceCounters(job.job_id, 'w', { processed: 0, failed: 0 }, T0 + 3))?.progress).toBe(0);
    expect((await fresh.store.jobs.advanceCounters(job.job_id, 'w', { processed: 0, failed: 0, total: 100 }, T0 + 3))?.progress).toBe(0);
    const seen: number[] = [];
    for (let p = 1; p <= 100; p++) {
      const row = await fresh.store.jobs.advanceCounters(job.job_id, 'w', { processed: 1, failed: 0 }, T0 + 4);
      expect(row?.progress).toBe(progressPercent(p, 100));
      seen.push(row!.progress);
    }
    // 29 of 100 is 29 % (floating 0.29 × 100 would floor to 28); the last item makes it 100.
    expect([seen[28], seen[98], seen[99]]).toEqual([29, 99, 100]);
    expect((await fresh.store.jobs.advanceCounters(job.job_id, 'w', { processed: 0, failed: 0, total: 200 }, T0 + 5))?.progress).toBe(33);
  });
});
