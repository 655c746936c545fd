import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileBlobStore, SyncStore } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';
import { SyncedDataService } from '../../src/sync/index.js';

describe.each(testDialects())('SyncedDataService on $name', ({ open }) => {
  let t: TestDatabase;
  let service: SyncedDataService;
  let blobs: FileBlobStore;
  beforeEach(async () => {
    t = await open();
    const store = new SyncStore(t.db);
    blobs = new FileBlobStore(`${t.dir}/blobs`);
    await blobs.init(Date.now());
    service = new SyncedDataService({ activities: store.activities, workouts: store.workouts, blobs });
    const fit = await blobs.put(Buffer.alloc(256 * 1024, 7));
    await store.activities.upsert(
      {
        user_id: 'u1',
        activity_id: '42',
        name: 'Run',
        sport: 'running',
        start_time: 1,
        duration_seconds: 1,
        distance_meters: 1,
        calories: 1,
        average_hr: 1,
        raw: {},
        fit: { sha256: fit.sha256, size_bytes: fit.size },
        job_id: null,
      },
      1,
    );
    await store.workouts.upsert(
      { user_id: 'u1', workout_id: '7', name: 'W', sport: null, updated_at: null, raw: {}, fit: null, job_id: null },
      1,
    );
  });
  afterEach(async () => t.close());

  it('scopes items to their user and says NOT_FOUND for anything else', async () => {
    expect((await service.activity('u1', '42')).name).toBe('Run');
    await expect(service.activity('u2', '42')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.activityFit('u2', '42')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.workoutFit('u1', '7')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No FIT file is stored for this workout.',
    });
    expect((await service.listWorkouts('u2', {})).items).toEqual([]);
  });

  it('stops before any work when the request is already gone, and ends an open FIT stream on abort', async () => {
    const gone = AbortSignal.abort();
    await expect(service.listActivities('u1', {}, gone)).rejects.toThrow();
    await expect(service.activityFit('u1', '42', gone)).rejects.toThrow();
    const controller = new AbortController();
    const fit = await service.activityFit('u1', '42', controller.signal);
    expect(fit.size).toBe(256 * 1024);
    const closed = new Promise((resolve) => fit.stream.once('close', resolve));
    controller.abort();
    await closed;
    expect(fit.stream.destroyed).toBe(true);
  });
});
