import type { DayExtras } from './health-extras.model.js';
import type { DayModel } from './health.model.js';
import { dayBounds } from './health.dto.js';
import { Prng } from './prng.js';
import { formatTenths } from './time.js';

/**
 * Respiration, SpO2, intensity minutes and hydration of one day, in the recorded shapes. Their
 * aggregates are the daily summary's (respiration and SpO2 from the night's sleep, intensity
 * minutes from the summary's minutes).
 */
type Json = Record<string, unknown>;
const TWO_MIN = 120_000;

function sleepWindows(day: DayModel | undefined, next: DayModel | undefined, offsetMs: number): Json {
  const t = (ms: number | undefined, local: boolean) => (ms === undefined ? null : formatTenths(ms + (local ? offsetMs : 0)));
  const s = day?.sleep ?? undefined;
  const n = next?.sleep ?? undefined;
  return {
    sleepStartTimestampGMT: t(s?.startMs, false),
    sleepEndTimestampGMT: t(s?.endMs, false),
    sleepStartTimestampLocal: t(s?.startMs, true),
    sleepEndTimestampLocal: t(s?.endMs, true),
    tomorrowSleepStartTimestampGMT: t(n?.startMs, false),
    tomorrowSleepEndTimestampGMT: t(n?.endMs, false),
    tomorrowSleepStartTimestampLocal: t(n?.startMs, true),
    tomorrowSleepEndTimestampLocal: t(n?.endMs, true),
  };
}

/** One day of a night-based family (respiration, SpO2): the day, the next one (tonight's sleep) and where it sits. */
export interface NightDay {
  day: DayModel | undefined;
  next: DayModel | undefined;
  date: string;
  dayMs: number;
  startGmtMs: number;
  offsetMs: number;
  profilePk: number;
}

/** The head both night-based answers start with: owner, day, the day's bounds and both nights' windows. */
function nightHead(c: NightDay): Json {
  return {
    userProfilePK: c.profilePk,
    calendarDate: c.date,
    ...dayBounds(c.dayMs, c.startGmtMs),
    ...sleepWindows(c.day, c.next, c.offsetMs),
  };
}

/** /wellness-service/wellness/daily/respiration/{D}: 2-minute samples between the summary's lowest and highest. */
export function respirationDay(c: NightDay): Json {
  const { day, next } = c;
  const s = day?.sleep ?? null;
  const values: [number, number][] = [];
  if (day && s) {
    const p = new Prng(day.seriesSeed ^ 0x4e5f6a7b);
    for (let ts = day.startGmtMs, i = 0; ts < day.startGmtMs + 86_400_000; ts += TWO_MIN, i++) {
      const asleep = ts >= s.startMs && ts < s.endMs;
      values.push([ts, Math.max(s.respiration - 6, Math.min(s.respiration + 8, s.respiration + (asleep ? p.int(-1, 1) : p.int(-3, 5))))]);
    }
    // The extremes the summary reports occur once each.
    values[100]![1] = s.respiration - 6;
    values[500]![1] = s.respiration + 8;
  }
  const nextSleep = next?.sleep ?? null;
  return {
    ...nightHead(c),
    lowestRespirationValue: s ? s.respiration - 6 : null,
    highestRespirationValue: s ? s.respiration + 8 : null,
    avgWakingRespirationValue: s ? s.respiration : null,
    avgSleepRespirationValue: s ? s.respiration : null,
    avgTomorrowSleepRespirationValue: nextSleep ? nextSleep.respiration : null,
    respirationValueDescriptorsDTOList: values.length
      ? [
          { key: 'timestamp', index: 0 },
          { key: 'respiration', index: 1 },
        ]
      : [],
    respirationValuesArray: values,
    respirationAveragesValueDescriptorDTOList: [],
    respirationAveragesValuesArray: [],
    respirationVersion: 200,
  };
}

/** /wellness-service/wellness/daily/spo2/{D}: the night's average and lowest, hourly averages during sleep. */
export function spo2Day(c: NightDay, sevenDayAvg: number | null): Json {
  const { day, next, offsetMs } = c;
  const s = day?.sleep ?? null;
  const hourly: [number, number][] = [];
  if (day && s) {
    const p = new Prng(day.seriesSeed ^ 0x5b02);
    for (let ts = Math.floor(s.startMs / 3_600_000) * 3_600_000; ts < s.endMs; ts += 3_600_000)
      hourly.push([ts, Math.min(100, s.avgSpO2 + p.int(-1, 2))]);
  }
  const nextSleep = next?.sleep ?? null;
  return {
    ...nightHead(c),
    averageSpO2: s ? s.avgSpO2 : null,
    lowestSpO2: s ? s.lowSpO2 : null,
    lastSevenDaysAvgSpO2: sevenDayAvg,
    latestSpO2: s ? (hourly.at(-1)?.[1] ?? s.avgSpO2) : null,
    latestSpO2TimestampGMT: s ? formatTenths(s.endMs) : null,
    latestSpO2TimestampLocal: s ? formatTenths(s.endMs + offsetMs) : null,
    avgSleepSpO2: s ? s.avgSpO2 : null,
    avgTomorrowSleepSpO2: nextSleep ? nextSleep.avgSpO2 : null,
    spO2ValueDescriptorsDTOList: s
      ? [
          { spo2ValueDescriptorIndex: 0, spo2ValueDescriptorKey: 'timestamp' },
          { spo2ValueDescriptorIndex: 1, spo2ValueDescriptorKey: 'spo2Reading' },
          { spo2ValueDescriptorIndex: 2, spo2ValueDescriptorKey: 'singleReadingPlottable' },
        ]
      : null,
    spO2SingleValues: null,
    continuousReadingDTOList: null,
    spO2HourlyAverages: s ? hourly : null,
  };
}

/**
 * /wellness-service/wellness/daily/im/{D}. `week`: the days of the week (Monday first) up to and
 * including this one; the weekly total counts vigorous minutes twice (Garmin's rule).
 */
export function intensityMinutesDay(
  day: DayModel | undefined,
  week: DayModel[],
  date: string,
  dayMs: number,
  startGmtMs: number,
  profilePk: number,
): Json {
  const before = week.filter((d) => d.dayMs < dayMs);
  const total = (ds: DayModel[]) => ds.reduce((a, d) => a + d.moderateMinutes + 2 * d.vigorousMinutes, 0);
  const moderate = week.reduce((a, d) => a + d.moderateMinutes, 0);
  const vigorous = week.reduce((a, d) => a + d.vigorousMinutes, 0);
  return {
    userProfilePK: profilePk,
    calendarDate: date,
    ...dayBounds(dayMs, startGmtMs),
    weeklyModerate: moderate,
    weeklyVigorous: vigorous,
    weeklyTotal: moderate + 2 * vigorous,
    weekGoal: 150,
    dayOfGoalMet: null,
    startDayMinutes: total(before),
    endDayMinutes: total(week),
    moderateMinutes: day ? day.moderateMinutes : null,
    vigorousMinutes: day ? day.vigorousMinutes : null,
    imValueDescriptorsDTOList: day
      ? [
          { index: 0, key: 'timestamp' },
          { index: 1, key: 'value' },
        ]
      : [],
    imValuesArray:
      day && day.moderateMinutes + day.vigorousMinutes > 0
        ? [[day.startGmtMs + 18 * 3_600_000, day.moderateMinutes + 2 * day.vigorousMinutes]]
        : [],
  };
}

/** /usersummary-service/usersummary/hydration/daily/{D} (the recorded nothing-logged shape when there is no intake). */
export function hydrationDay(
  day: DayModel | undefined,
  extras: DayExtras | undefined,
  date: string,
  profilePk: number,
  dailyAverage: number | null,
): Json {
  const ml = extras?.hydrationMl ?? null;
  return {
    userId: profilePk,
    calendarDate: date,
    valueInML: ml,
    goalInML: 2800.0,
    dailyAverageinML: ml === null ? null : dailyAverage,
    lastEntryTimestampLocal: ml === null || !day ? null : formatTenths(day.dayMs + 20 * 3_600_000),
    sweatLossInML: ml === null ? null : (extras?.sweatLossMl ?? null),
    activityIntakeInML: ml === null ? null : 0,
  };
}
