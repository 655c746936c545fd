import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { verifyFit } from '../../src/garmin/index.js';
import type { GarminConnect } from '../../src/garmin/index.js';
import { loginNoMfa, makeAuth, makeConnect, MemoryTokenStore, rejectionOf, startEmu } from './helpers.js';

let emu: RunningEmulator;
let clock: FakeClock;
let api: GarminConnect;
let displayName: string;

beforeAll(async () => {
  ({ emu, clock } = await startEmu());
  const login = await loginNoMfa(emu, clock);
  displayName = login.displayName;
  api = makeConnect(emu, clock, makeAuth(emu, clock), new MemoryTokenStore(login.tokens));
});
afterAll(async () => {
  await emu.close();
});

describe('Connect API against the seeded emulator', () => {
  it('socialProfile and user settings', async () => {
    const p = await api.getSocialProfile();
    expect(p.displayName).toBe(displayName);
    expect(p.displayName).toMatch(/^nomfa_\d{4}$/);
    expect(p.fullName).toBe('Nomfa Cyclist');
    expect(p.raw.profileId).toBe(p.profileId);
    const settings = await api.getUserSettings();
    expect(typeof settings.userData).toBe('object');
  });

  it('lists all 30 seeded activities newest first, pages by start/limit, filters by date', async () => {
    const all = await api.listActivities({ start: 0, limit: 1000 });
    expect(all).toHaveLength(30);
    const times = all.map((a) => a.startTimeGMT);
    expect([...times].sort().reverse()).toEqual(times);
    expect(new Set(all.map((a) => a.activityId)).size).toBe(30);
    for (const a of all) {
      expect(a.activityType.typeKey).toMatch(/^[a-z_]+$/);
      expect(a.raw.activityId).toBe(a.activityId);
    }
    const page2 = await api.listActivities({ start: 10, limit: 10 });
    expect(page2.map((a) => a.activityId)).toEqual(all.slice(10, 20).map((a) => a.activityId));
    // Garmin filters by the activity's local calendar day.
    const day = String(all[5]!.raw.startTimeLocal).slice(0, 10);
    const filtered = await api.listActivities({ start: 0, limit: 100, startDate: day, endDate: day });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.map((a) => a.activityId)).toContain(all[5]!.activityId);
    expect((await rejectionOf(api.listActivities({ start: 0, limit: 1001 }))).code).toBe('VALIDATION_FAILED');
  });

  it('activity detail and its original FIT (ZIP streamed, unzipped, verified)', async () => {
    const [first] = await api.listActivities({ start: 0, limit: 1 });
    const detail = await api.getActivity(first!.activityId);
    expect(detail.activityId).toBe(first!.activityId);
    const fit = await api.downloadActivityFit(first!.activityId);
    expect(fit.toString('latin1', 8, 12)).toBe('.FIT');
    expect(() => verifyFit(fit)).not.toThrow();
    // Same seed → same bytes.
    expect((await api.downloadActivityFit(first!.activityId)).equals(fit)).toBe(true);
  });

  it('unknown activity → GARMIN_NOT_FOUND', async () => {
    expect(await rejectionOf(api.getActivity(1)).then((e) => e.code)).toBe('GARMIN_NOT_FOUND');
  });

  it('daily health of a seeded day: summary, heart rate, sleep, stress + body battery, HRV, weight', async () => {
    const date = '2026-11-25';
    const summary = await api.getDailySummary(date);
    expect(summary.calendarDate).toBe(date);
    expect(typeof summary.totalSteps).toBe('number');
    const hr = await api.getDailyHeartRate(date);
    expect(hr.calendarDate).toBe(date);
    expect(Array.isArray(hr.heartRateValues)).toBe(true);
    const sleep = await api.getSleep(date, displayName);
    expect(typeof sleep.dailySleepDTO).toBe('object');
    const stress = await api.getStress(date);
    expect(stress.calendarDate).toBe(date);
    expect(Array.isArray(stress.bodyBatteryValuesArray)).toBe(true);
    const hrv = await api.getHrv(date);
    if (hrv !== null) expect(typeof hrv.hrvSummary).toBe('object');
    const weight = await api.getWeightRange('2026-11-18', date);
    expect(Array.isArray(weight.dailyWeightSummaries)).toBe(true);
  });

  it('days without data: HRV 204 → null, stress JSON null → {}', async () => {
    const date = '2020-01-01';
    expect(await api.getHrv(date)).toBeNull();
    expect(await api.getStress(date)).toEqual({});
    const sleep = await api.getSleep(date, displayName);
    expect((sleep.dailySleepDTO as { id: unknown }).id).toBeNull();
  });

  it('workouts: list, detail and the raw FIT, verified', async () => {
    const workouts = await api.listWorkouts({ start: 0, limit: 100 });
    expect(workouts).toHaveLength(4);
    const w = workouts[0]!;
    expect(w.sportType?.sportTypeKey).toBeTruthy();
    const detail = await api.getWorkout(w.workoutId);
    expect(detail.workoutId).toBe(w.workoutId);
    const fit = await api.downloadWorkoutFit(w.workoutId);
    expect(() => verifyFit(fit)).not.toThrow();
  });

  it('bad input never reaches Garmin', async () => {
    const before = emu.stats().total;
    expect((await rejectionOf(api.getDailySummary('25.11.2026'))).code).toBe('VALIDATION_FAILED');
    expect((await rejectionOf(api.getActivity(-3))).code).toBe('VALIDATION_FAILED');
    expect(emu.stats().total).toBe(before);
    expect(emu.stats().violations).toEqual([]);
  });

  it('sees activities added upstream (incremental sync)', async () => {
    const [newest] = await api.listActivities({ start: 0, limit: 1 });
    const added = emu.addActivities('nomfa@example.com', 2);
    const [top] = await api.listActivities({ start: 0, limit: 1 });
    expect(added).toContain(top!.activityId);
    expect(top!.activityId).not.toBe(newest!.activityId);
  });
});
