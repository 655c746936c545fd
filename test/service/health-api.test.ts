import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { HealthDayList, healthMetricEntry } from '../../src/contract/index.js';
import { HEALTH_METRICS, type HealthMetric } from '../../src/core/index.js';
import { loginNoMfa, serviceDialects, startHarness, waitFor, type Harness } from './harness.js';

/** The health API contract (GET /health/daily, /health/daily/{date}) over a real sync of the emulator. */
describe.each(serviceDialects())('health API (%s)', (dialect) => {
  let h: Harness;
  let token: string;
  let other: string;
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    h = await startHarness({ emulator: { activities: 1, workouts: 1, days: 10 }, dialect });
    token = (await loginNoMfa(h)).access_token;
    other = (await loginNoMfa(h, 'demo@example.com').catch(() => undefined))?.access_token ?? '';
    const r = await h.api('POST', '/sync/jobs', { token, body: { sync_type: 'health', from, to: today } });
    expect(r.status).toBe(202);
    await waitFor(async () => {
      const j = await h.api('GET', `/sync/jobs/${r.body.job.job_id}`, { token });
      return j.body.status === 'completed' ? j : undefined;
    });
  });
  afterAll(async () => h?.close());

  it('lists stored days newest first with the headline numbers of their families, paged by cursor', async () => {
    const all = await h.api('GET', `/health/daily?from=${from}&to=${today}`, { token });
    expect(all.status).toBe(200);
    expect(Value.Check(HealthDayList, all.body)).toBe(true);
    expect(all.body.items.map((d: { calendar_date: string }) => d.calendar_date)).toEqual(
      Array.from({ length: 7 }, (_, i) => new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10)),
    );
    const first = all.body.items[1];
    const detail = (await h.api('GET', `/health/daily/${first.calendar_date}`, { token })).body;
    const data = (f: string) => detail.metrics[f]?.data;
    expect(first.steps).toBe(data('summary').totalSteps);
    expect(first.resting_heart_rate).toBe(data('summary').restingHeartRate);
    expect(first.stress_average).toBe(data('summary').averageStressLevel);
    expect(first.body_battery_high).toBe(data('summary').bodyBatteryHighestValue);
    expect(first.sleep_seconds).toBe(data('sleep')?.dailySleepDTO?.sleepTimeSeconds ?? null);
    expect(first.hrv_last_night_ms).toBe(data('hrv')?.hrvSummary?.lastNightAvg ?? null);
    expect(first.families).toEqual(HEALTH_METRICS.filter((m) => detail.metrics[m]?.state === 'present'));

    const p1 = await h.api('GET', `/health/daily?from=${from}&to=${today}&limit=3`, { token });
    expect(p1.body.items).toHaveLength(3);
    const p2 = await h.api('GET', `/health/daily?from=${from}&to=${today}&limit=10&cursor=${p1.body.next_cursor}`, { token });
    expect([...p1.body.items, ...p2.body.items].map((d: { calendar_date: string }) => d.calendar_date)).toEqual(
      all.body.items.map((d: { calendar_date: string }) => d.calendar_date),
    );
    expect(p2.body.next_cursor).toBeNull();
  });

  it("returns one day's families with state, source, fetch time, completeness and Garmin's data in the documented shapes", async () => {
    const past = all7()[3]!;
    const r = await h.api('GET', `/health/daily/${past}`, { token });
    expect(r.status).toBe(200);
    expect(r.body.calendar_date).toBe(past);
    const families = Object.keys(r.body.metrics) as HealthMetric[];
    expect(families).toContain('summary');
    for (const f of families) {
      const entry = r.body.metrics[f];
      expect(Value.Check(healthMetricEntry(f), entry), f).toBe(true);
      expect(entry.source).toBe('api');
      expect(Date.parse(entry.fetched_at)).toBeGreaterThan(Date.now() - 120_000);
      // A day three days back has ended in every time zone.
      expect(entry.complete).toBe(true);
    }
    expect(r.body.metrics.summary.data.calendarDate).toBe(past);
    const todayDay = await h.api('GET', `/health/daily/${today}?metric=summary`, { token });
    expect(Object.keys(todayDay.body.metrics)).toEqual(['summary']);
    // complete = fetched after the user's local day ended (Garmin's wellnessEndTimeGmt, GMT).
    const s = todayDay.body.metrics.summary;
    expect(s.complete).toBe(Date.parse(s.fetched_at) >= Date.parse(`${s.data.wellnessEndTimeGmt}Z`));
  });

  it('answers 404 for a day or family that is not stored, and for another user', async () => {
    const nf = await h.api('GET', '/health/daily/2001-01-01', { token });
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toContain('application/problem+json');
    expect(nf.body.code).toBe('NOT_FOUND');
    expect((await h.api('GET', `/health/daily/${today}?metric=blood_pressure`, { token })).status).toBe(404);
    if (other) expect((await h.api('GET', `/health/daily/${today}`, { token: other })).status).toBe(404);
    expect((await h.api('GET', `/health/daily/${today}`)).status).toBe(401);
  });

  it('refuses hostile input with problem+json 400', async () => {
    for (const path of [
      '/health/daily/2026-13-99x',
      "/health/daily/'%20or%201=1",
      `/health/daily/${today}?metric=everything`,
      `/health/daily/${today}?metric=summary&extra=1`,
      '/health/daily?limit=0',
      '/health/daily?limit=99999',
      '/health/daily?cursor=%00%00',
      `/health/daily?cursor=${Buffer.from('["2026-01-01\' or 1=1"]').toString('base64url')}`,
      '/health/daily?from=yesterday',
      `/health/daily?cursor=${'A'.repeat(500)}`,
    ]) {
      const r = await h.api('GET', path, { token });
      expect(r.status, path).toBe(400);
      expect(r.headers.get('content-type'), path).toContain('application/problem+json');
      expect(r.text, path).not.toMatch(/at .*\.(ts|js):\d+/);
    }
  });

  function all7(): string[] {
    return Array.from({ length: 7 }, (_, i) => new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10));
  }
});
