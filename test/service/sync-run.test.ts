import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, serviceDialects, startHarness, waitFor, type Harness } from './harness.js';

type Job = {
  job_id: string;
  status: string;
  total_items: number | null;
  processed_items: number;
  failed_items: number;
  progress: number;
  error_message: string | null;
  error_code: string | null;
  cancel_requested: boolean;
};

/** Full syncs through the API with the in-process workers and the real emulator. */
describe.each(serviceDialects())('sync runs through the API (workers + emulator, %s)', (dialect) => {
  let h: Harness;
  let t: Awaited<ReturnType<typeof loginNoMfa>>;
  const ACTIVITIES = 12;
  const WORKOUTS = 3;

  beforeAll(async () => {
    // Edit checks of recent activities (--recheck-days) are tested in the schedules suite; here an
    // incremental run must cost only what is new, so the counts below stay exact.
    h = await startHarness({ emulator: { activities: ACTIVITIES, workouts: WORKOUTS, days: 10 }, dialect, args: ['--recheck-days', '0'] });
    t = await loginNoMfa(h);
  });
  afterAll(async () => {
    // Nothing secret in any log line of these runs: password, our tokens, the Garmin tokens.
    const logs = h.logs.join('');
    for (const s of ['demo-password', t.access_token, t.refresh_token]) expect(logs.includes(s)).toBe(false);
    expect(logs).not.toMatch(/"(accessToken|refreshToken|access_token|refresh_token)":"(?!\[redacted\])/);
    await h.close();
  });

  const start = async (body: Record<string, unknown>): Promise<Job> => {
    const r = await h.api('POST', '/sync/jobs', { token: t.access_token, body });
    expect(r.status).toBe(202);
    return r.body.job as Job;
  };
  const job = async (id: string): Promise<Job> => (await h.api('GET', `/sync/jobs/${id}`, { token: t.access_token })).body as Job;
  const finished = (id: string) =>
    waitFor(async () => {
      const j = await job(id);
      return ['completed', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    });

  it('syncs every activity with its verified FIT, with exact counts', async () => {
    const j = await finished((await start({ sync_type: 'activities' })).job_id);
    expect(j).toMatchObject({
      status: 'completed',
      total_items: ACTIVITIES,
      processed_items: ACTIVITIES,
      failed_items: 0,
      progress: 100,
      error_message: null,
      error_code: null,
    });
    const list = await h.api('GET', '/activities?limit=100', { token: t.access_token });
    expect(list.body.items).toHaveLength(ACTIVITIES);
    const first = list.body.items[0];
    expect(first.fit).not.toBeNull();
    const show = await h.api('GET', `/activities/${first.activity_id}`, { token: t.access_token });
    expect(show.status).toBe(200);
    expect(show.body.raw).toBeTruthy();
    const fit = await fetch(`${h.url}/api/v1/activities/${first.activity_id}/fit`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(fit.status).toBe(200);
    expect(fit.headers.get('content-type')).toBe('application/vnd.ant.fit');
    const bytes = Buffer.from(await fit.arrayBuffer());
    expect(bytes.length).toBe(first.fit.size_bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(first.fit.sha256);
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('.FIT');
    expect((await h.api('GET', '/activities/999999999', { token: t.access_token })).status).toBe(404);
    // The sports of what was synced add up to every activity (issue 18.3), most frequent first.
    const sports = (await h.api('GET', '/activities/sports', { token: t.access_token })).body as {
      items: { sport: string; count: number }[];
    };
    expect(sports.items.reduce((n, s) => n + s.count, 0)).toBe(ACTIVITIES);
    expect(sports.items.map((s) => s.count)).toEqual([...sports.items.map((s) => s.count)].sort((a, b) => b - a));
    expect(sports.items.map((s) => s.sport)).toContain(first.sport);
  });

  it('an incremental no-op activities sync costs at most 2 upstream requests', async () => {
    h.emu.resetStats();
    const j = await finished((await start({ sync_type: 'activities' })).job_id);
    expect(j.status).toBe('completed');
    expect(j.processed_items).toBe(0);
    expect(h.emu.stats().total).toBeLessThanOrEqual(2);
    expect(h.emu.stats().logins).toBe(0);
  });

  it('syncs a 7-day health range, one item per calendar day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const j = await finished((await start({ sync_type: 'health', from, to: today })).job_id);
    expect(j).toMatchObject({ status: 'completed', total_items: 7, processed_items: 7, failed_items: 0, progress: 100 });
    const days = await h.api('GET', `/health/daily?from=${from}&to=${today}`, { token: t.access_token });
    expect(days.body.items).toHaveLength(7);
    expect(days.body.items[0].calendar_date).toBe(today);
    expect(days.body.items[0].families).toContain('summary');
    expect(days.body.items[0].steps).toBeGreaterThan(0);
  });

  it('syncs every workout definition', async () => {
    const j = await finished((await start({ sync_type: 'workouts' })).job_id);
    expect(j).toMatchObject({ status: 'completed', total_items: WORKOUTS, processed_items: WORKOUTS, failed_items: 0 });
    const w = await h.api('GET', '/workouts', { token: t.access_token });
    expect(w.body.items).toHaveLength(WORKOUTS);
    expect(w.body.items.every((x: { fit: unknown }) => x.fit !== null)).toBe(true);
  });

  it('skips and reports an item whose FIT is corrupt', async () => {
    const ids = h.emu.addActivities('nomfa@example.com', 2);
    h.emu.setFaults({ corruptFitIds: [ids[0]!] });
    try {
      const j = await finished((await start({ sync_type: 'activities' })).job_id);
      expect(j).toMatchObject({ status: 'completed', total_items: 2, processed_items: 2, failed_items: 1 });
      const f = await h.api('GET', `/sync/jobs/${j.job_id}/failures`, { token: t.access_token });
      expect(f.body.items).toHaveLength(1);
      expect(f.body.items[0]).toMatchObject({ error_code: 'FIT_INVALID' });
      expect(f.body.items[0].item_key).toContain(String(ids[0]));
    } finally {
      h.emu.setFaults({ corruptFitIds: [] });
    }
  });

  it('streams progress and the final state as Server-Sent Events', async () => {
    h.emu.addActivities('nomfa@example.com', 4);
    h.emu.setFaults({ latencyMs: 20 });
    try {
      const created = await start({ sync_type: 'activities' });
      const res = await fetch(`${h.url}/api/v1/sync/jobs/${created.job_id}/events`, {
        headers: { authorization: `Bearer ${t.access_token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const text = await res.text(); // the server closes the stream after `end`
      const events = text
        .split('\n\n')
        .filter((b) => b.includes('data: '))
        .map((b) => ({ event: /event: (\w+)/.exec(b)?.[1], data: JSON.parse(/data: (.*)/.exec(b)![1]!) as { type: string; job: Job } }));
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events.slice(0, -1).every((e) => e.event === 'progress' && e.data.type === 'progress')).toBe(true);
      const last = events[events.length - 1]!;
      expect(last.event).toBe('end');
      expect(last.data.job).toMatchObject({
        job_id: created.job_id,
        status: 'completed',
        processed_items: 4,
        total_items: 4,
        progress: 100,
      });
      const processed = events.map((e) => e.data.job.processed_items);
      expect([...processed].sort((a, b) => a - b)).toEqual(processed);
    } finally {
      h.emu.setFaults({ latencyMs: 0 });
    }
  });

  it('coalesces progress on the stream (issue 17): at most one event per 250 ms, the last one `end` with exact counts', async () => {
    h.emu.addActivities('nomfa@example.com', 60);
    const created = await start({ sync_type: 'activities' });
    const t0 = Date.now();
    const res = await fetch(`${h.url}/api/v1/sync/jobs/${created.job_id}/events`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    const text = await res.text();
    const elapsed = Date.now() - t0;
    const events = text
      .split('\n\n')
      .filter((b) => b.includes('data: '))
      .map((b) => JSON.parse(/data: (.*)/.exec(b)![1]!) as { type: string; job: Job });
    // The first state, then one progress per 250 ms at most, then `end`: never one per item.
    expect(events.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 250));
    // `end` carries the final state: exactly what the job reads afterwards.
    const final = await job(created.job_id);
    expect(final).toMatchObject({ status: 'completed', failed_items: 0 });
    expect(final.processed_items).toBeGreaterThanOrEqual(60);
    expect(events.at(-1)).toMatchObject({
      type: 'end',
      job: { status: 'completed', processed_items: final.processed_items, total_items: final.total_items },
    });
    expect(events.slice(0, -1).every((e) => e.type === 'progress')).toBe(true);
  });

  it('cancels a running job at the next item', async () => {
    h.emu.addActivities('nomfa@example.com', 30);
    h.emu.setFaults({ latencyMs: 40 });
    try {
      const created = await start({ sync_type: 'activities' });
      await waitFor(async () => {
        const j = await job(created.job_id);
        return j.status === 'running' && j.processed_items > 0 ? j : undefined;
      });
      // Every request from now on hangs upstream, so the job cannot finish its 30 items before the
      // cancel lands, however slow this machine is (at 40 ms, a loaded CI did all 30 first). The
      // cancel aborts the hanging requests: the test never waits for this latency.
      h.emu.setFaults({ latencyMs: 60_000 });
      const c = await h.api('POST', `/sync/jobs/${created.job_id}/cancel`, { token: t.access_token });
      expect(c.status).toBe(200);
      expect(c.body.status === 'cancelled' || c.body.cancel_requested === true).toBe(true);
      const end = await finished(created.job_id);
      expect(end.status).toBe('cancelled');
      expect(end.processed_items).toBeLessThan(30);
      const again = await h.api('POST', `/sync/jobs/${created.job_id}/cancel`, { token: t.access_token });
      expect(again.status).toBe(409);
    } finally {
      h.emu.setFaults({ latencyMs: 0 });
    }
  });

  it('fails a job with "login required" when Garmin refresh fails, and the session shows it', async () => {
    h.emu.expireTokens('nomfa@example.com');
    h.emu.revokeRefreshTokens('nomfa@example.com');
    const loginsBefore = h.emu.stats().logins;
    const j = await finished((await start({ sync_type: 'workouts', full: true })).job_id);
    expect(j.status).toBe('failed');
    expect(j.error_code).toBe('GARMIN_REAUTH_REQUIRED');
    expect(j.error_message).toMatch(/login required/i);
    expect(h.emu.stats().logins).toBe(loginsBefore); // never a credential login from a job
    const s = await h.api('GET', '/auth/session', { token: t.access_token });
    expect(s.body.session.garmin.status).toBe('reauth_required');
    expect(s.body.session.garmin.last_error).toMatch(/login/i);
    // A new login connects the account again.
    const t2 = await loginNoMfa(h);
    const s2 = await h.api('GET', '/auth/session', { token: t2.access_token });
    expect(s2.body.session.garmin.status).toBe('connected');
  });
});
