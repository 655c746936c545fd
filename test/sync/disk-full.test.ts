import { afterEach, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/store/index.js';
import { fullDiskFs } from '../../src/store/testing/full-disk-fs.js';
import { testDialects } from '../../src/store/testing/dialects.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

/** Issue 12.2: a sync onto a full disk fails with a code, stores nothing half-written, and a later sync repairs it. */
describe.each(testDialects())('a full disk during an activities sync ($name)', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('fails the job DISK_FULL, records no activity with a truncated FIT, and the next sync stores every FIT whole', async () => {
    h = await startHarness({ activities: 6, days: 1, workouts: 0 }, { dialect });
    const root = h.blobs.root;
    // Room for about one FIT file and a half: the second write comes up short, the third fails ENOSPC.
    const full = new FileBlobStore(root, {
      fs: fullDiskFs(1.5 * (await h.backend.downloadFit((await h.backend.activityIds())[0]!)).length),
    });
    await full.init(Date.now());
    const pool = h.pool({ blobs: full, itemConcurrency: 1 });
    pool.start();
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    const failed = await h.settled(job.job_id);
    expect(failed).toMatchObject({ status: 'failed', error_code: 'DISK_FULL' });
    expect(failed.error_message).toMatch(/disk .* is full/);
    await pool.stop();
    // Whatever was recorded points at a whole, verified file.
    const stored = (await h.store.activities.list(USER, { limit: 100 })).items;
    expect(stored.length).toBeLessThan(6);
    for (const a of stored) expect((await h.blobs.read(a.fit!.sha256)).length).toBe(a.fit!.size_bytes);

    // Space again: the next sync completes and every FIT is Garmin's original.
    h.pool().start();
    const again = await h.service.create(USER, SESSION, { sync_type: 'activities', full: true });
    expect(await h.settled(again.job.job_id)).toMatchObject({ status: 'completed', error_code: null });
    const all = (await h.store.activities.list(USER, { limit: 100 })).items;
    expect(all).toHaveLength(6);
    for (const a of all) expect(await h.blobs.read(a.fit!.sha256)).toEqual(await h.backend.downloadFit(Number(a.activity_id)));
  });
});
