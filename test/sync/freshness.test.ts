import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncJobRecord } from '../../src/store/index.js';
import { EDIT_CHECK_EVERY_MS } from '../../src/sync/syncers/activities-freshness.js';
import type { ActivityWatermark } from '../../src/sync/syncers/activities.syncer.js';
import { testDialects } from '../../src/store/testing/dialects.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

const WEEK = 7 * 86_400_000;

describe.each(testDialects())('freshness and change detection (issue 15) against the emulator ($name)', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ activities: 40, days: 3, workouts: 0 }, { dialect });
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

  const activities = async () => {
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    return h.settled(job.job_id);
  };

  it('an activity renamed upstream within the last 7 days is updated in place: one item, no duplicate, FIT kept', async () => {
    const recent = await h.store.activities.recent(USER, h.clock.now() - WEEK);
    expect(recent.length).toBeGreaterThan(1);
    expect(recent.every((r) => r.garmin_updated_at !== null)).toBe(true); // recorded when first stored
    const target = recent[0]!;
    const before = await h.store.activities.get(USER, target.activity_id);
    h.backend.renameActivity(Number(target.activity_id), 'Renamed in Garmin Connect');
    h.backend.resetRequests();
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    expect(await h.settled(job.job_id)).toMatchObject({ status: 'completed', total_items: 1, processed_items: 1, failed_items: 0 });
    // One list page (it holds the last week; its summary shows the new name) + the renamed one's
    // detail (its last-update time); no other detail, no FIT download.
    expect(h.backend.requests()).toBe(2);
    const after = await h.store.activities.get(USER, target.activity_id);
    expect(after).toMatchObject({ name: 'Renamed in Garmin Connect', fit: before!.fit, start_time: before!.start_time });
    expect(before!.name).not.toBe('Renamed in Garmin Connect');
    expect(await h.store.activities.count(USER)).toBe(40);
    // Nothing changed since: the next run updates nothing.
    const again = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    expect(await h.settled(again.job.job_id)).toMatchObject({ status: 'completed', total_items: 0, processed_items: 0 });
    const updated = (await h.store.activities.recent(USER, h.clock.now() - WEEK)).find((r) => r.activity_id === target.activity_id);
    expect(updated!.garmin_updated_at).toBeGreaterThan(target.garmin_updated_at!); // read from the renamed one's detail
  });

  it('an edit the list does not show (a description) is found by the once-a-day detail check, then costs nothing', async () => {
    const recent = await h.store.activities.recent(USER, h.clock.now() - WEEK);
    const target = recent[recent.length - 1]!;
    h.backend.describeActivity(Number(target.activity_id), 'Edited in Garmin Connect');
    h.backend.resetRequests();
    // Within the day of the last detail check: one list page, the edit is not visible in it.
    expect(await activities()).toMatchObject({ status: 'completed', total_items: 0 });
    expect(h.backend.requests()).toBe(1);
    // A day later (the watermark says the details were last read a day ago): every recent detail once.
    const mark = await h.store.watermarks.get<ActivityWatermark>(USER, 'activities');
    expect(mark?.edits_checked_at).toBeGreaterThan(0);
    await h.store.watermarks.set(USER, 'activities', { ...mark!, edits_checked_at: h.clock.now() - EDIT_CHECK_EVERY_MS }, h.clock.now());
    h.backend.resetRequests();
    expect(await activities()).toMatchObject({ status: 'completed', total_items: 1, processed_items: 1, failed_items: 0 });
    expect(h.backend.requests()).toBe(1 + recent.length);
    const after = (await h.store.activities.recent(USER, h.clock.now() - WEEK)).find((r) => r.activity_id === target.activity_id);
    expect(after).toMatchObject({ fit: target.fit });
    expect(after!.garmin_updated_at).toBeGreaterThan(target.garmin_updated_at!);
    expect(await h.store.activities.count(USER)).toBe(40);
    h.backend.resetRequests();
    expect(await activities()).toMatchObject({ status: 'completed', total_items: 0 });
    expect(h.backend.requests()).toBe(1);
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
