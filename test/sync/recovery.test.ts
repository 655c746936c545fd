import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/index.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

describe('sync engine recovery: crashes, stops, rate limits, bad items, dead tokens', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ activities: 12, days: 3, workouts: 3 });
  });
  afterEach(async () => h?.close());

  it("resumes a crashed worker's job once its lease expires, without duplicates", async () => {
    h.backend.setLatency(30);
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    // A lease far longer than any event-loop stall (FIT verification under load): the crashed
    // worker's lease ends only when the test moves the clock past it, never by waiting.
    const LEASE_MS = 60_000;
    const first = h.pool({ leaseMs: LEASE_MS, heartbeatMs: 250, itemConcurrency: 2 });
    first.start();
    const mid = await h.waitFor(job.job_id, (j) => j.processed_items >= 6);
    // Crash: the worker stops heartbeating and keeps its lease.
    await first.stop({ releaseLeases: false });
    const orphan = (await h.store.jobs.get(job.job_id))!;
    expect(orphan).toMatchObject({ status: 'running', lease_owner: first.workerId });
    expect(orphan.processed_items).toBeGreaterThanOrEqual(mid.processed_items);
    h.backend.resetRequests();
    const second = h.pool({ leaseMs: LEASE_MS, heartbeatMs: 250 });
    second.start();
    // While the orphan's lease holds, nobody may take the job over.
    await h.clock.sleep(200);
    expect(await h.store.jobs.get(job.job_id)).toMatchObject({ lease_owner: first.workerId, attempts: 1 });
    h.clock.advance(LEASE_MS);
    const done = await h.settled(job.job_id);
    expect(done).toMatchObject({
      status: 'completed',
      total_items: 12,
      processed_items: 12,
      failed_items: 0,
      attempts: 2,
      lease_owner: null,
    });
    expect(done.start_time).toBe(orphan.start_time);
    expect(await h.store.activities.count(USER)).toBe(12);
    // The second worker fetched only what was not stored: one list page + the missing FITs. Up to
    // two more (the crashed worker's itemConcurrency): its aborted downloads were already on the
    // wire and may reach the emulator's counter only after the reset. Under a loaded CI machine a
    // couple more appear (a GET retried after a keep-alive socket reset counts twice), so the bound
    // allows two; re-downloading the 6+ stored items (13 requests) would still exceed it.
    expect(h.backend.requests()).toBeLessThanOrEqual(1 + (12 - orphan.processed_items) + 2 + 2);
  });

  it('a graceful stop releases the lease so another worker resumes at once', async () => {
    h.backend.setLatency(30);
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    const first = h.pool({ leaseMs: 60_000, itemConcurrency: 2 });
    first.start();
    await h.waitFor(job.job_id, (j) => j.processed_items >= 3);
    await first.stop();
    expect(await h.store.jobs.get(job.job_id)).toMatchObject({ status: 'running', lease_owner: null, lease_expires_at: null });
    h.pool({ leaseMs: 60_000 }).start();
    expect(await h.settled(job.job_id, 10_000)).toMatchObject({ status: 'completed', processed_items: 12, attempts: 2 });
    expect(await h.store.activities.count(USER)).toBe(12);
  });

  it('pauses the account on 429 and resumes after Retry-After', async () => {
    h.backend.setRateLimit(true);
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'health' });
    h.pool().start();
    const done = await h.settled(job.job_id, 30_000);
    h.backend.setRateLimit(false);
    expect(done).toMatchObject({ status: 'completed', total_items: 3, processed_items: 3, failed_items: 0 });
    expect(h.backend.rateLimited()).toBeGreaterThan(0);
    expect(h.limiters.forAccount(USER).pausedUntil).toBeGreaterThan(0);
    expect(await h.store.healthMetrics.countDays(USER)).toBe(3);
    expect(h.backend.logins()).toBe(0);
  });

  it('a cancel ends a long 429 pause at once', async () => {
    h.backend.setRateLimit(true, 600);
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'health' });
    h.pool().start();
    const limiter = h.limiters.forAccount(USER);
    await h.waitFor(job.job_id, () => limiter.pausedUntil > Date.now() + 60_000);
    const started = Date.now();
    await h.service.cancel(USER, job.job_id);
    expect((await h.settled(job.job_id, 5_000)).status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('survives an upstream fault storm: every item exactly once, no login', async () => {
    h.backend.setStorm(true);
    h.pool().start();
    for (const sync_type of ['activities', 'workouts'] as const) {
      const { job } = await h.service.create(USER, SESSION, { sync_type });
      expect(await h.settled(job.job_id, 60_000)).toMatchObject({ status: 'completed', failed_items: 0 });
    }
    h.backend.setStorm(false);
    expect(await h.store.activities.count(USER)).toBe(12);
    expect(await h.store.workouts.count(USER)).toBe(3);
    expect(h.backend.logins()).toBe(0);
  });

  it('records a corrupt FIT as a failed item, skips it and completes the job', async () => {
    const ids = await h.backend.activityIds();
    const bad = [ids[3]!, ids[9]!];
    h.backend.corruptFits(bad);
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'activities' });
    h.pool().start();
    const done = await h.settled(job.job_id);
    expect(done).toMatchObject({ status: 'completed', total_items: 12, processed_items: 12, failed_items: 2, progress: 100 });
    const failures = await h.service.failures(USER, job.job_id);
    expect(failures.map((f) => f.item_key).sort()).toEqual(bad.map((id) => `activity:${id}`).sort());
    expect(failures.every((f) => f.error_code === 'FIT_INVALID')).toBe(true);
    expect(await h.store.activities.count(USER)).toBe(10);
  });

  it('fails the job with "login required" when Garmin tokens cannot be refreshed, without a credential login', async () => {
    h.backend.killTokens();
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'workouts' });
    h.pool().start();
    const done = await h.settled(job.job_id);
    expect(done).toMatchObject({
      status: 'failed',
      error_code: 'GARMIN_REAUTH_REQUIRED',
      error_message: ERROR_CODES.GARMIN_REAUTH_REQUIRED,
    });
    expect(done.error_message).toContain('garminsync auth login');
    expect(h.backend.logins()).toBe(0);
  });
});
