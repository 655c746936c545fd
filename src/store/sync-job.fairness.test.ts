/** Issue 12.6: fair claiming across users and the per-user limit of active jobs, on both dialects. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { SyncStore } from './sync-store.js';
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

  /**
   * The same mixed state in any store: alice runs one job under a live lease and was served at
   * T0+5; bob was served at T0+10 and runs nothing; carol was never served; dave's job was left
   * running by a dead worker (lease expired). Queued jobs interleave the users' creation times so
   * that age order and user order disagree.
   */
  async function mixedBacklog(store: SyncStore): Promise<void> {
    const make = (id: string, user: string, day: string, at: number) =>
      store.jobs.createOrGetActive({ ...job(user, `2026-04-${day}`), job_id: id }, at);
    await make('a-running', 'alice', '01', T0);
    await store.jobs.claimNext('other', T0 + 5, LEASE);
    await make('b-done', 'bob', '01', T0 + 1);
    const b = await store.jobs.claimNext('other', T0 + 10, LEASE);
    await store.jobs.transition(b!, 'completed', T0 + 11);
    await make('d-orphan', 'dave', '01', T0 + 12);
    await store.jobs.claimNext('dead', T0 + 13, 1000);
    const queued: Array<[string, string]> = [
      ['bob', 'b1'],
      ['carol', 'c1'],
      ['bob', 'b2'],
      ['alice', 'a1'],
      ['carol', 'c2'],
      ['bob', 'b3'],
      ['alice', 'a2'],
      ['dave', 'd1'],
      ['carol', 'c3'],
      ['alice', 'a3'],
    ];
    for (const [i, [user, id]] of queued.entries()) await make(id, user, String(i + 2).padStart(2, '0'), T0 + 100 + i);
  }

  it('a batch claim takes exactly the jobs one-by-one claims take, in the same order', async () => {
    const other = await open();
    try {
      const oneByOne = new SyncStore(other.db);
      await Promise.all([mixedBacklog(fresh.store), mixedBacklog(oneByOne)]);
      const now = T0 + 10_000;
      // One at a time: six claims at one instant, then the rest at a later one (as two batches are).
      const expected: string[] = [];
      for (let i = 0; i < 14; i++) {
        const next = await oneByOne.jobs.claimNext('w', i < 6 ? now : now + 6, LEASE);
        if (next) expected.push(next.job_id);
      }
      // Every claimable job once: the ten queued and dave's orphan; alice's live job is not claimable.
      expect([...expected].sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3', 'd-orphan', 'd1']);
      const firstSix = await fresh.store.jobs.claimMany('w', now, LEASE, 6);
      const rest = await fresh.store.jobs.claimMany(
        'w',
        now + 6,
        LEASE,
        100,
        firstSix.map((j) => j.job_id),
      );
      expect([...firstSix, ...rest].map((j) => j.job_id)).toEqual(expected);
      expect(firstSix.map((j) => [j.status, j.lease_owner, j.lease_expires_at])).toEqual(firstSix.map(() => ['running', 'w', now + LEASE]));
      const orphan = [...firstSix, ...rest].find((j) => j.job_id === 'd-orphan');
      expect(orphan?.attempts).toBe(2);
      expect(await fresh.store.jobs.claimMany('w', now + 7, LEASE, 10)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('concurrent batch claims never take a job twice', async () => {
    for (let i = 0; i < 40; i++)
      await fresh.store.jobs.createOrGetActive(job(['alice', 'bob', 'carol'][i % 3]!, `2026-05-${String(i + 1).padStart(2, '0')}`), T0 + i);
    const claimer = async (w: string): Promise<string[]> => {
      const mine: string[] = [];
      for (;;) {
        const got = await fresh.store.jobs.claimMany(w, T0 + 1000, LEASE, 3);
        if (got.length === 0) return mine;
        mine.push(...got.map((j) => j.job_id));
      }
    };
    const claimed = (await Promise.all(['w1', 'w2', 'w3', 'w4'].map(claimer))).flat();
    expect(claimed).toHaveLength(40);
    expect(new Set(claimed).size).toBe(40);
    const jobs = await Promise.all(['alice', 'bob', 'carol'].map((u) => fresh.store.jobs.list(u, { limit: 100 })));
    expect(jobs.flatMap((p) => p.items).every((j) => j.status === 'running' && j.attempts === 1)).toBe(true);
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
