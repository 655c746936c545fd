import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncJobRecord } from '../../src/store/index.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

const WEEK = 7 * 86_400_000;

describe('freshness and change detection (issue 15) against the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ activities: 40, days: 3, workouts: 0 });
    h.pool().start();
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    expect(await h.settled(job.job_id)).toMatchObject({ status: 'completed', processed_items: 40 });
  }, 120_000);
  afterAll(async () => h?.close());

  const scheduled = async (): Promise<SyncJobRecord> => {
    const { job } = await h.store.jobs.createOrGetActive(
      {
        job_id: `sched-${Math.random().toString(36).slice(2)}`,
        user_id: USER,
        session_id: SESSION,
        sync_type: 'activities',
        params: { from: null, to: null, full: false },
        trigger: 'schedule',
      },
      h.clock.now(),
    );
    h.bus.notifyClaimable();
    return h.settled(job.job_id);
  };

  it('an activity renamed upstream within the last 7 days is updated in place: one item, no duplicate, FIT kept', async () => {
    const recent = await h.store.activities.recent(USER, h.clock.now() - WEEK);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((r) => r.garmin_updated_at !== null)).toBe(true); // recorded when first stored
    const target = recent[0]!;
    const before = await h.store.activities.get(USER, target.activity_id);
    h.backend.renameActivity(Number(target.activity_id), 'Renamed in Garmin Connect');
    h.backend.resetRequests();
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    expect(await h.settled(job.job_id)).toMatchObject({ status: 'completed', total_items: 1, processed_items: 1, failed_items: 0 });
    // new-activity list + last-week list + one detail per recent activity; no FIT download.
    expect(h.backend.requests()).toBe(2 + recent.length);
    const after = await h.store.activities.get(USER, target.activity_id);
    expect(after).toMatchObject({ name: 'Renamed in Garmin Connect', fit: before!.fit, start_time: before!.start_time });
    expect(before!.name).not.toBe('Renamed in Garmin Connect');
    expect(await h.store.activities.count(USER)).toBe(40);
    // Nothing changed since: the next run updates nothing.
    const again = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    expect(await h.settled(again.job.job_id)).toMatchObject({ status: 'completed', total_items: 0, processed_items: 0 });
  });

  it('a scheduled run probes the last upload first: unchanged → completed with 0 items after exactly 1 request', async () => {
    const first = await scheduled(); // no probe seen yet: lists as usual and sets the baseline
    expect(first).toMatchObject({ status: 'completed', trigger: 'schedule', probe: { changed: true, previous_upload_time: null } });
    const upload = first.probe!.upload_time;
    expect(typeof upload).toBe('number');
    for (let i = 0; i < 2; i++) {
      h.backend.resetRequests();
      const quiet = await scheduled();
      expect(quiet).toMatchObject({ status: 'completed', total_items: 0, processed_items: 0, progress: 100 });
      expect(quiet.probe).toEqual({ upload_time: upload, previous_upload_time: upload, changed: false });
      expect(h.backend.requests()).toBe(1);
    }
    const added = h.backend.addActivities(2);
    const picked = await scheduled();
    expect(picked).toMatchObject({
      status: 'completed',
      total_items: 2,
      processed_items: 2,
      probe: { changed: true, previous_upload_time: upload },
    });
    for (const id of added) expect((await h.store.activities.get(USER, String(id)))?.fit).not.toBeNull();
  });
});
