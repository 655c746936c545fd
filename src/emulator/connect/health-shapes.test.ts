import { describe, expect, it } from 'vitest';
import { recordedJson, recordingsDir } from './testing/cassettes.js';
import { connectHarness } from './testing/fake-request.js';

/**
 * Every recorded response of the health surface (garminconnect/2023, 2025; garth data/, stats/)
 * has the same keys and JSON types as ours, recursively: each recorded key exists in our answer
 * with the same type (null on either side is allowed: Garmin nulls what a day lacks), arrays are
 * compared element by element on their first items. Both the with-data and the no-data shapes.
 */
type Json = Record<string, unknown>;
const dir = recordingsDir();

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Differences between a recorded value and ours: "path: reason". */
function shapeDiff(recorded: unknown, ours: unknown, path = '$'): string[] {
  const [r, o] = [kind(recorded), kind(ours)];
  if (r === 'null' || o === 'null') return [];
  if (r !== o) return [`${path}: recorded ${r}, ours ${o}`];
  if (r === 'array') {
    const [ra, oa] = [recorded as unknown[], ours as unknown[]];
    if (ra.length === 0 || oa.length === 0) return [];
    return shapeDiff(ra[0], oa[0], `${path}[0]`);
  }
  if (r === 'object') {
    const out: string[] = [];
    for (const [k, v] of Object.entries(recorded as Json)) {
      if (!(k in (ours as Json))) out.push(`${path}.${k}: missing`);
      else out.push(...shapeDiff(v, (ours as Json)[k], `${path}.${k}`));
    }
    return out;
  }
  return [];
}

describe.runIf(dir !== undefined)('health surface shapes match the recordings (keys and types)', () => {
  const d = dir ?? '';
  const h = connectHarness({ seed: 11, activities: 60, days: 60, workouts: 2, endDate: '2026-11-27' });
  const day = '2026-11-20';
  const noData = '2019-06-01';
  const name = h.data.identity.displayName;
  const rec = (file: string, uri: string) => recordedJson(d, file, uri);
  const json = async (path: string) => {
    const r = await h.get(path);
    expect(r.status, path).toBe(200);
    return r.json();
  };
  const same = async (recorded: unknown, path: string) => {
    const ours = await json(path);
    expect(shapeDiff(recorded, ours), path).toEqual([]);
    return ours;
  };

  it('body battery daily reports (2023 with levels, 2025 without)', async () => {
    for (const year of ['2023', '2025']) {
      const recorded = rec(`garminconnect/${year}/test_body_battery.yaml`, 'bodyBattery/reports/daily') as Json[];
      const ours = (await same(recorded, `/wellness-service/wellness/bodyBattery/reports/daily?startDate=${day}&endDate=${day}`)) as Json[];
      expect(ours).toHaveLength(1);
      expect(Object.keys(ours[0]!).sort()).toEqual(Object.keys(recorded[0]!).sort());
      expect(ours[0]!.bodyBatteryValueDescriptorDTOList).toEqual(recorded[0]!.bodyBatteryValueDescriptorDTOList);
    }
    const week = (await json(`/wellness-service/wellness/bodyBattery/reports/daily/?startDate=2026-11-14&endDate=${day}`)) as Json[];
    expect(week.map((r) => r.date)).toEqual([
      '2026-11-14',
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
    ]);
  });

  it('respiration and SpO2, with data (2023) and archived/no-data (2025)', async () => {
    const resp23 = rec('garminconnect/2023/test_respiration_data.yaml', 'daily/respiration') as Json;
    const nights = await Promise.all(
      Array.from({ length: 10 }, (_, i) => json(`/wellness-service/wellness/daily/respiration/2026-11-${String(i + 10)}`)),
    );
    const night = nights.find((n) => ((n as Json).respirationValuesArray as unknown[]).length > 0) as Json;
    const ours = (await same(resp23, `/wellness-service/wellness/daily/respiration/${String(night.calendarDate)}`)) as Json;
    expect((ours.respirationValuesArray as unknown[]).length).toBe(720);
    expect(Object.keys(ours).sort()).toEqual(expect.arrayContaining(Object.keys(resp23).sort()));
    await same(
      rec('garminconnect/2025/test_respiration_data.yaml', 'daily/respiration'),
      `/wellness-service/wellness/daily/respiration/${day}`,
    );
    await same(
      rec('garminconnect/2025/test_respiration_data.yaml', 'daily/respiration'),
      `/wellness-service/wellness/daily/respiration/${noData}`,
    );
    const spo23 = rec('garminconnect/2023/test_spo2_data.yaml', 'daily/spo2') as Json;
    const spo2 = (await same(spo23, `/wellness-service/wellness/daily/spo2/${day}`)) as Json;
    expect(spo2.spO2ValueDescriptorsDTOList ?? spo23.spO2ValueDescriptorsDTOList).toEqual(spo23.spO2ValueDescriptorsDTOList);
    const spo25 = rec('garminconnect/2025/test_spo2_data.yaml', 'daily/spo2') as Json;
    const none = (await same(spo25, `/wellness-service/wellness/daily/spo2/${noData}`)) as Json;
    expect(Object.keys(none).sort()).toEqual(Object.keys(spo25).sort());
  });

  it('15-minute steps chart: 96 buckets with data, the 95 "none" buckets without', async () => {
    const recorded = rec('garminconnect/2023/test_steps_data.yaml', 'dailySummaryChart') as Json[];
    const ours = (await same(recorded, `/wellness-service/wellness/dailySummaryChart/${name}?date=${day}`)) as Json[];
    expect(ours).toHaveLength(96);
    const levels = new Set(recorded.map((b) => b.primaryActivityLevel));
    for (const b of ours) expect(levels.has(b.primaryActivityLevel) || b.primaryActivityLevel === 'highlyActive').toBe(true);
    const recordedNone = rec('garminconnect/2025/test_steps_data.yaml', 'dailySummaryChart') as Json[];
    const none = (await same(recordedNone, `/wellness-service/wellness/dailySummaryChart/${name}?date=${noData}`)) as Json[];
    expect(none).toHaveLength(recordedNone.length);
    expect(none.every((b) => b.primaryActivityLevel === 'none' && b.steps === 0)).toBe(true);
    expect((await h.get(`/wellness-service/wellness/dailySummaryChart/someone_else?date=${day}`)).status).toBe(403);
  });

  it('floors chart (96 rows; empty arrays without data) and hydration (nothing logged)', async () => {
    const f23 = rec('garminconnect/2023/test_floors.yaml', 'floorsChartData') as Json;
    const ours = (await same(f23, `/wellness-service/wellness/floorsChartData/daily/${day}`)) as Json;
    expect(ours.floorsValueDescriptorDTOList).toEqual(f23.floorsValueDescriptorDTOList);
    expect((ours.floorValuesArray as unknown[]).length).toBe(96);
    const f25 = rec('garminconnect/2025/test_floors.yaml', 'floorsChartData') as Json;
    expect(await json(`/wellness-service/wellness/floorsChartData/daily/${noData}`)).toMatchObject({
      floorsValueDescriptorDTOList: [],
      floorValuesArray: [],
    });
    await same(f25, `/wellness-service/wellness/floorsChartData/daily/${noData}`);
    const hyd = rec('garminconnect/2025/test_hydration_data.yaml', 'hydration/daily') as Json;
    const none = (await same(hyd, `/usersummary-service/usersummary/hydration/daily/${noData}`)) as Json;
    expect(Object.keys(none).sort()).toEqual(Object.keys(hyd).sort());
    expect(none.valueInML).toBeNull();
    await same(hyd, `/usersummary-service/usersummary/hydration/daily/${day}`);
  });

  it('weight date range: the recorded empty shape, and entries shaped like the day view', async () => {
    const recorded = rec('garminconnect/2025/test_body_composition.yaml', 'weight/dateRange') as Json;
    const empty = (await same(recorded, `/weight-service/weight/dateRange?startDate=${noData}&endDate=${noData}`)) as Json;
    expect(empty.dateWeightList).toEqual([]);
    expect(Object.keys(empty.totalAverage as Json).sort()).toEqual(Object.keys(recorded.totalAverage as Json).sort());
    const withData = (await json('/weight-service/weight/dateRange?startDate=2026-10-01&endDate=2026-11-27')) as Json;
    const entries = withData.dateWeightList as Json[];
    expect(entries.length).toBeGreaterThan(0);
    const dayView = rec('data/test_get_daily_weight_data.yaml', 'dayview') as Json;
    expect(shapeDiff((dayView.dateWeightList as Json[])[0], entries[0])).toEqual([]);
  });

  it('training readiness (snapshots; [] for a future day), endurance and hill score (204 without a score)', async () => {
    const recorded = rec('data/test_training_readiness_data_get.yaml', 'trainingreadiness/2025-07-07') as Json[];
    const days = await Promise.all(
      Array.from({ length: 20 }, (_, i) => json(`/metrics-service/metrics/trainingreadiness/2026-11-${String(i + 1).padStart(2, '0')}`)),
    );
    const withData = days.find((x) => (x as unknown[]).length > 0) as Json[];
    expect(shapeDiff(recorded, withData)).toEqual([]);
    expect(Object.keys(withData[0]!).sort()).toEqual(Object.keys(recorded[0]!).sort());
    expect(await json('/metrics-service/metrics/trainingreadiness/2030-01-01')).toEqual([]);
    const hill = rec('data/test_garmin_scores_data_get.yaml', 'hillscore') as Json;
    const endurance = rec('data/test_garmin_scores_data_get.yaml', 'endurancescore') as Json;
    const scored = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.get(`/metrics-service/metrics/hillscore?calendarDate=2026-11-${String(i + 1).padStart(2, '0')}`),
      ),
    );
    const hillOurs = scored.find((r) => r.status === 200)!.json();
    expect(shapeDiff(hill, hillOurs)).toEqual([]);
    expect(Object.keys(hillOurs as Json).sort()).toEqual(Object.keys(hill).sort());
    const e = (
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          h.get(`/metrics-service/metrics/endurancescore?calendarDate=2026-11-${String(i + 1).padStart(2, '0')}`),
        ),
      )
    ).find((r) => r.status === 200)!;
    expect(shapeDiff(endurance, e.json())).toEqual([]);
    const none = await h.get(`/metrics-service/metrics/hillscore?calendarDate=${noData}`);
    expect(none.status).toBe(204);
    expect(none.body).toBeUndefined();
  });

  it('ranged stats: steps and intensity minutes per day', async () => {
    const steps = rec('stats/test_daily_steps.yaml', 'stats/steps/daily') as Json[];
    await same(steps, `/usersummary-service/stats/steps/daily/2026-11-01/2026-11-20`);
    const im = rec('stats/test_daily_intensity_minutes.yaml', 'stats/im/daily') as Json[];
    const ours = (await same(im, `/usersummary-service/stats/im/daily/2026-11-01/2026-11-20`)) as Json[];
    expect(ours).toHaveLength(20);
  });

  it('weekly steps: weeks keyed by their first day, weeks without data left out, [] beyond the data', async () => {
    const recorded = rec('stats/test_weekly_steps.yaml', 'stats/steps/weekly') as Json[];
    const ours = (await same(recorded, `/usersummary-service/stats/steps/weekly/2026-11-27/52`)) as Json[];
    // 60 days end on 2026-11-27: the 9 weeks ending then hold data (the oldest only partly).
    expect(ours.map((w) => w.calendarDate)).toEqual(
      Array.from({ length: 9 }, (_, i) =>
        new Date(Date.parse('2026-11-21T00:00:00Z') - (8 - i) * 7 * 86_400_000).toISOString().slice(0, 10),
      ),
    );
    const counts = ours.map((w) => (w.values as Json).wellnessDataDaysCount);
    expect(counts.reduce((a, b) => (a as number) + (b as number), 0)).toBe(60);
    expect(await json(`/usersummary-service/stats/steps/weekly/2025-11-27/52`)).toEqual([]);
    expect((await h.get(`/usersummary-service/stats/steps/weekly/2026-11-27/53`)).status).toBe(400);
  });
});
