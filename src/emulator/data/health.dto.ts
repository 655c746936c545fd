import type { DayModel } from './health.model.js';
import { Prng } from './prng.js';
import { formatMillis, formatPlain, formatTenths } from './time.js';

/**
 * Wellness JSON shapes (daily summary, heart rate, sleep, stress + body battery, HRV) built
 * from a DayModel, and the "no data" shapes Garmin answers for days outside the data.
 */
type Json = Record<string, unknown>;

const TWO_MIN = 120_000;
const THREE_MIN = 180_000;

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
    startTimestampGMT: formatTenths(day.startGmtMs),
    endTimestampGMT: formatTenths(day.startGmtMs + 86_400_000),
    startTimestampLocal: formatTenths(day.dayMs),
    endTimestampLocal: formatTenths(day.dayMs + 86_400_000),
    maxHeartRate: max,
    minHeartRate: min,
    restingHeartRate: day.restingHr,
    lastSevenDaysAvgRestingHeartRate: sevenDayResting,
    heartRateValueDescriptors: [{ key: 'timestamp', index: 0 }, { key: 'heartrate', index: 1 }],
    heartRateValues: series,
  };
}

export function emptyHeartRate(date: string, dayMs: number, offsetMs: number, profilePk: number): Json {
  return {
    userProfilePK: profilePk,
    calendarDate: date,
    startTimestampGMT: formatTenths(dayMs - offsetMs),
    endTimestampGMT: formatTenths(dayMs - offsetMs + 86_400_000),
    startTimestampLocal: formatTenths(dayMs),
    endTimestampLocal: formatTenths(dayMs + 86_400_000),
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
    startTimestampGMT: formatTenths(day.startGmtMs),
    endTimestampGMT: formatTenths(day.startGmtMs + 86_400_000),
    startTimestampLocal: formatTenths(day.dayMs),
    endTimestampLocal: formatTenths(day.dayMs + 86_400_000),
    maxStressLevel: day.maxStress,
    avgStressLevel: day.avgStress,
    stressChartValueOffset: 1,
    stressChartYAxisOrigin: -1,
    stressValueDescriptorsDTOList: [{ key: 'timestamp', index: 0 }, { key: 'stressLevel', index: 1 }],
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

function qualifier(score: number): string {
  if (score >= 90) return 'EXCELLENT';
  if (score >= 80) return 'GOOD';
  if (score >= 60) return 'FAIR';
  return 'POOR';
}

export function dailySleep(day: DayModel, profilePk: number, deviceId: number, withNeed: boolean): Json {
  const s = day.sleep;
  if (!s) return noSleep(day.date, profilePk);
  const total = s.deep + s.light + s.rem;
  const pct = (v: number) => Math.round((v / Math.max(1, total)) * 100);
  const dto: Json = {
    id: s.startMs,
    userProfilePK: profilePk,
    calendarDate: day.date,
    sleepTimeSeconds: total,
    napTimeSeconds: 0,
    sleepWindowConfirmed: true,
    sleepWindowConfirmationType: 'enhanced_confirmed_final',
    sleepStartTimestampGMT: s.startMs,
    sleepEndTimestampGMT: s.endMs,
    sleepStartTimestampLocal: s.startMs + day.offsetMs,
    sleepEndTimestampLocal: s.endMs + day.offsetMs,
    autoSleepStartTimestampGMT: null,
    autoSleepEndTimestampGMT: null,
    sleepQualityTypePK: null,
    sleepResultTypePK: null,
    unmeasurableSleepSeconds: 0,
    deepSleepSeconds: s.deep,
    lightSleepSeconds: s.light,
    remSleepSeconds: s.rem,
    awakeSleepSeconds: s.awake,
    deviceRemCapable: true,
    retro: false,
    sleepFromDevice: true,
    averageSpO2Value: s.avgSpO2,
    lowestSpO2Value: s.lowSpO2,
    highestSpO2Value: 100,
    averageSpO2HRSleep: day.restingHr + 2,
    averageRespirationValue: s.respiration,
    lowestRespirationValue: s.respiration - 4,
    highestRespirationValue: s.respiration + 4,
    awakeCount: s.awakeCount,
    avgSleepStress: s.avgSleepStress,
    ageGroup: 'ADULT',
    sleepScoreFeedback: 'POSITIVE_DEEP',
    sleepScoreInsight: 'NONE',
    sleepScorePersonalizedInsight: 'NONE',
    sleepScores: {
      totalDuration: { qualifierKey: qualifier(s.score), optimalStart: 28_800.0, optimalEnd: 28_800.0 },
      stress: { qualifierKey: 'GOOD', optimalStart: 0.0, optimalEnd: 15.0 },
      awakeCount: { qualifierKey: s.awakeCount <= 1 ? 'EXCELLENT' : 'GOOD', optimalStart: 0.0, optimalEnd: 1.0 },
      overall: { value: s.score, qualifierKey: qualifier(s.score) },
      remPercentage: { value: pct(s.rem), qualifierKey: 'GOOD', optimalStart: 21.0, optimalEnd: 31.0 },
      restlessness: { qualifierKey: 'GOOD', optimalStart: 0.0, optimalEnd: 5.0 },
      lightPercentage: { value: pct(s.light), qualifierKey: 'GOOD', optimalStart: 30.0, optimalEnd: 64.0 },
      deepPercentage: { value: pct(s.deep), qualifierKey: 'GOOD', optimalStart: 16.0, optimalEnd: 33.0 },
    },
    sleepVersion: 2,
  };
  if (withNeed) {
    const need = (date: string) => ({
      userProfilePk: profilePk, calendarDate: date, deviceId, timestampGmt: formatPlain(s.endMs),
      baseline: 470, actual: 470, feedback: 'NO_CHANGE_NO_ADJUSTMENTS', trainingFeedback: 'NO_CHANGE',
      sleepHistoryAdjustment: 'NO_CHANGE', hrvAdjustment: 'NO_CHANGE', napAdjustment: 'NO_CHANGE',
      displayedForTheDay: false, preferredActivityTracker: true,
    });
    dto.sleepNeed = need(day.date);
    dto.nextSleepNeed = need(day.date);
  }
  return {
    dailySleepDTO: dto,
    sleepMovement: [],
    remSleepData: true,
    sleepLevels: [],
    wellnessSpO2SleepSummaryDTO: {
      userProfilePk: profilePk,
      deviceId,
      sleepMeasurementStartGMT: formatTenths(s.startMs),
      sleepMeasurementEndGMT: formatTenths(s.endMs),
      alertThresholdValue: null,
      numberOfEventsBelowThreshold: null,
      durationOfEventsBelowThreshold: null,
      averageSPO2: s.avgSpO2,
      averageSpO2HR: day.restingHr + 2,
      lowestSPO2: s.lowSpO2,
    },
    skinTempDataExists: false,
    avgSkinTempDeviationC: null,
    avgSkinTempDeviationF: null,
    bodyBatteryChange: day.bbHigh - day.bbLow,
    skinTempCalibrationDays: null,
    restingHeartRate: day.restingHr,
  };
}

/** What Garmin answers for a night without sleep data (recorded for a future date). */
export function noSleep(date: string, profilePk: number): Json {
  return {
    dailySleepDTO: {
      id: null,
      userProfilePK: profilePk,
      calendarDate: date,
      sleepTimeSeconds: null,
      napTimeSeconds: null,
      sleepWindowConfirmed: null,
      sleepWindowConfirmationType: null,
      sleepStartTimestampGMT: null,
      sleepEndTimestampGMT: null,
      sleepStartTimestampLocal: null,
      sleepEndTimestampLocal: null,
      autoSleepStartTimestampGMT: null,
      autoSleepEndTimestampGMT: null,
      sleepQualityTypePK: null,
      sleepResultTypePK: null,
      unmeasurableSleepSeconds: null,
      deepSleepSeconds: null,
      lightSleepSeconds: null,
      remSleepSeconds: null,
      awakeSleepSeconds: null,
      deviceRemCapable: false,
      retro: false,
    },
    sleepMovement: [],
    remSleepData: null,
    sleepLevels: [],
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
    readings.push({ hrvValue: Math.max(15, Math.round(h.lastNightAvg + p.range(-14, 14))), readingTimeGMT: formatTenths(ts), readingTimeLocal: formatTenths(ts + day.offsetMs) });
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
