import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { ActivityDetails, CoverageReport } from '../../src/contract/index.js';
import { DEFAULT_HEALTH_METRICS, addDays, utcDate } from '../../src/core/index.js';
import { loginNoMfa, serviceDialects, startHarness, waitFor, type Harness } from './harness.js';

/**
 * Issue 15's coverage over the real service and emulator: two disjoint ranged health syncs leave
 * a gap that GET /coverage shows, and a `missing` job fills it with exactly the gap's upstream
 * requests (counted at the emulator). Issue 13: activity details on demand, one request each.
 */
describe.each(serviceDialects())('coverage API and on-demand details (%s)', (dialect) => {
  let h: Harness;
  let token: string;
  const today = utcDate(Date.now());
  const start = addDays(today, -29);
  const gapFrom = addDays(start, 5);
  const gapTo = addDays(start, 11);
  const end = addDays(start, 16);

  const sync = async (body: Record<string, unknown>) => {
    const r = await h.api('POST', '/sync/jobs', { token, body });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    return waitFor(async () => {
      const j = await h.api('GET', `/sync/jobs/${r.body.job.job_id}`, { token });
      return ['completed', 'failed', 'cancelled'].includes(j.body.status) ? j.body : undefined;
    }, 60_000);
  };
  const coverage = async (q: string) => {
    const r = await h.api('GET', `/coverage?${q}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Value.Check(CoverageReport, r.body)).toBe(true);
    return r.body as CoverageReport;
  };

  beforeAll(async () => {
    h = await startHarness({ emulator: { activities: 2, workouts: 1, days: 30 }, dialect });
    token = (await loginNoMfa(h)).access_token;
  });
  afterAll(async () => h?.close());

  it('two disjoint ranged syncs leave a gap that coverage shows; --missing fills exactly the gap', async () => {
    expect((await sync({ sync_type: 'health', from: start, to: addDays(gapFrom, -1) })).status).toBe('completed');
    expect((await sync({ sync_type: 'health', from: addDays(gapTo, 1), to: end })).status).toBe('completed');

    const before = await coverage(`from=${start}&to=${end}`);
    expect(before.metrics).toEqual([...DEFAULT_HEALTH_METRICS]);
    expect(before.days).toHaveLength(17);
    const gapDays = before.days.filter((d) => d.state === 'missing').map((d) => d.calendar_date);
    expect(gapDays).toEqual(Array.from({ length: 7 }, (_, i) => addDays(gapFrom, i)));
    for (const d of before.days.filter((x) => !gapDays.includes(x.calendar_date))) {
      expect(d.metrics.summary!.state, d.calendar_date).toBe('present');
      expect(d.metrics.summary!.source).toBe('api');
      expect(d.metrics.summary!.job_id).toEqual(expect.any(String));
    }
    const summaryTotals = before.totals.find((t) => t.metric === 'summary')!;
    expect(summaryTotals).toMatchObject({ present: 10, missing: 7, failed: 0, partial: 0, from_archive: 0 });

    h.emu.resetStats();
    const job = await sync({ sync_type: 'health', from: start, to: end, missing: true });
    expect(job).toMatchObject({ status: 'completed', total_items: 7, processed_items: 7, params: { missing: true } });
    // 7 days × 8 per-day families + the weight range, the body battery reports and the display name.
    expect(h.emu.stats().total).toBe(7 * 8 + 3);

    const after = await coverage(`from=${start}&to=${end}`);
    expect(after.days.filter((d) => d.state === 'missing' || d.state === 'failed')).toEqual([]);
    expect(after.days.filter((d) => gapDays.includes(d.calendar_date)).every((d) => d.metrics.summary!.job_id === job.job_id)).toBe(true);
  });

  it('today is partial (fetched before the day ended); families never fetched are missing; bad input is problem+json', async () => {
    // "Today" is the athlete's local day, which can be UTC's yesterday or tomorrow (the seeded
    // home cities span UTC−7 to UTC+10): find it from the stored summary's day bounds.
    await sync({ sync_type: 'health', from: today, to: today, metrics: ['summary'] });
    const utcToday = await h.api('GET', `/health/daily/${today}?metric=summary`, { token });
    expect(utcToday.status, JSON.stringify(utcToday.body)).toBe(200);
    const bounds = utcToday.body.metrics.summary.data as { wellnessStartTimeGmt: string; wellnessEndTimeGmt: string };
    const now = Date.now();
    const localToday =
      now >= Date.parse(`${bounds.wellnessEndTimeGmt}Z`)
        ? addDays(today, 1)
        : now < Date.parse(`${bounds.wellnessStartTimeGmt}Z`)
          ? addDays(today, -1)
          : today;
    await sync({ sync_type: 'health', from: localToday, to: localToday });
    const r = await coverage(`from=${localToday}&to=${localToday}&metrics=summary,floors`);
    expect(r.metrics).toEqual(['summary', 'floors']);
    expect(r.days[0]!.metrics.summary!.state).toBe('partial');
    expect(r.days[0]!.metrics.floors!.state).toBe('missing');
    expect(r.days[0]!.state).toBe('missing');
    for (const q of ['metrics=moon', `from=${today}&to=${addDays(today, -1)}`, 'from=2026-13-01', `from=1990-01-01&to=${today}`]) {
      const bad = await h.api('GET', `/coverage?${q}`, { token });
      expect(bad.status, q).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
    }
    const badJob = await h.api('POST', '/sync/jobs', { token, body: { sync_type: 'health', metrics: ['moon'] } });
    expect(badJob.status).toBe(400);
    const wrongType = await h.api('POST', '/sync/jobs', { token, body: { sync_type: 'workouts', missing: true } });
    expect(wrongType.status).toBe(400);
    expect((await h.api('GET', '/coverage')).status).toBe(401);
  });

  it('activity details are fetched from Garmin on demand: one upstream request, not stored, 404 for an unsynced id', async () => {
    expect((await sync({ sync_type: 'activities' })).status).toBe('completed');
    const list = await h.api('GET', '/activities', { token });
    const id = list.body.items[0].activity_id as string;
    h.emu.resetStats();
    const r = await h.api('GET', `/activities/${id}/details?max_chart_size=50&max_polyline_size=10`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Value.Check(ActivityDetails, r.body)).toBe(true);
    expect(r.body.activity_id).toBe(id);
    expect(r.body.details.activityId).toBe(Number(id));
    // Garmin downsamples to about max_chart_size rows (not a hard cap): fewer than the full resolution.
    expect(r.body.details.activityDetailMetrics.length).toBe(r.body.details.metricsCount);
    expect(r.body.details.metricsCount).toBeLessThan(r.body.details.totalMetricsCount);
    expect(Array.isArray(r.body.details.geoPolylineDTO.polyline)).toBe(true);
    expect(r.body.details.metricDescriptors.length).toBeGreaterThan(3);
    expect(h.emu.stats().total).toBe(1);
    const missing = await h.api('GET', `/activities/99999999999/details`, { token });
    expect(missing.status).toBe(404);
    expect(h.emu.stats().total).toBe(1);
  });
});
