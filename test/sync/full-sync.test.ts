import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('sync engine against the emulator: full and incremental syncs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ activities: 10, days: 10, workouts: 5 });
    h.pool().start();
  });
  afterAll(async () => h?.close());

  it('syncs every activity with its verified original FIT, then a no-op costs 1 list page (recent summaries compared from it)', async () => {
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    const done = await h.settled(job.job_id);
    expect(done).toMatchObject({
      status: 'completed',
      total_items: 10,
      processed_items: 10,
      failed_items: 0,
      progress: 100,
      error_message: null,
      attempts: 1,
    });
    expect(done.start_time).not.toBeNull();
    expect(done.end_time).toBeGreaterThanOrEqual(done.start_time!);
    expect(await h.store.activities.count(USER)).toBe(10);

    // Stored FIT bytes are exactly Garmin's original.
    const [newest] = (await h.store.activities.list(USER, { limit: 1 })).items;
    const original = await h.backend.downloadFit(Number(newest!.activity_id));
    expect(newest!.fit).toEqual({ sha256: sha256(original), size_bytes: original.length });
    expect(await h.blobs.read(newest!.fit!.sha256)).toEqual(original);

    h.backend.resetRequests();
    const again = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    const noop = await h.settled(again.job.job_id);
    expect(noop).toMatchObject({ status: 'completed', total_items: 0, processed_items: 0, progress: 100 });
    // One list page: it reaches the watermark and holds the last 7 days, whose summaries are
    // compared with the stored ones (the details of those days are read once a day, and the first
    // sync just did).
    expect((await h.store.activities.recent(USER, h.clock.now() - 7 * 86_400_000)).length).toBeGreaterThan(0);
    expect(h.backend.requests()).toBe(1);
    expect(h.backend.logins()).toBe(0);

    // New uploads upstream: the next incremental sync fetches exactly those.
    const added = h.backend.addActivities(2);
    const inc = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    expect(await h.settled(inc.job.job_id)).toMatchObject({ status: 'completed', total_items: 2, processed_items: 2 });
    expect(await h.store.activities.count(USER)).toBe(12);
    for (const id of added) expect((await h.store.activities.get(USER, String(id)))?.fit).not.toBeNull();

    // --full re-syncs everything without duplicating a row.
    const full = await h.service.create(USER, SESSION, { sync_type: 'activities', full: true });
    expect(await h.settled(full.job.job_id)).toMatchObject({ status: 'completed', total_items: 12, processed_items: 12 });
    expect(await h.store.activities.count(USER)).toBe(12);
  });

  it('syncs health day by day (HRV null on 204, weight from one range call)', async () => {
    h.backend.resetRequests();
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'health' });
    const done = await h.settled(job.job_id);
    expect(done).toMatchObject({ status: 'completed', total_items: 10, processed_items: 10, failed_items: 0, progress: 100 });
    expect(await h.store.healthMetrics.countDays(USER)).toBe(10);
    const { items: days } = await h.store.healthMetrics.listDays(USER);
    expect(days.map((d) => d.calendar_date)).toEqual([...days.map((d) => d.calendar_date)].sort().reverse());
    for (const d of days) {
      const stored = Object.fromEntries((await h.store.healthMetrics.getDay(USER, d.calendar_date)).map((r) => [r.family, r]));
      expect(stored.summary).toMatchObject({ state: 'present', source: 'api', payload: { calendarDate: d.calendar_date } });
      expect(stored.heart_rate?.state).toBe('present');
      expect(stored.stress?.state).toBe('present');
      expect(stored.hrv?.state).toBe(stored.hrv?.payload === null ? 'empty' : 'present');
    }
    // 10 days × 8 calls + one profile call (display name for sleep) + the weight range and body battery reports once per job.
    expect(h.backend.requests()).toBe(10 * 8 + 3);

    // Incremental: the last 3 days are fetched again (they are partial upstream), nothing else.
    const inc = await h.service.create(USER, SESSION, { sync_type: 'health' });
    expect(await h.settled(inc.job.job_id)).toMatchObject({ status: 'completed', total_items: 3, processed_items: 3 });
    expect(await h.store.healthMetrics.countDays(USER)).toBe(10);
  });

  it('syncs workout definitions with their FIT; a no-op costs ≤ 2 upstream requests', async () => {
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'workouts' });
    expect(await h.settled(job.job_id)).toMatchObject({ status: 'completed', total_items: 5, processed_items: 5, failed_items: 0 });
    const workouts = await h.store.workouts.list(USER);
    expect(workouts).toHaveLength(5);
    for (const w of workouts) expect(w.fit?.size_bytes).toBeGreaterThan(0);
    h.backend.resetRequests();
    const again = await h.service.create(USER, SESSION, { sync_type: 'workouts' });
    expect(await h.settled(again.job.job_id)).toMatchObject({ status: 'completed', total_items: 0 });
    expect(h.backend.requests()).toBeLessThanOrEqual(2);
  });
});
