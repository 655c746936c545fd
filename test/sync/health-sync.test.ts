import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_METRICS } from '../../src/core/index.js';
import { SESSION, USER, startHarness, type Harness } from './harness.js';

/**
 * Done-when of issue 13 (health sync part): a health sync of 30 emulator days stores every
 * default family for every day, with exactly the values Garmin (the emulator's seed) serves, at
 * a fixed number of upstream requests per day.
 */
const DAYS = 30;
const PER_DAY = 8; // summary, heart rate, sleep, stress, HRV, respiration, SpO2, training readiness
const PER_JOB = 3; // social profile, weight range, body battery reports

describe('health sync of 30 emulator days', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ activities: 1, days: DAYS, workouts: 1 });
    h.pool().start();
  });
  afterAll(async () => h?.close());

  it('stores every default family for every day, with the seed values, at 8 requests per day + 3 per job', async () => {
    h.backend.resetRequests();
    const { job } = await h.service.create(USER, SESSION, { sync_type: 'health' });
    expect(await h.settled(job.job_id)).toMatchObject({ status: 'completed', total_items: DAYS, processed_items: DAYS, failed_items: 0 });
    const requests = h.backend.requests();
    expect(requests).toBe(DAYS * PER_DAY + PER_JOB);

    const garmin = await h.backend.gateway.forUser(USER);
    const { displayName } = await garmin.getSocialProfile();
    const { items } = await h.store.healthMetrics.listDays(USER, { limit: 100 });
    expect(items).toHaveLength(DAYS);
    const first = items.at(-1)!.calendar_date;
    const last = items[0]!.calendar_date;
    const weights = new Map(
      ((await garmin.getWeightRange(first, last)).dailyWeightSummaries as { summaryDate: string }[]).map((w) => [w.summaryDate, w]),
    );
    const battery = new Map((await garmin.health.getBodyBatteryReports(first, last)).map((r) => [r.date, r]));
    for (const { calendar_date: day } of items) {
      const stored = Object.fromEntries((await h.store.healthMetrics.getDay(USER, day)).map((r) => [r.family, r]));
      expect(Object.keys(stored).sort(), day).toEqual([...DEFAULT_HEALTH_METRICS].sort());
      const expected: Record<string, unknown> = {
        summary: await garmin.getDailySummary(day),
        heart_rate: await garmin.getDailyHeartRate(day),
        sleep: await garmin.getSleep(day, displayName),
        stress: await garmin.getStress(day),
        body_battery: battery.get(day) ?? null,
        hrv: await garmin.getHrv(day),
        weight: weights.get(day) ?? null,
        respiration: await garmin.health.getRespiration(day),
        spo2: await garmin.health.getSpo2(day),
        training_readiness: await garmin.health.getTrainingReadiness(day),
      };
      for (const family of DEFAULT_HEALTH_METRICS) {
        expect(stored[family]!.payload, `${day} ${family}`).toEqual(expected[family]);
        expect(stored[family]!.source).toBe('api');
        expect(stored[family]!.job_id).toBe(job.job_id);
      }
      // Every day of the seed has a summary, heart rate, stress, body battery report and respiration series owner.
      for (const family of ['summary', 'heart_rate', 'stress', 'body_battery'] as const)
        expect(stored[family]!.state, `${day} ${family}`).toBe('present');
      expect(stored.hrv!.state).toBe(expected.hrv === null ? 'empty' : 'present');
      expect(stored.weight!.state).toBe(expected.weight === null ? 'empty' : 'present');
      expect(stored.training_readiness!.state).toBe((expected.training_readiness as unknown[]).length === 0 ? 'empty' : 'present');
    }
  });
});
