/** Issue 12.6: fair claiming across users and the per-user limit of active jobs, on both dialects. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { testDialects } from './testing/dialects.js';
import { freshStoreEach } from './testing/fresh-store.js';

const T0 = Date.UTC(2026, 10, 27, 12);
const LEASE = 60_000;
let seq = 0;
const job = (user_id: string, from: string | null = null) => ({
  job_id: `job-${String(++seq).padStart(4, '0')}`,
  user_id,
  session_id: `s-${user_id}`,
  sync_type: 'health' as const,
  params: { from, to: null, full: false },
});

describe.each(testDialects())('fair claiming and per-user limits on $name', ({ open }) => {
  const fresh = freshStoreEach(open);

  /** A queues `n` jobs before B queues one. */
  async function queue(n: number) {
    const a = [];
    for (let i = 0; i < n; i++)
      a.push((await fresh.store.jobs.createOrGetActive(job('alice', `2026-01-${String(i + 1).padStart(2, '0')}`), T0 + i)).job);
    const b = (await fresh.store.jobs.createOrGetActive(job('bob'), T0 + 1000)).job;
    return { a, b };
  }

  it("gives a waiting user the next slot while another user's older jobs are queued", async () => {
    const { a, b } = await queue(20);
    const first = await fresh.store.jobs.claimNext('w1', T0 + 2000, LEASE);
    const second = await fresh.store.jobs.claimNext('w2', T0 + 2001, LEASE);
    expect(first?.job_id).toBe(a[0]!.job_id);
    // Before issue 12.6 the second slot went to alice's second job too.
    expect(second?.job_id).toBe(b.job_id);
    const third = await fresh.store.jobs.claimNext('w3', T0 + 2002, LEASE);
    expect(third?.job_id).toBe(a[1]!.job_id);
  });

  it('takes turns with a single slot: the least recently served user goes first', async () => {
    const { a, b } = await queue(5);
    const c = (await fresh.store.jobs.createOrGetActive(job('carol'), T0 + 1500)).job;
    const order: string[] = [];
    let now = T0 + 2000;
    for (let i = 0; i < 7; i++) {
      const claimed = await fresh.store.jobs.claimNext('w', now++, LEASE);
      if (!claimed) break;
      order.push(claimed.job_id);
      await fresh.store.jobs.transition(claimed, 'completed', now++);
    }
    expect(order).toEqual([a[0]!.job_id, b.job_id, c.job_id, a[1]!.job_id, a[2]!.job_id, a[3]!.job_id, a[4]!.job_id]);
  });

  it('a running job whose lease expired is resumed in the same fair order', async () => {
    const { a, b } = await queue(2);
    const first = await fresh.store.jobs.claimNext('dead-worker', T0 + 2000, 1000);
    expect(first?.job_id).toBe(a[0]!.job_id);
    // The lease ran out: alice has nothing running under a live lease, bob was never served.
    const next = await fresh.store.jobs.claimNext('w', T0 + 5000, LEASE);
    expect(next?.job_id).toBe(b.job_id);
    const resumed = await fresh.store.jobs.claimNext('w', T0 + 5001, LEASE);
    expect(resumed?.job_id).toBe(a[0]!.job_id);
    expect(resumed?.attempts).toBe(2);
  });

  it('refuses a job beyond the per-user limit with TOO_MANY_ACTIVE_JOBS, still deduplicates, and frees a place when a job ends', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await fresh.store.jobs.createOrGetActive(job('alice', `2026-02-0${i + 1}`), T0 + i, 3));
    expect(made.every((m) => !m.deduplicated)).toBe(true);
    const beyond = await fresh.store.jobs.createOrGetActive(job('alice', '2026-02-09'), T0 + 10, 3).catch((e: unknown) => e);
    expect(isAppError(beyond, 'TOO_MANY_ACTIVE_JOBS')).toBe(true);
    expect((beyond as { details: { limit: number } }).details.limit).toBe(3);
    // An identical request still answers with the existing job.
    const same = await fresh.store.jobs.createOrGetActive(job('alice', '2026-02-01'), T0 + 11, 3);
    expect(same).toMatchObject({ deduplicated: true, job: { job_id: made[0]!.job.job_id } });
    // Another user is not affected.
    expect((await fresh.store.jobs.createOrGetActive(job('bob'), T0 + 12, 3)).deduplicated).toBe(false);
    const claimed = await fresh.store.jobs.claimNext('w', T0 + 20, LEASE);
    await fresh.store.jobs.transition(claimed!, 'completed', T0 + 21);
    expect((await fresh.store.jobs.createOrGetActive(job('alice', '2026-02-09'), T0 + 22, 3)).deduplicated).toBe(false);
  });

  it('never exceeds the limit under concurrent creates', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        fresh.store.jobs.createOrGetActive(job('alice', `2026-03-${String(i + 1).padStart(2, '0')}`), T0 + i, 4),
      ),
    );
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected' && isAppError(r.reason, 'TOO_MANY_ACTIVE_JOBS'));
    expect(created).toHaveLength(4);
    expect(refused).toHaveLength(8);
    expect((await fresh.store.jobs.list('alice', { limit: 100 })).items).toHaveLength(4);
  });
});
