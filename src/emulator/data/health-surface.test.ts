import { describe, expect, it } from 'vitest';
import { connectHarness } from '../connect/testing/fake-request.js';

/** The new health endpoints agree with what the emulator already serves for the same day. */
type Json = Record<string, unknown>;
const h = connectHarness({ seed: 5, activities: 40, days: 40, workouts: 1, endDate: '2026-11-27' });
const json = async (p: string) => {
  const r = await h.get(p);
  expect(r.status, p).toBe(200);
  return r.json() as Json & Json[];
};
const days = Array.from({ length: 14 }, (_, i) => `2026-11-${String(i + 10)}`);

describe('emulator health surface: one seed, one story', () => {
  it("a day's steps add up across the daily summary, the 15-minute chart and the step stats", async () => {
    const stats = (await json(`/usersummary-service/stats/steps/daily/${days[0]}/${days.at(-1)}`)) as Json[];
    expect(stats).toHaveLength(days.length);
    for (const [i, d] of days.entries()) {
      const summary = await json(`/usersummary-service/usersummary/daily/?calendarDate=${d}`);
      const chart = (await json(`/wellness-service/wellness/dailySummaryChart/${h.data.identity.displayName}?date=${d}`)) as Json[];
      const sum = chart.reduce((a, b) => a + (b.steps as number), 0);
      expect(sum, d).toBe(summary.totalSteps);
      expect(stats[i]).toMatchObject({
        calendarDate: d,
        totalSteps: summary.totalSteps,
        totalDistance: summary.totalDistanceMeters,
        stepGoal: summary.dailyStepGoal,
      });
      const sleeping = chart.filter((b) => b.primaryActivityLevel === 'sleeping');
      expect(sleeping.every((b) => b.steps === 0)).toBe(true);
      const floors = await json(`/wellness-service/wellness/floorsChartData/daily/${d}`);
      const up = (floors.floorValuesArray as unknown[][]).reduce((a, r) => a + (r[2] as number), 0);
      expect(up).toBe(Math.round(summary.floorsAscended as number));
    }
  });

  it("body battery reports are points of the stress endpoint's series and carry the summary's charge", async () => {
    const reports = (await json(
      `/wellness-service/wellness/bodyBattery/reports/daily?startDate=${days[0]}&endDate=${days.at(-1)}`,
    )) as Json[];
    for (const [i, d] of days.entries()) {
      const stress = await json(`/wellness-service/wellness/dailyStress/${d}`);
      const summary = await json(`/usersummary-service/usersummary/daily/?calendarDate=${d}`);
      const series = new Map((stress.bodyBatteryValuesArray as [number, string, number, number][]).map(([ts, , lvl]) => [ts, lvl]));
      const points = reports[i]!.bodyBatteryValuesArray as [number, number][];
      expect(points.length).toBeGreaterThanOrEqual(3);
      for (const [ts, lvl] of points) expect(series.get(ts), `${d} ${ts}`).toBe(lvl);
      expect(reports[i]).toMatchObject({ date: d, charged: summary.bodyBatteryChargedValue, drained: summary.bodyBatteryDrainedValue });
    }
  });

  it('respiration, SpO2 and intensity minutes carry the summary values; weight date range = the weigh-ins', async () => {
    for (const d of days) {
      const summary = await json(`/usersummary-service/usersummary/daily/?calendarDate=${d}`);
      const resp = await json(`/wellness-service/wellness/daily/respiration/${d}`);
      expect(resp).toMatchObject({
        calendarDate: d,
        lowestRespirationValue: summary.lowestRespirationValue,
        highestRespirationValue: summary.highestRespirationValue,
        avgWakingRespirationValue: summary.avgWakingRespirationValue,
      });
      const values = (resp.respirationValuesArray as [number, number][]).map(([, v]) => v);
      if (values.length)
        expect([Math.min(...values), Math.max(...values)]).toEqual([summary.lowestRespirationValue, summary.highestRespirationValue]);
      const spo2 = await json(`/wellness-service/wellness/daily/spo2/${d}`);
      expect(spo2).toMatchObject({ averageSpO2: summary.averageSpo2, lowestSpO2: summary.lowestSpo2 });
      const im = await json(`/wellness-service/wellness/daily/im/${d}`);
      expect(im).toMatchObject({ moderateMinutes: summary.moderateIntensityMinutes, vigorousMinutes: summary.vigorousIntensityMinutes });
      expect(im.weeklyTotal).toBe((im.weeklyModerate as number) + 2 * (im.weeklyVigorous as number));
    }
    const range = await json(`/weight-service/weight/range/${days[0]}/${days.at(-1)}?includeAll=true`);
    const fromRange = (range.dailyWeightSummaries as Json[]).flatMap((s) => s.allWeightMetrics as Json[]);
    const dateRange = await json(`/weight-service/weight/dateRange?startDate=${days[0]}&endDate=${days.at(-1)}`);
    expect(fromRange.length).toBeGreaterThan(0);
    expect((dateRange.dateWeightList as Json[]).map((w) => [w.samplePk, w.weight]).sort()).toEqual(
      fromRange.map((w) => [w.samplePk, w.weight]).sort(),
    );
  });

  it('VO2max agrees across max metrics, training status and hill score; race times fall as VO2max rises', async () => {
    const max = (await json(`/metrics-service/metrics/maxmet/daily/${days[0]}/${days.at(-1)}`)) as Json[];
    expect(max).toHaveLength(days.length);
    const status = await json(`/metrics-service/metrics/trainingstatus/aggregated/${days[3]}`);
    expect((status.mostRecentVO2Max as Json).generic).toEqual(max[3]!.generic);
    const races = (await json(
      `/metrics-service/metrics/racepredictions/daily/${h.data.identity.displayName}?fromCalendarDate=${days[0]}&toCalendarDate=${days.at(-1)}`,
    )) as Json[];
    const byVo2 = races
      .map((r, i) => [(max[i]!.generic as Json).vo2MaxPreciseValue as number, r.time5K as number])
      .sort((a, b) => a[0]! - b[0]!);
    expect(byVo2[0]![1]).toBeGreaterThanOrEqual(byVo2.at(-1)![1]!);
    const latest = await json(`/metrics-service/metrics/racepredictions/latest/${h.data.identity.displayName}`);
    expect(latest.calendarDate).toBe('2026-11-27');
    expect((latest.time5K as number) < (latest.time10K as number) && (latest.time10K as number) < (latest.timeMarathon as number)).toBe(
      true,
    );
  });

  it('refuses bad ranges and dates with 400', async () => {
    for (const p of [
      `/metrics-service/metrics/maxmet/daily/${days[3]}/${days[0]}`,
      '/metrics-service/metrics/maxmet/daily/2020-01-01/2026-01-01',
      '/wellness-service/wellness/bodyBattery/reports/daily?startDate=2026-02-30',
      '/wellness-service/wellness/daily/spo2/yesterday',
      '/weight-service/weight/dateRange',
    ])
      expect((await h.get(p)).status, p).toBe(400);
  });
});

describe('emulator activity details', () => {
  const ids = h.data.activityIds();
  const gpsRun = ids.map((id) => h.data.activityDetail(id)!).find((a) => (a.activityTypeDTO as Json).typeKey === 'running')!;
  const id = gpsRun.activityId as number;

  it('honours maxChartSize / maxPolylineSize and maps every row through metricsIndex', async () => {
    const a = await json(`/activity-service/activity/${id}/details?maxChartSize=50&maxPolylineSize=0`);
    const descriptors = a.metricDescriptors as { metricsIndex: number; key: string }[];
    expect(a.measurementCount).toBe(descriptors.length);
    expect(a.metricsCount).toBe((a.activityDetailMetrics as unknown[]).length);
    expect(a.metricsCount as number).toBeLessThanOrEqual(51);
    expect(a.totalMetricsCount as number).toBeGreaterThan(a.metricsCount as number);
    expect(a.geoPolylineDTO).toMatchObject({ polyline: [], startPoint: null, minLat: null });
    const full = await json(`/activity-service/activity/${id}/details?maxChartSize=100000&maxPolylineSize=4000`);
    expect(full.metricsCount).toBe(full.totalMetricsCount);
    const poly = (full.geoPolylineDTO as Json).polyline as Json[];
    expect(poly.length).toBeGreaterThan(0);
    expect(poly.length).toBeLessThanOrEqual(4001);
    const col = (doc: Json, key: string) => {
      const i = (doc.metricDescriptors as { metricsIndex: number; key: string }[]).find((m) => m.key === key)!.metricsIndex;
      return (doc.activityDetailMetrics as { metrics: (number | null)[] }[]).map((r) => r.metrics[i]);
    };
    expect(col(full, 'sumDistance').at(-1)).toBeCloseTo((gpsRun.summaryDTO as Json).distance as number, 1);
    expect(col(full, 'directTimestamp')[0]).toBe(Date.parse(`${String((gpsRun.summaryDTO as Json).startTimeGMT)}Z`));
  });

  it('shuffles the descriptor order between responses (clients must use metricsIndex)', async () => {
    const orders = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const doc = await json(`/activity-service/activity/${id}/details?maxChartSize=10&maxPolylineSize=0`);
      orders.add((doc.metricDescriptors as { key: string }[]).map((m) => m.key).join());
    }
    expect(orders.size).toBeGreaterThan(1);
    expect((await h.get('/activity-service/activity/1/details')).status).toBe(404);
    expect((await h.get(`/activity-service/activity/${id}/details?maxChartSize=0`)).status).toBe(400);
  });

  it('serves devices and personal records from the same data', async () => {
    const devices = (await json('/device-service/deviceregistration/devices')) as Json[];
    expect(devices).toHaveLength(1);
    const prs = (await json(`/personalrecord-service/personalrecord/prs/${h.data.identity.displayName}`)) as Json[];
    const steps = prs.find((p) => p.typeId === 12)!;
    const stats = (await json('/usersummary-service/stats/steps/daily/2026-10-19/2026-11-27')) as Json[];
    expect(steps.value).toBe(Math.max(...stats.map((s) => s.totalSteps as number)));
  });
});
