import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/store/testing/dialects.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

describe.each(testDialects())('worker pools sharing one database ($name)', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('claims every job exactly once across three pools and completes all of them', async () => {
    h = await startHarness({ activities: 2, days: 2, workouts: 2 }, { dialect });
    const users = ['u-a', 'u-b', 'u-c', 'u-d', 'u-e', 'u-f'];
    const jobs = await Promise.all(users.map((u) => h!.service.create(u, SESSION, { sync_type: 'workouts' })));
    const pools = [h.pool({ maxJobs: 1 }), h.pool({ maxJobs: 1 }), h.pool({ maxJobs: 2 })];
    pools.forEach((p) => p.start());
    for (const { job } of jobs) {
      expect(await h.settled(job.job_id)).toMatchObject({ status: 'completed', attempts: 1, total_items: 2, processed_items: 2 });
    }
    for (const u of users) expect(await h.store.workouts.count(u)).toBe(2);
  });

  it('claims a job that arrives while a claim is under way at once, not at the next poll', async () => {
    h = await startHarness({ activities: 0, days: 1, workouts: 1 }, { dialect });
    const claimMany = h.store.jobs.claimMany.bind(h.store.jobs);
    let created: Promise<{ job: { job_id: string } }> | undefined;
    // The first claim finds nothing; the job (and its wake-up) arrives before that claim returns.
    h.store.jobs.claimMany = async (...args) => {
      const got = await claimMany(...args);
      if (!created) {
        created = h!.service.create(USER, SESSION, { sync_type: 'workouts' });
        await created;
      }
      return got;
    };
    // An hour's poll: only the remembered wake-up can start the job within the wait below.
    h.pool({ pollMs: 3_600_000 }).start();
    await expect.poll(() => created, { timeout: 5_000 }).toBeDefined();
    const { job } = await created!;
    expect(await h.settled(job.job_id, 10_000)).toMatchObject({ status: 'completed', attempts: 1 });
  });
});
