import type { DayModel } from './health.model.js';
import { Prng } from './prng.js';
import { formatMillis, formatTenths } from './time.js';

/**
 * Wellness JSON shapes (heart rate, stress + body battery, HRV) built from a DayModel, and the
 * "no data" shapes Garmin answers for days outside the data. Sleep is in sleep.dto.ts.
 */
type Json = Record<string, unknown>;

const TWO_MIN = 120_000;
const THREE_MIN = 180_000;

/** The GMT and local bounds of one day, as every daily wellness answer carries them. */
export function dayBounds(dayMs: number, startGmtMs: number): Json {
  return {
    startTimestampGMT: formatTenths(startGmtMs),
    endTimestampGMT: formatTenths(startGmtMs + 86_400_000),
    startTimestampLocal: formatTenths(dayMs),
    endTimestampLocal: formatTenths(dayMs + 86_400_000),
  };
}

function inSleep(day: DayModel, ts: number): boolean {
  return day.sleep !== null && ts >= day.sleep.startMs && ts < day.sleep.endMs;
}

/** Heart rate every 2 minutes over the local day, `null` for a few off-wrist samples. */
export function heartRateSeries(day: DayModel): [number, number | null][] {
  const p = new Prng(day.seriesSeed ^ 0x1f2e3d4c);
  const out: [number, number | null][] = [];
  let wiggle = 0;
  for (let ts = day.startGmtMs; ts < day.startGmtMs + 86_400_000; ts += TWO_MIN) {
    wiggle = wiggle * 0.8 + p.range(-4, 4);
    if (p.chance(0.01)) {
      out.push([ts, null]);
      continue;
    }
    const base = inSleep(day, ts) ? day.restingHr + 3 : day.restingHr + 22;
    const burst = !inSleep(day, ts) && p.chance(0.03) ? p.int(20, 50) : 0;
    out.push([ts, Math.max(day.restingHr - 3, Math.round(base + wiggle + burst))]);
  }
  return out;
}

function hrStats(series: [number, number | null][]): { min: number | null; max: number | null } {
  const values = series.map(([, v]) => v).filter((v): v is number => v !== null);
  return values.length === 0 ? { min: null, max: null } : { min: Math.min(...values), max: Math.max(...values) };
}

export function dailyHeartRate(day: DayModel, profilePk: number, sevenDayResting: number): Json {
  const series = heartRateSeries(day);
  const { min, max } = hrStats(series);
  return {
    userProfilePK: profilePk,
    calendarDate: day.date,
    ...dayBounds(day.dayMs, day.startGmtMs),
    maxHeartRate: max,
    minHeartRate: min,
    restingHeartRate: day.restingHr,
    lastSevenDaysAvgRestingHeartRate: sevenDayResting,
    heartRateValueDescriptors: [
      { key: 'timestamp', index: 0 },
      { key: 'heartrate', index: 1 },
    ],
    heartRateValues: series,
  };
}

export function emptyHeartRate(date: string, dayMs: number, offsetMs: number, profilePk: number): Json {
  return {
    userProfilePK: profilePk,
    calendarDate: date,
    ...dayBounds(dayMs, dayMs - offsetMs),
    maxHeartRate: null,
    minHeartRate: null,
    restingHeartRate: null,
    lastSevenDaysAvgRestingHeartRate: null,
    heartRateValueDescriptors: null,
    heartRateValues: null,
  };
}

/** Stress level every 3 minutes (-1 = not measurable) and body battery alongside. */
export function stressSeries(day: DayModel): { stress: [number, number][]; battery: [number, string | null, number | null, number][] } {
  const p = new Prng(day.seriesSeed ^ 0x5a5a5a5a);
  const stress: [number, number][] = [];
  const battery: [number, string | null, number | null, number][] = [];
  const count = 86_400_000 / THREE_MIN;
  let level = day.bbLow + 5;
  let wiggle = 0;
  for (let i = 0; i < count; i++) {
    const ts = day.startGmtMs + i * THREE_MIN;
    const asleep = inSleep(day, ts);
    wiggle = wiggle * 0.85 + p.range(-6, 6);
    const s = p.chance(0.03) ? -1 : Math.max(0, Math.min(day.maxStress, Math.round((asleep ? 12 : day.avgStress + 6) + wiggle)));
    stress.push([ts, s]);
    // Charges during sleep towards the day's high, drains during the day towards the low.
    level = asleep ? Math.min(day.bbHigh, level + 0.9) : Math.max(day.bbLow, level - (day.bbHigh - day.bbLow) / 300);
    battery.push([ts, asleep ? 'charging' : 'draining', Math.round(level), 2.0]);
  }
  return { stress, battery };
}

export function dailyStress(day: DayModel, profilePk: number): Json {
  const { stress, battery } = stressSeries(day);
  return {
    userProfilePK: profilePk,
    calendarDate: day.date,
    ...dayBounds(day.dayMs, day.startGmtMs),
    maxStressLevel: day.maxStress,
    avgStressLevel: day.avgStress,
    stressChartValueOffset: 1,
    stressChartYAxisOrigin: -1,
    stressValueDescriptorsDTOList: [
      { key: 'timestamp', index: 0 },
      { key: 'stressLevel', index: 1 },
    ],
    stressValuesArray: stress,
    bodyBatteryValueDescriptorsDTOList: [
      { bodyBatteryValueDescriptorIndex: 0, bodyBatteryValueDescriptorKey: 'timestamp' },
      { bodyBatteryValueDescriptorIndex: 1, bodyBatteryValueDescriptorKey: 'bodyBatteryStatus' },
      { bodyBatteryValueDescriptorIndex: 2, bodyBatteryValueDescriptorKey: 'bodyBatteryLevel' },
      { bodyBatteryValueDescriptorIndex: 3, bodyBatteryValueDescriptorKey: 'bodyBatteryVersion' },
    ],
    bodyBatteryValuesArray: battery,
  };
}

/** HRV of the night that ended on this day; undefined when there is none (→ 204). */
export function hrvDay(day: DayModel, profilePk: number): Json | undefined {
  const h = day.hrv;
  const s = day.sleep;
  if (!h || !s) return undefined;
  const p = new Prng(day.seriesSeed ^ 0x0badcafe);
  const readings: Json[] = [];
  for (let ts = s.startMs + 264_000; ts < s.endMs; ts += 300_000) {
    readings.push({
      hrvValue: Math.max(15, Math.round(h.lastNightAvg + p.range(-14, 14))),
      readingTimeGMT: formatTenths(ts),
      readingTimeLocal: formatTenths(ts + day.offsetMs),
    });
  }
  const lastReading = s.startMs + 264_000 + (readings.length - 1) * 300_000;
  const status = h.weeklyAvg < h.baselineLow ? 'UNBALANCED' : 'BALANCED';
  return {
    userProfilePk: profilePk,
    hrvSummary: {
      calendarDate: day.date,
      weeklyAvg: h.weeklyAvg,
      lastNightAvg: h.lastNightAvg,
      lastNight5MinHigh: h.high5Min,
      baseline: { lowUpper: h.baselineLow - 3, balancedLow: h.baselineLow, balancedUpper: h.baselineHigh, markerValue: 0.25 },
      status,
      feedbackPhrase: status === 'BALANCED' ? 'HRV_BALANCED_7' : 'HRV_UNBALANCED_2',
      createTimeStamp: formatMillis(s.endMs + 180_898),
    },
    hrvReadings: readings,
    startTimestampGMT: formatTenths(s.startMs),
    endTimestampGMT: formatTenths(lastReading),
    startTimestampLocal: formatTenths(s.startMs + day.offsetMs),
    endTimestampLocal: formatTenths(lastReading + day.offsetMs),
    sleepStartTimestampGMT: formatTenths(s.startMs),
    sleepEndTimestampGMT: formatTenths(s.endMs),
    sleepStartTimestampLocal: formatTenths(s.startMs + day.offsetMs),
    sleepEndTimestampLocal: formatTenths(s.endMs + day.offsetMs),
  };
}
