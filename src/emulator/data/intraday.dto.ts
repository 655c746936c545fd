import type { DayModel } from './health.model.js';
import { dayBounds, stressSeries } from './health.dto.js';
import { Prng } from './prng.js';
import { formatTenths } from './time.js';

/**
 * Intraday wellness charts built from a DayModel: the 15-minute steps chart, the floors chart and
 * the body battery daily report. Their totals are the daily summary's: the chart's steps add up
 * to `totalSteps` exactly, the floors chart to the summary's floors rounded to whole floors
 * (Garmin's summary counts fractional floors), and the report's levels are points of the
 * dailyStress body battery series.
 */
type Json = Record<string, unknown>;
const QUARTER = 900_000;

function inSleep(day: DayModel, ts: number): boolean {
  return day.sleep !== null && ts >= day.sleep.startMs && ts < day.sleep.endMs;
}

/** Splits `total` into integer parts proportional to `weights` (largest remainders), summing exactly. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (w / sum) * total);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1;
  return out;
}

/** Steps per 15-minute bucket over the local day (96 buckets). */
export function stepBuckets(day: DayModel): number[] {
  const p = new Prng(day.seriesSeed ^ 0x7e57e57e);
  const weights: number[] = [];
  for (let i = 0; i < 96; i++) {
    const ts = day.startGmtMs + i * QUARTER;
    const hour = ((ts + day.offsetMs) / 3_600_000) % 24;
    const awakeHours = hour >= 6.5 && hour < 23;
    weights.push(inSleep(day, ts) || !awakeHours || p.chance(0.35) ? 0 : p.chance(0.08) ? p.range(8, 20) : p.range(0.2, 3));
  }
  if (!weights.some((w) => w > 0)) weights[48] = 1;
  return apportion(day.steps, weights);
}

function level(day: DayModel, ts: number, steps: number): string {
  if (inSleep(day, ts)) return 'sleeping';
  if (steps >= 1000) return 'highlyActive';
  if (steps >= 200) return 'active';
  return 'sedentary';
}

/** /wellness-service/wellness/dailySummaryChart/{displayName}?date=D for a day with data. */
export function stepsChart(day: DayModel): Json[] {
  return stepBuckets(day).map((steps, i) => {
    const ts = day.startGmtMs + i * QUARTER;
    const lvl = level(day, ts, steps);
    return {
      startGMT: formatTenths(ts),
      endGMT: formatTenths(ts + QUARTER),
      steps,
      pushes: 0,
      primaryActivityLevel: lvl,
      activityLevelConstant: lvl === 'sleeping' || steps === 0,
    };
  });
}

/** The recorded no-data chart: 95 buckets, every one "none". */
export function emptyStepsChart(startGmtMs: number): Json[] {
  return Array.from({ length: 95 }, (_, i) => ({
    startGMT: formatTenths(startGmtMs + i * QUARTER),
    endGMT: formatTenths(startGmtMs + (i + 1) * QUARTER),
    steps: 0,
    pushes: 0,
    primaryActivityLevel: 'none',
    activityLevelConstant: true,
  }));
}

/** /wellness-service/wellness/floorsChartData/daily/{D}: whole floors per bucket, climbed where the steps are. */
export function floorsChart(day: DayModel | undefined, dayMs: number, startGmtMs: number): Json {
  if (!day) return { ...dayBounds(dayMs, startGmtMs), floorsValueDescriptorDTOList: [], floorValuesArray: [] };
  const steps = stepBuckets(day);
  const up = apportion(Math.round(day.floorsUp), steps);
  const down = apportion(
    Math.round(day.floorsDown),
    steps.map((s, i) => s * ((i % 3) + 1)),
  );
  return {
    ...dayBounds(day.dayMs, day.startGmtMs),
    floorsValueDescriptorDTOList: [
      { key: 'startTimeGMT', index: 0 },
      { key: 'endTimeGMT', index: 1 },
      { key: 'floorsAscended', index: 2 },
      { key: 'floorsDescended', index: 3 },
    ],
    floorValuesArray: steps.map((_, i) => [
      formatTenths(day.startGmtMs + i * QUARTER),
      formatTenths(day.startGmtMs + (i + 1) * QUARTER),
      up[i],
      down[i],
    ]),
  };
}

/** One day of /wellness-service/wellness/bodyBattery/reports/daily: the series' key points. */
export function bodyBatteryReport(day: DayModel | undefined, date: string, dayMs: number, startGmtMs: number): Json {
  const descriptors = [
    { bodyBatteryValueDescriptorIndex: 0, bodyBatteryValueDescriptorKey: 'timestamp' },
    { bodyBatteryValueDescriptorIndex: 1, bodyBatteryValueDescriptorKey: 'bodyBatteryLevel' },
  ];
  if (!day)
    return {
      date,
      charged: null,
      drained: null,
      ...dayBounds(dayMs, startGmtMs),
      bodyBatteryValuesArray: [],
      bodyBatteryValueDescriptorDTOList: descriptors,
    };
  const battery = stressSeries(day).battery.map(([ts, , lvl]) => [ts, lvl] as [number, number | null]);
  const levels = battery.map(([, l]) => l ?? 0);
  const picks = new Set([0, levels.indexOf(Math.max(...levels)), levels.indexOf(Math.min(...levels)), battery.length - 1]);
  if (day.sleep) picks.add(Math.max(0, Math.min(battery.length - 1, Math.floor((day.sleep.endMs - day.startGmtMs) / 180_000))));
  return {
    date,
    charged: day.bbHigh - day.bbLow,
    drained: day.bbHigh - day.bbLow,
    ...dayBounds(day.dayMs, day.startGmtMs),
    bodyBatteryValuesArray: [...picks].sort((a, b) => a - b).map((i) => battery[i]),
    bodyBatteryValueDescriptorDTOList: descriptors,
  };
}
