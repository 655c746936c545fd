import type { DayModel } from './health.model.js';
import { formatPlain, formatTenths } from './time.js';

/**
 * Sleep JSON (wellness-service and sleep-service variants share the envelope; the latter adds
 * sleepNeed/nextSleepNeed) and the null-filled shape Garmin answers for a night without sleep.
 */
type Json = Record<string, unknown>;

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
      userProfilePk: profilePk,
      calendarDate: date,
      deviceId,
      timestampGmt: formatPlain(s.endMs),
      baseline: 470,
      actual: 470,
      feedback: 'NO_CHANGE_NO_ADJUSTMENTS',
      trainingFeedback: 'NO_CHANGE',
      sleepHistoryAdjustment: 'NO_CHANGE',
      hrvAdjustment: 'NO_CHANGE',
      napAdjustment: 'NO_CHANGE',
      displayedForTheDay: false,
      preferredActivityTracker: true,
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
