import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/store/testing/dialects.js';
import { SESSION, startHarness, type Harness } from './harness.js';

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
});
