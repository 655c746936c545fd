import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { GarminConnect } from '../../src/garmin/index.js';
import { loginNoMfa, makeAuth, makeConnect, MemoryTokenStore, startEmu } from './helpers.js';

/** The client's health methods against the emulator: typed answers, validated input, ranged calls. */
let emu: RunningEmulator;
let clock: FakeClock;
let api: GarminConnect;
let displayName: string;

beforeAll(async () => {
  ({ emu, clock } = await startEmu({ days: 20, activities: 5, endDate: '2026-11-27' }));
  const login = await loginNoMfa(emu, clock);
  displayName = login.displayName;
  api = makeConnect(emu, clock, makeAuth(emu, clock), new MemoryTokenStore(login.tokens));
});
afterAll(async () => emu?.close());

describe('GarminHealthApi against the emulator', () => {
  it('ranged body battery reports: one request for a week, one report per day', async () => {
    emu.resetStats();
    const reports = await api.health.getBodyBatteryReports('2026-11-20', '2026-11-26');
    expect(reports.map((r) => r.date)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]);
    expect(emu.stats().total).toBe(1);
  });

  it('respiration, SpO2, training readiness, steps chart, weight date range and VO2max parse', async () => {
    expect((await api.health.getRespiration('2026-11-25')).calendarDate).toBe('2026-11-25');
    expect((await api.health.getSpo2('2026-11-25')).calendarDate).toBe('2026-11-25');
    expect(Array.isArray(await api.health.getTrainingReadiness('2026-11-25'))).toBe(true);
    expect(await api.health.getTrainingReadiness('2030-01-01')).toEqual([]);
    const chart = await api.health.getStepsChart('2026-11-25', displayName);
    expect(chart).toHaveLength(96);
    expect(chart.reduce((a, b) => a + (b.steps as number), 0)).toBe((await api.getDailySummary('2026-11-25')).totalSteps);
    expect(Array.isArray((await api.health.getWeightDateRange('2026-11-01', '2026-11-27')).dateWeightList)).toBe(true);
    expect(await api.health.getMaxMetrics('2026-11-20', '2026-11-26')).toHaveLength(7);
  });

  it('activity details with the requested sizes; descriptors mapped by metricsIndex', async () => {
    const [a] = await api.listActivities({ start: 0, limit: 1 });
    const d = await api.health.getActivityDetails(a!.activityId, { maxChartSize: 20, maxPolylineSize: 0 });
    expect(d.activityId).toBe(a!.activityId);
    expect((d.activityDetailMetrics as unknown[]).length).toBeLessThanOrEqual(21);
    expect(emu.stats().violations).toEqual([]);
  });

  it('refuses bad input before any request', async () => {
    emu.resetStats();
    for (const p of [
      api.health.getSpo2('2026-02-30x'),
      api.health.getBodyBatteryReports('2026-11-27', '2026-11-01'),
      api.health.getActivityDetails(-1),
      api.health.getStepsChart('x', displayName),
    ]) {
      await expect(p).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION_FAILED'));
    }
    expect(emu.stats().total).toBe(0);
  });
});
