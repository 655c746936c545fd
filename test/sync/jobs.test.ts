import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/index.js';
import type { JobEvent } from '../../src/sync/index.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

describe('sync jobs: dedupe, scoping, cancel, events', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ activities: 40, days: 5, workouts: 3 });
  });
  afterEach(async () => h?.close());

  it("returns an identical pending job instead of a duplicate and hides other users' jobs", async () => {
    const a = await h.service.create(USER, SESSION, { sync_type: 'activities', from: '2026-01-01', to: '2026-02-01' });
    const b = await h.service.create(USER, 'another-session', { sync_type: 'activities', from: '2026-01-01', to: '2026-02-01' });
    expect(a.deduplicated).toBe(false);
    expect(b).toMatchObject({ deduplicated: true, job: { job_id: a.job.job_id } });
    expect((await h.service.create(USER, SESSION, { sync_type: 'activities' })).deduplicated).toBe(false);
    const err = await h.service.get('someone-else', a.job.job_id).catch((e: unknown) => e);
    expect(isAppError(err, 'NOT_FOUND')).toBe(true);
    expect(isAppError(await h.service.cancel('someone-else', a.job.job_id).catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
    expect((await h.service.list(USER)).items).toHaveLength(2);
    expect((await h.service.list('someone-else')).items).toHaveLength(0);
    const bad = await h.service.create(USER, SESSION, { sync_type: 'health', from: '2026-02-30' }).catch((e: unknown) => e);
    expect(isAppError(bad, 'VALIDATION_FAILED')).toBe(true);
    const reversed = await h.service
      .create(USER, SESSION, { sync_type: 'health', from: '2026-02-02', to: '2026-02-01' })
      .catch((e: unknown) => e);
    expect(isAppError(reversed, 'VALIDATION_FAILED')).toBe(true);
  });

  it('cancels a pending job at once and refuses to cancel a terminal job (409 INVALID_TRANSITION)', async () => {
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'workouts' });
    const cancelled = await h.service.cancel(USER, job.job_id);
    expect(cancelled).toMatchObject({ status: 'cancelled', start_time: null });
    expect(cancelled.end_time).not.toBeNull();
    const again = await h.service.cancel(USER, job.job_id).catch((e: unknown) => e);
    expect(isAppError(again, 'INVALID_TRANSITION')).toBe(true);
    // A cancelled pending job is never claimed.
    h.pool().start();
    const next = await h.service.create(USER, SESSION, { sync_type: 'workouts' });
    expect((await h.settled(next.job.job_id)).status).toBe('completed');
    expect((await h.service.get(USER, job.job_id)).status).toBe('cancelled');
    expect(isAppError(await h.service.cancel(USER, next.job.job_id).catch((e: unknown) => e), 'INVALID_TRANSITION')).toBe(true);
  });

  it('cancels a running job before its next item and streams progress then the end', async () => {
    h.backend.setLatency(40);
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    const events: JobEvent[] = [];
    const watching = (async () => {
      for await (const e of h.service.watch(USER, job.job_id)) events.push(e);
    })();
    h.pool({ itemConcurrency: 2 }).start();
    await h.waitFor(job.job_id, (j) => j.status === 'running' && j.processed_items >= 3);
    const requested = await h.service.cancel(USER, job.job_id);
    expect(requested).toMatchObject({ status: 'running', cancel_requested: true });
    const done = await h.settled(job.job_id);
    expect(done.status).toBe('cancelled');
    expect(done.processed_items).toBeLessThan(40);
    expect(await h.store.activities.count(USER)).toBe(done.processed_items);
    await watching;
    expect(events[0]?.type).toBe('progress');
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { status: 'cancelled' } });
    expect(events.some((e) => e.job.processed_items > 0 && e.job.status === 'running')).toBe(true);
    const progress = events.map((e) => e.job.processed_items);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // A new identical request after the cancel request is a new job, not the dying one.
    expect((await h.service.create(USER, SESSION, { sync_type: 'activities' })).deduplicated).toBe(false);
  });

  it('cancels at once a running job that no worker holds (stopped worker released its lease)', async () => {
    h.backend.setLatency(30);
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    const pool = h.pool({ itemConcurrency: 1 });
    pool.start();
    await h.waitFor(job.job_id, (j) => j.processed_items >= 1);
    await pool.stop();
    const cancelled = await h.service.cancel(USER, job.job_id);
    expect(cancelled).toMatchObject({ status: 'cancelled', lease_owner: null });
    expect(cancelled.end_time).not.toBeNull();
  });
});
