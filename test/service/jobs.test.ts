import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, loginWithMfa, serviceDialects, startHarness, type Harness } from './harness.js';

/** Job API without workers: jobs stay where the API puts them, so transitions are deterministic. */
describe.each(serviceDialects())('sync jobs through the API (api-only: no workers, %s)', (dialect) => {
  let h: Harness;
  let alice: Awaited<ReturnType<typeof loginNoMfa>>;
  let bob: Awaited<ReturnType<typeof loginWithMfa>>;
  beforeAll(async () => {
    h = await startHarness({ args: ['--api-only'], dialect });
    alice = await loginNoMfa(h);
    bob = await loginWithMfa(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates a pending job and deduplicates an identical one', async () => {
    const a = await h.api('POST', '/sync/jobs', { token: alice.access_token, body: { sync_type: 'activities' } });
    expect(a.status).toBe(202);
    expect(a.body.deduplicated).toBe(false);
    expect(a.body.job).toMatchObject({
      user_id: alice.user_id,
      session_id: alice.session_id,
      sync_type: 'activities',
      status: 'pending',
      progress: 0,
      total_items: null,
      processed_items: 0,
      failed_items: 0,
      start_time: null,
      end_time: null,
      error_message: null,
      params: { from: null, to: null, full: false },
      cancel_requested: false,
    });
    const b = await h.api('POST', '/sync/jobs', { token: alice.access_token, body: { sync_type: 'activities' } });
    expect(b.status).toBe(202);
    expect(b.body).toMatchObject({ deduplicated: true, job: { job_id: a.body.job.job_id } });
    const c = await h.api('POST', '/sync/jobs', { token: alice.access_token, body: { sync_type: 'activities', full: true } });
    expect(c.body.deduplicated).toBe(false);
    expect(c.body.job.job_id).not.toBe(a.body.job.job_id);
  });

  it("answers 404 for another user's job, exactly as for a missing one", async () => {
    const mine = await h.api('POST', '/sync/jobs', { token: alice.access_token, body: { sync_type: 'workouts' } });
    const id = mine.body.job.job_id as string;
    for (const [method, path] of [
      ['GET', `/sync/jobs/${id}`],
      ['POST', `/sync/jobs/${id}/cancel`],
      ['GET', `/sync/jobs/${id}/events`],
      ['GET', `/sync/jobs/${id}/failures`],
    ] as const) {
      const r = await h.api(method, path, { token: bob.access_token });
      expect(r.status, path).toBe(404);
      expect(r.body.code).toBe('NOT_FOUND');
    }
    const missing = await h.api('GET', '/sync/jobs/00000000-0000-4000-8000-000000000000', { token: bob.access_token });
    expect(missing.status).toBe(404);
    const list = await h.api('GET', '/sync/jobs', { token: bob.access_token });
    expect(list.body.items).toEqual([]);
  });

  it('cancels a pending job at once and refuses to cancel it again (409)', async () => {
    const j = await h.api('POST', '/sync/jobs', {
      token: alice.access_token,
      body: { sync_type: 'health', from: '2026-01-01', to: '2026-01-07' },
    });
    const cancel = await h.api('POST', `/sync/jobs/${j.body.job.job_id}/cancel`, { token: alice.access_token });
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    expect(cancel.body.end_time).not.toBeNull();
    const again = await h.api('POST', `/sync/jobs/${j.body.job.job_id}/cancel`, { token: alice.access_token });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'INVALID_TRANSITION', job_id: j.body.job.job_id, from: 'cancelled', to: 'cancelled' });
    // A cancelled job no longer blocks a new identical one.
    const fresh = await h.api('POST', '/sync/jobs', {
      token: alice.access_token,
      body: { sync_type: 'health', from: '2026-01-01', to: '2026-01-07' },
    });
    expect(fresh.body.deduplicated).toBe(false);
  });

  it('lists newest first with filters and cursor paging', async () => {
    const all = await h.api('GET', '/sync/jobs?limit=100', { token: alice.access_token });
    expect(all.status).toBe(200);
    const created = (all.body.items as { created_at: string }[]).map((j) => j.created_at);
    expect([...created].sort().reverse()).toEqual(created);
    const pending = await h.api('GET', '/sync/jobs?status=pending', { token: alice.access_token });
    expect(pending.body.items.every((j: { status: string }) => j.status === 'pending')).toBe(true);
    const acts = await h.api('GET', '/sync/jobs?sync_type=activities', { token: alice.access_token });
    expect(acts.body.items).toHaveLength(2);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { job_id: string }[]; next_cursor: string | null } } = await h.api(
        'GET',
        `/sync/jobs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: alice.access_token },
      );
      seen.push(...page.body.items.map((j) => j.job_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((j: { job_id: string }) => j.job_id));
  });

  it('validates job requests (problem+json)', async () => {
    for (const body of [
      { sync_type: 'everything' },
      { sync_type: 'health', from: '2026-13-45' },
      { sync_type: 'health', from: '2026-02-02', to: '2026-01-01' },
      { sync_type: 'health', extra: 1 },
    ]) {
      const r = await h.api('POST', '/sync/jobs', { token: alice.access_token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await h.api('GET', '/sync/jobs?limit=0', { token: alice.access_token })).status).toBe(400);
    expect((await h.api('GET', '/sync/jobs?cursor=%%%', { token: alice.access_token })).status).toBe(400);
    expect((await h.api('GET', '/sync/jobs')).status).toBe(401);
  });
});
