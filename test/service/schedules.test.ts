import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, serviceDialects, startHarness, waitFor, type Harness } from './harness.js';

/** Schedules through the API with real workers: a due schedule becomes a job with trigger "schedule". */
describe.each(serviceDialects())('sync schedules through the API (%s)', (dialect) => {
  let h: Harness;
  let alice: Awaited<ReturnType<typeof loginNoMfa>>;
  beforeAll(async () => {
    h = await startHarness({ args: ['--schedule-min-interval', '2s'], dialect });
    alice = await loginNoMfa(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses an interval below the minimum with problem+json, and an unknown type', async () => {
    const low = await h.api('PUT', '/sync/schedules', { token: alice.access_token, body: { sync_type: 'all', every_seconds: 1 } });
    expect(low.status).toBe(400);
    expect(low.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'The interval must be at least 2s on this service.' });
    const bad = await h.api('PUT', '/sync/schedules', { token: alice.access_token, body: { sync_type: 'sleep', every_seconds: 60 } });
    expect(bad.status).toBe(400);
    expect((await h.api('GET', '/sync/schedules')).status).toBe(401);
  });

  it('set → the workers run it as ordinary jobs (trigger schedule); show and clear', async () => {
    const set = await h.api('PUT', '/sync/schedules', { token: alice.access_token, body: { sync_type: 'workouts', every_seconds: 2 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ min_interval_seconds: 2, items: [{ sync_type: 'workouts', every_seconds: 2, paused: null }] });
    const jobs = await waitFor(async () => {
      const r = await h.api('GET', '/sync/jobs?sync_type=workouts&status=completed', { token: alice.access_token });
      const items = (r.body.items as { trigger: string }[]).filter((j) => j.trigger === 'schedule');
      return items.length >= 2 && items;
    }, 30_000);
    expect(jobs[0]).toMatchObject({ trigger: 'schedule', probe: null, sync_type: 'workouts' });
    const shown = await h.api('GET', '/sync/schedules', { token: alice.access_token });
    expect(shown.body.items[0].last_job_id).toEqual(expect.any(String));
    const cleared = await h.api('DELETE', '/sync/schedules', { token: alice.access_token });
    expect(cleared.body.items).toEqual([]);
    const manual = await h.api('POST', '/sync/jobs', { token: alice.access_token, body: { sync_type: 'health' } });
    expect(manual.body.job.trigger).toBe('manual');
  });
});
