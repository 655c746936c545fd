import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from './dialect.js';
import type { Database } from './schema.js';
import { testDialects } from './testing/dialects.js';
import { freshStoreEach } from './testing/fresh-store.js';

const T0 = Date.UTC(2026, 10, 27, 12);
let seq = 0;
const newJob = (user = 'u1') => ({
  job_id: `job-${String(++seq).padStart(4, '0')}`,
  user_id: user,
  session_id: 's1',
  sync_type: 'activities' as const,
  // A distinct day per job: identical active jobs would be deduplicated.
  params: { from: new Date(Date.UTC(2000, 0, 1) + seq * 86_400_000).toISOString().slice(0, 10), to: null, full: false },
});

describe.each(testDialects())('completing and claiming in one statement on $name (issue 17)', ({ open }) => {
  const fresh = freshStoreEach(open);

  it('completes a held job in one guarded statement, with its last total, and drops its checkpoints', async () => {
    const { job } = await fresh.store.jobs.createOrGetActive(newJob(), T0);
    const other = (await fresh.store.jobs.createOrGetActive(newJob('u2'), T0)).job;
    const running = (await fresh.store.jobs.claimNext('w1', T0 + 1, 1000))!;
    expect(running.job_id).toBe(job.job_id);
    await fresh.store.jobItems.markDone(job.job_id, 'a');
    await fresh.store.jobItems.markDone(other.job_id, 'b');
    await fresh.store.jobs.advanceCounters(job.job_id, 'w1', { processed: 1, failed: 0 }, T0 + 2);

    // Not the holder: nothing changes.
    expect(await fresh.store.jobs.completeHeld(job.job_id, 'w2', T0 + 3, 1)).toBeUndefined();
    expect(await fresh.store.jobs.get(job.job_id)).toMatchObject({ status: 'running', lease_owner: 'w1', total_items: null });

    const done = await fresh.store.jobs.completeHeld(job.job_id, 'w1', T0 + 4, 1);
    expect(done).toMatchObject({
      job_id: job.job_id,
      status: 'completed',
      progress: 100,
      processed_items: 1,
      total_items: 1, // unknown total counted from zero, as advanceCounters does
      end_time: T0 + 4,
      lease_owner: null,
      lease_expires_at: null,
    });
    expect(await fresh.store.jobs.get(job.job_id)).toEqual(done);
    expect((await fresh.store.jobItems.doneAmong(job.job_id, ['a'])).size).toBe(0);
    expect((await fresh.store.jobItems.doneAmong(other.job_id, ['b'])).size).toBe(1);
    // Ended: a second completion finds nothing to complete; the dedupe key is free again.
    expect(await fresh.store.jobs.completeHeld(job.job_id, 'w1', T0 + 5)).toBeUndefined();
    expect((await fresh.store.jobs.createOrGetActive({ ...newJob(), params: job.params }, T0 + 6)).deduplicated).toBe(false);
  });

  it('does not complete a job whose cancellation was requested, nor one whose lease another worker took', async () => {
    await fresh.store.jobs.createOrGetActive(newJob(), T0);
    await fresh.store.jobs.createOrGetActive(newJob('u2'), T0);
    const [a, b] = await fresh.store.jobs.claimMany('w1', T0 + 1, 1000, 2);
    expect(await fresh.store.jobs.requestCancel(a!.job_id, T0 + 2)).toBe(true);
    expect(await fresh.store.jobs.completeHeld(a!.job_id, 'w1', T0 + 3)).toBeUndefined();
    expect(await fresh.store.jobs.get(a!.job_id)).toMatchObject({ status: 'running', cancel_requested: true });
    // b's lease ran out and w2 resumed it: w1 can no longer complete it.
    expect((await fresh.store.jobs.claimNext('w2', T0 + 2000, 1000, [a!.job_id]))?.job_id).toBe(b!.job_id);
    expect(await fresh.store.jobs.completeHeld(b!.job_id, 'w1', T0 + 2001)).toBeUndefined();
    expect(await fresh.store.jobs.completeHeld(b!.job_id, 'w2', T0 + 2002)).toMatchObject({ status: 'completed' });
  });

  it('claims past more of a user’s first jobs than the ranking reads when a concurrent claimer holds them', async (ctx) => {
    if (!capabilitiesOf(fresh.t.db).supportsSkipLocked) return ctx.skip();
    for (let i = 0; i < 40; i++) await fresh.store.jobs.createOrGetActive(newJob(), T0 + i);
    const first = await fresh.t.db.selectFrom('sync_jobs').select('job_id').orderBy('created_at').orderBy('job_id').execute();
    // Another claimer's transaction holds the user's first 36 jobs (more than limit + the slack of 32).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockedNow = new Promise<void>((r) => (locked = r));
    const other = (fresh.t.db as Kysely<Database>).transaction().execute(async (tx) => {
      await sql`select job_id from sync_jobs where job_id in (${sql.join(first.slice(0, 36).map((r) => r.job_id))}) for update`.execute(tx);
      locked();
      await held;
    });
    await lockedNow;
    try {
      const won = await fresh.store.jobs.claimMany('w1', T0 + 100, 1000, 2);
      expect(won.map((j) => j.job_id)).toEqual([first[36]!.job_id, first[37]!.job_id]);
    } finally {
      release();
      await other;
    }
  });
});
