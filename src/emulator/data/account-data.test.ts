import { describe, expect, it } from 'vitest';
import { createAccountData } from './index.js';
import { TEST_IDENTITY, TEST_OPTIONS } from './testing.fixtures.js';

function snapshot(data: ReturnType<typeof createAccountData>): string {
  const ids = data.activityIds();
  return JSON.stringify({
    profile: data.socialProfile(),
    settings: data.userSettings(),
    list: data.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc' }),
    details: ids.slice(0, 10).map((id) => data.activityDetail(id)),
    summary: data.dailySummary('2026-11-20'),
    hr: data.dailyHeartRate('2026-11-20'),
    sleep: data.dailySleep('2026-11-20', true),
    stress: data.dailyStress('2026-11-20'),
    hrv: data.hrv('2026-11-20') ?? null,
    weight: data.weightRange('2026-10-01', '2026-11-27'),
    workouts: data.workouts(0, 100),
    workout: data.workout(data.workouts(0, 1)[0]?.workoutId as number),
  });
}

describe('createAccountData determinism', () => {
  it('gives byte-identical JSON and FIT for the same seed and options', () => {
    const a = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    const b = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    expect(snapshot(a)).toBe(snapshot(b));
    const ids = a.activityIds().slice(0, 3);
    for (const id of ids) {
      expect(Buffer.from(a.fitBytes(id)!).equals(Buffer.from(b.fitBytes(id)!))).toBe(true);
      expect(Buffer.from(a.zipBytes(id)!).equals(Buffer.from(b.zipBytes(id)!))).toBe(true);
    }
    const w = a.workouts(0, 1)[0]?.workoutId as number;
    expect(Buffer.from(a.workoutFitBytes(w)!).equals(Buffer.from(b.workoutFitBytes(w)!))).toBe(true);
  });

  it('differs for a different seed', () => {
    const a = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    const b = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, seed: TEST_OPTIONS.seed + 1 });
    expect(snapshot(a)).not.toBe(snapshot(b));
    expect(a.activityIds()).not.toEqual(b.activityIds());
  });

  it('generates FIT bytes independently of the order they are asked for and of the cache', () => {
    const a = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, fitCacheSize: 1 });
    const b = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    const ids = a.activityIds().slice(0, 4);
    const forward = ids.map((id) => Buffer.from(a.fitBytes(id)!));
    const backward = [...ids]
      .reverse()
      .map((id) => Buffer.from(b.fitBytes(id)!))
      .reverse();
    forward.forEach((f, i) => expect(f.equals(backward[i]!)).toBe(true));
    // Evicted from a size-1 cache and regenerated: still the same bytes.
    expect(Buffer.from(a.fitBytes(ids[0]!)!).equals(forward[0]!)).toBe(true);
  });
});

describe('activities', () => {
  it('spans years of history, newest on the end date, ids increasing with time', () => {
    const data = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, activities: 400 });
    const list = data.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc' });
    expect(list).toHaveLength(400);
    expect(String(list[0]?.startTimeLocal).slice(0, 10)).toBe('2026-11-27');
    const oldest = String(list[list.length - 1]?.startTimeLocal);
    expect(Number(oldest.slice(0, 4))).toBeLessThanOrEqual(2025);
    for (let i = 1; i < list.length; i++) {
      expect(list[i - 1]!.activityId as number).toBeGreaterThan(list[i]!.activityId as number);
      expect(list[i - 1]!.beginTimestamp as number).toBeGreaterThan(list[i]!.beginTimestamp as number);
    }
    const sports = new Set(list.map((a) => (a.activityType as { typeKey: string }).typeKey));
    for (const key of ['running', 'cycling', 'walking', 'lap_swimming', 'strength_training']) expect(sports).toContain(key);
  });

  it('with notAfterMs, places no activity that has not ended by then (same count, still deterministic)', () => {
    const notAfterMs = Date.parse('2026-11-27T03:00:00Z');
    const data = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, activities: 50, notAfterMs });
    const again = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, activities: 50, notAfterMs });
    const list = data.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc' });
    expect(list).toHaveLength(50);
    for (const a of list) {
      expect((a.beginTimestamp as number) + (a.elapsedDuration as number) * 1000).toBeLessThanOrEqual(notAfterMs);
    }
    expect(JSON.stringify(again.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc' }))).toBe(JSON.stringify(list));
  });

  it('adds newer activities deterministically after the newest one', () => {
    const a = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    const b = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    const newest = a.activityIds()[0]!;
    const added = a.addActivities(3);
    expect(added).toHaveLength(3);
    expect(added[0]!).toBeGreaterThan(newest);
    expect(added[1]!).toBeGreaterThan(added[0]!);
    expect(a.activityCount()).toBe(TEST_OPTIONS.activities + 3);
    expect(a.activityIds().slice(0, 3)).toEqual([...added].reverse());
    // Same additions in two steps give the same activities.
    const first = b.addActivities(1);
    const rest = b.addActivities(2);
    expect([...first, ...rest]).toEqual(added);
    expect(JSON.stringify(a.activityDetail(added[2]!))).toBe(JSON.stringify(b.activityDetail(added[2]!)));
    expect(a.fitBytes(added[2]!)).toBeDefined();
  });

  it('filters by local date range and activity type (parent types included) and pages', () => {
    const data = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, activities: 300 });
    const all = data.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc' });
    const runs = data.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc', activityType: 'running' });
    expect(runs.length).toBeGreaterThan(0);
    expect(
      runs.every(
        (a) =>
          (a.activityType as { typeKey: string; parentTypeId: number }).typeKey === 'running' ||
          (a.activityType as { parentTypeId: number }).parentTypeId === 1,
      ),
    ).toBe(true);
    const start = Date.UTC(2026, 9, 1);
    const end = Date.UTC(2026, 9, 31);
    const october = data.searchActivities({ start: 0, limit: 1000, sortOrder: 'asc', startDateMs: start, endDateMs: end });
    expect(october.length).toBeGreaterThan(0);
    expect(october.every((a) => String(a.startTimeLocal).startsWith('2026-10'))).toBe(true);
    expect(october[0]!.beginTimestamp as number).toBeLessThan(october[october.length - 1]!.beginTimestamp as number);
    expect(all.filter((a) => String(a.startTimeLocal).startsWith('2026-10'))).toHaveLength(october.length);
    const page2 = data.searchActivities({ start: 10, limit: 10, sortOrder: 'desc' });
    expect(page2.map((a) => a.activityId)).toEqual(all.slice(10, 20).map((a) => a.activityId));
    expect(data.searchActivities({ start: 1000, limit: 10, sortOrder: 'desc' })).toEqual([]);
  });

  it('serves corrupted FIT bytes only for the marked ids', () => {
    const data = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    const [bad, good] = data.activityIds();
    const clean = Buffer.from(data.fitBytes(bad!)!);
    data.setCorruptFitIds([bad!]);
    expect(Buffer.from(data.fitBytes(bad!)!).equals(clean)).toBe(false);
    expect(data.fitBytes(bad!)!.length).toBe(clean.length);
    expect(data.fitBytes(good!)).toBeDefined();
    data.setCorruptFitIds([]);
    expect(Buffer.from(data.fitBytes(bad!)!).equals(clean)).toBe(true);
  });

  it('answers undefined for unknown ids', () => {
    const data = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    expect(data.activityDetail(1)).toBeUndefined();
    expect(data.fitBytes(1)).toBeUndefined();
    expect(data.zipBytes(1)).toBeUndefined();
    expect(data.workout(1)).toBeUndefined();
    expect(data.workoutFitBytes(1)).toBeUndefined();
  });
});

describe('daily health', () => {
  const data = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, days: 120 });
  const dates = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2026, 10, 27) - i * 86_400_000).toISOString().slice(0, 10));

  it('has nights without sleep (id null), days without HRV and days with weigh-ins', () => {
    const sleeps = dates.map((d) => data.dailySleep(d, false).dailySleepDTO as { id: number | null; sleepTimeSeconds: number | null });
    expect(sleeps.some((s) => s.id === null)).toBe(true);
    expect(sleeps.filter((s) => s.id !== null).every((s) => (s.sleepTimeSeconds ?? 0) > 4 * 3600)).toBe(true);
    const hrv = dates.map((d) => data.hrv(d));
    expect(hrv.some((h) => h === undefined)).toBe(true);
    expect(hrv.some((h) => h !== undefined)).toBe(true);
    const weighed = dates.filter((d) => (data.weightDayView(d).dateWeightList as unknown[]).length > 0);
    expect(weighed.length).toBeGreaterThan(10);
    expect(weighed.length).toBeLessThan(120);
  });

  it('has 2-minute heart-rate samples and 3-minute stress/body battery over the local day', () => {
    const hr = data.dailyHeartRate('2026-11-20');
    const values = hr.heartRateValues as [number, number | null][];
    expect(values).toHaveLength(720);
    expect(values[1]![0] - values[0]![0]).toBe(120_000);
    const stress = data.dailyStress('2026-11-20')!;
    expect((stress.stressValuesArray as unknown[]).length).toBe(480);
    expect((stress.bodyBatteryValuesArray as unknown[][])[0]).toHaveLength(4);
  });

  it('answers the empty shapes outside the data', () => {
    expect(data.dailyStress('2019-01-01')).toBeNull();
    expect(data.hrv('2019-01-01')).toBeUndefined();
    expect((data.dailySleep('2030-01-01', true).dailySleepDTO as { id: unknown }).id).toBeNull();
    expect(data.dailyHeartRate('2019-01-01').heartRateValues).toBeNull();
    expect(data.dailySummary('2019-01-01').totalSteps).toBeNull();
    expect(data.weightDayView('2019-01-01').dateWeightList).toEqual([]);
    const range = data.weightRange('2019-01-01', '2019-01-31');
    expect(range.dailyWeightSummaries).toEqual([]);
    expect((range.previousDateWeight as { weight: unknown }).weight).toBeNull();
    expect((range.nextDateWeight as { weight: unknown }).weight).not.toBeNull();
  });
});

describe('an account without history', () => {
  it('adds its first activities on the end date', () => {
    const data = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, activities: 0 });
    expect(data.activityIds()).toEqual([]);
    const [id] = data.addActivities(1);
    const item = data.searchActivities({ start: 0, limit: 10, sortOrder: 'desc' })[0]!;
    expect(item.activityId).toBe(id);
    expect(String(item.startTimeLocal).slice(0, 10)).toBe('2026-11-27');
  });
});

describe('options', () => {
  it('refuses an end date that is not a real date', () => {
    expect(() => createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, endDate: '2026-02-30' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
