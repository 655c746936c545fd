import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/store/testing/dialects.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

// Issue 17, row 8: the activities syncer read `activities.sources` once per item (0.3–0.8 ms of
// CPU each); it reads it once per listed page now, and what the read decides stays the same.
// On every dialect: a page's 100 ids are one query's parameters on SQLite and PostgreSQL alike.
describe.each(testDialects())('activities syncer on $name: stored sources read once per page', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ activities: 201, days: 2, workouts: 0 }, { dialect });
  });
  afterAll(async () => h?.close());

  it('reads the sources of a 3-page backfill in 3 reads and still reuses the FITs an archive stored', async () => {
    // Three activities came from an archive with their FIT: bytes of our own, so that the result
    // shows whether the API sync reused them (no download) or downloaded Garmin's.
    const ids = (await h.backend.activityIds()).slice(0, 201);
    const archived = [ids[5]!, ids[120]!, ids[200]!].map(String);
    const archivedFit = new Map<string, { sha256: string; size_bytes: number }>();
    for (const id of archived) {
      const ref = await h.blobs.put(Buffer.from(`the archive's own FIT of ${id}`));
      const fit = { sha256: ref.sha256, size_bytes: ref.size };
      archivedFit.set(id, fit);
      const base = { user_id: USER, activity_id: id, name: 'from the archive', sport: 'running', start_time: 0, raw: { from: 'archive' } };
      await h.store.activities.upsertFromArchive(
        { ...base, duration_seconds: null, distance_meters: null, calories: null, average_hr: null, job_id: 'import' },
        h.clock.now(),
      );
      expect(await h.store.activities.attachFit(USER, id, fit, h.clock.now())).toBe(true);
    }

    const repo = h.store.activities;
    const real = repo.sources.bind(repo);
    const reads: number[] = [];
    repo.sources = (userId, activityIds) => {
      reads.push(activityIds.length);
      return real(userId, activityIds);
    };
    try {
      h.pool({ itemConcurrency: 4 }).start();
      const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities', full: true });
      const done = await h.settled(job.job_id, 60_000);
      expect(done).toMatchObject({ status: 'completed', processed_items: 201, failed_items: 0 });
    } finally {
      repo.sources = real;
    }
    expect(reads).toEqual([100, 100, 1]); // the last page's one id is the third read
    const after = await h.store.activities.sources(USER, archived);
    for (const id of archived) {
      expect(after.get(id)).toEqual({ source: 'api', fit: archivedFit.get(id) }); // the API's summary, the archive's FIT
      expect((await h.store.activities.get(USER, id))!.name).not.toBe('from the archive');
    }
    const other = await h.store.activities.get(USER, String(ids[6]));
    expect(other!.fit!.sha256).not.toBe(archivedFit.get(archived[0]!)!.sha256);
  });
});
