import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_METRICS, HEALTH_METRICS, addDays, utcDate } from '../../src/core/index.js';
import { computeCoverage, familiesToFetch } from '../../src/sync/health/coverage.js';
import { testDialects } from '../../src/store/testing/dialects.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

/**
 * Issue 13 (`--metrics`, `--full` to the first day with data, requests per day) and issue 15
 * (`--missing`) against the emulator, on every dialect. Request counts are counted at the
 * emulator, per family kind: per-day families cost one request per day, ranged ones (weight,
 * body battery, VO2max, race predictions, blood pressure) one per run of consecutive days, the
 * display name one per job when sleep, steps or race predictions need it.
 */
const DAYS = 30;
const RANGED = new Set(['weight', 'body_battery', 'max_metrics', 'race_predictions', 'blood_pressure']);
const NAMED = new Set(['sleep', 'steps', 'race_predictions']);
const perDay = (families: readonly string[]) => families.filter((f) => !RANGED.has(f)).length;
const perRun = (families: readonly string[]) => families.filter((f) => RANGED.has(f)).length;
const profile = (families: readonly string[]) => (families.some((f) => NAMED.has(f)) ? 1 : 0);

describe.each(testDialects())('health sync options on $name', (dialect) => {
  let h: Harness;
  const today = utcDate(Date.now());
  beforeAll(async () => {
    h = await startHarness({ activities: 1, days: DAYS, workouts: 1 }, { dialect });
    // A first sync reaches back only 5 days: --full must find the rest by itself.
    h.pool({ healthInitialDays: 5 }).start();
  });
  afterAll(async () => h?.close());

  const run = async (input: Parameters<Harness['service']['create']>[2]) => {
    h.backend.resetRequests();
    const { job } = await h.service.create(USER, SESSION, input);
    const done = await h.settled(job.job_id, 60_000);
    return { job: done, requests: h.backend.requests() };
  };

  it('the default set costs 8 requests per day plus 3 per job; per-day requests are well under one per family', async () => {
    const { job, requests } = await run({ sync_type: 'health', from: addDays(today, -9), to: today });
    expect(job).toMatchObject({ status: 'completed', processed_items: 10, failed_items: 0 });
    const expected = 10 * perDay(DEFAULT_HEALTH_METRICS) + perRun(DEFAULT_HEALTH_METRICS) + profile(DEFAULT_HEALTH_METRICS);
    expect(expected).toBe(10 * 8 + 3);
    expect(requests).toBe(expected);
    expect(requests / 10).toBeLessThan(DEFAULT_HEALTH_METRICS.length);
  });

  it('--metrics all stores all 21 families per day at 16 requests per day plus 6 per job', async () => {
    const { job, requests } = await run({ sync_type: 'health', from: addDays(today, -9), to: today, metrics: ['all'] });
    expect(job).toMatchObject({ status: 'completed', processed_items: 10, params: { metrics: [...HEALTH_METRICS] } });
    expect(perDay(HEALTH_METRICS)).toBe(16);
    expect(requests).toBe(10 * 16 + perRun(HEALTH_METRICS) + 1);
    for (const day of [today, addDays(today, -9)]) {
      const rows = await h.store.healthMetrics.getDay(USER, day);
      expect(rows.map((r) => r.family).sort()).toEqual([...HEALTH_METRICS].sort());
      expect(rows.every((r) => r.job_id === job.job_id)).toBe(true);
    }
    // What was stored is what Garmin serves for the day.
    const garmin = await h.backend.gateway.forUser(USER);
    const day = addDays(today, -4);
    const stored = Object.fromEntries((await h.store.healthMetrics.getDay(USER, day)).map((r) => [r.family, r.payload]));
    expect(stored.floors).toEqual(await garmin.health.getFloors(day));
    expect(stored.hydration).toEqual(await garmin.health.getHydration(day));
    expect(stored.training_status).toEqual(await garmin.health.getTrainingStatus(day));
    const vo2 = (await garmin.health.getMaxMetrics(day, day))[0] ?? null;
    expect(stored.max_metrics).toEqual(vo2);
  });

  it('--metrics sleep,hrv fetches only those families (sleep needs the display name)', async () => {
    const from = addDays(today, -14);
    const { job, requests } = await run({ sync_type: 'health', from, to: addDays(from, 2), metrics: ['hrv', 'sleep'] });
    expect(job.params.metrics).toEqual(['sleep', 'hrv']);
    expect(requests).toBe(3 * 2 + 1);
    expect((await h.store.healthMetrics.getDay(USER, from)).map((r) => r.family).sort()).toEqual(['hrv', 'sleep']);
  });

  it('an unknown metric, or metrics on another sync type, is VALIDATION_FAILED naming the valid names', async () => {
    await expect(h.service.create(USER, SESSION, { sync_type: 'health', metrics: ['sleep', 'moon'] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('summary, heart_rate'),
    });
    await expect(h.service.create(USER, SESSION, { sync_type: 'activities', metrics: ['sleep'] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('--full reaches back to the first day the account has data (30 days, not the 5 of a first sync), at 3 extra requests', async () => {
    const { job, requests } = await run({ sync_type: 'health', full: true });
    expect(job).toMatchObject({ status: 'completed', total_items: DAYS, processed_items: DAYS, failed_items: 0 });
    // Two weekly-steps requests (the year with data, then the empty year before it) and one daily-steps request.
    expect(requests).toBe(3 + DAYS * 8 + 3);
    const first = addDays(today, -(DAYS - 1));
    expect((await h.store.healthMetrics.getDay(USER, first)).find((r) => r.family === 'summary')?.state).toBe('present');
    expect(await h.store.healthMetrics.storedDates(USER, addDays(first, -40), addDays(first, -1))).toEqual(new Set());
  });

  it('--missing fetches exactly the families and days coverage shows missing, and nothing when all is there', async () => {
    const from = addDays(today, -29);
    const to = addDays(today, -20);
    // After --full every default family of these days is stored: add a gap by syncing hill_score for two days only.
    await run({ sync_type: 'health', from: addDays(from, 3), to: addDays(from, 4), metrics: ['hill_score'] });
    const plan = familiesToFetch(
      computeCoverage(
        from,
        to,
        await h.store.healthMetrics.statusRange(USER, from, to),
        await h.store.failures.healthFailures(USER, from, to),
        ['summary', 'hill_score'],
      ),
    );
    expect(plan.size).toBe(8);
    const { job, requests } = await run({ sync_type: 'health', from, to, missing: true, metrics: ['summary', 'hill_score'] });
    expect(job).toMatchObject({ status: 'completed', total_items: 8, processed_items: 8 });
    expect(requests).toBe(8);
    const again = await run({ sync_type: 'health', from, to, missing: true, metrics: ['summary', 'hill_score'] });
    expect(again.job).toMatchObject({ status: 'completed', total_items: 0 });
    expect(again.requests).toBe(0);
  });
});
