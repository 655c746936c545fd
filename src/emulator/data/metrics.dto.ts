import { raceSeconds, type DayExtras } from './health-extras.model.js';
import type { DayModel } from './health.model.js';
import { DEVICE_NAME } from './account-extras.dto.js';
import { formatTenths } from './time.js';

/**
 * Performance metrics of one day in Garmin's shapes: training readiness (recorded), training
 * status (GC's aggregated endpoint, shape from consumers), max metrics (VO2max), race
 * predictions, endurance and hill score (recorded), fitness age and blood pressure.
 */
type Json = Record<string, unknown>;
export interface DayParts {
  day: DayModel;
  extras: DayExtras;
}

const FACTOR = (pct: number) => (pct >= 80 ? 'GOOD' : pct >= 50 ? 'MODERATE' : 'POOR');

/** /metrics-service/metrics/trainingreadiness/{D}: snapshots newest first; [] without a night. */
export function trainingReadiness(d: DayParts | undefined, profilePk: number, deviceId: number): Json[] {
  const r = d?.extras.readiness;
  if (!d || !r || !d.day.sleep) return [];
  const wake = d.day.sleep.endMs + 240_000;
  const snapshot = (ts: number, score: number, context: string, recovery: number) => ({
    userProfilePK: profilePk,
    calendarDate: d.day.date,
    timestamp: formatTenths(ts),
    timestampLocal: formatTenths(ts + d.day.offsetMs),
    deviceId,
    level: score >= 75 ? 'HIGH' : score >= 50 ? 'MODERATE' : score >= 25 ? 'LOW' : 'POOR',
    feedbackLong: 'MOD_RT_MOD_SS_GOOD',
    feedbackShort: 'RECOVERY_IN_PROGRESS',
    score,
    sleepScore: d.day.sleep!.score,
    sleepScoreFactorPercent: d.day.sleep!.score,
    sleepScoreFactorFeedback: FACTOR(d.day.sleep!.score),
    recoveryTime: recovery,
    recoveryTimeFactorPercent: Math.max(0, 100 - Math.round(recovery / 30)),
    recoveryTimeFactorFeedback: FACTOR(100 - recovery / 30),
    acwrFactorPercent: 70,
    acwrFactorFeedback: 'GOOD',
    acuteLoad: r.acuteLoad,
    stressHistoryFactorPercent: Math.max(0, 100 - d.day.avgStress),
    stressHistoryFactorFeedback: FACTOR(100 - d.day.avgStress),
    hrvFactorPercent: d.day.hrv ? 90 : 0,
    hrvFactorFeedback: d.day.hrv ? 'GOOD' : 'NONE',
    hrvWeeklyAverage: d.day.hrv ? d.day.hrv.weeklyAvg : null,
    sleepHistoryFactorPercent: 80,
    sleepHistoryFactorFeedback: 'GOOD',
    validSleep: true,
    inputContext: context,
    primaryActivityTracker: true,
    recoveryTimeChangePhrase: context === 'AFTER_POST_EXERCISE_RESET' ? 'NEW_EXERCISE' : null,
    sleepHistoryFactorFeedbackPhrase: null,
    hrvFactorFeedbackPhrase: null,
    stressHistoryFactorFeedbackPhrase: null,
    acwrFactorFeedbackPhrase: null,
    recoveryTimeFactorFeedbackPhrase: null,
    sleepScoreFactorFeedbackPhrase: null,
  });
  const out = [snapshot(wake, r.score, 'AFTER_WAKEUP_RESET', r.recoveryMinutes)];
  if (r.afterExercise)
    out.unshift(
      snapshot(d.day.startGmtMs + 17 * 3_600_000, Math.max(1, r.score - 18), 'AFTER_POST_EXERCISE_RESET', r.recoveryMinutes + 700),
    );
  return out;
}

function vo2Generic(d: DayParts): Json {
  return {
    calendarDate: d.day.date,
    vo2MaxPreciseValue: d.extras.vo2MaxPrecise,
    vo2MaxValue: d.extras.vo2Max,
    fitnessAge: d.extras.fitnessAge,
    fitnessAgeDescription: null,
    maxMetCategory: 0,
  };
}

/** One element of /metrics-service/metrics/maxmet/daily/{D1}/{D2}. */
export function maxMetrics(d: DayParts, profilePk: number): Json {
  return { userId: profilePk, generic: vo2Generic(d), cycling: null, heatAltitudeAcclimation: null };
}

/** /metrics-service/metrics/trainingstatus/aggregated/{D} (bare payloads, as GC reads them). */
export function trainingStatus(d: DayParts | undefined, profilePk: number, deviceId: number): Json {
  if (!d)
    return {
      userId: profilePk,
      mostRecentVO2Max: null,
      mostRecentTrainingLoadBalance: null,
      mostRecentTrainingStatus: null,
      heatAltitudeAcclimationDTO: null,
    };
  const key = String(deviceId);
  const acwr = Math.round((d.extras.acuteLoad / d.extras.chronicLoad) * 10) / 10;
  return {
    userId: profilePk,
    mostRecentVO2Max: { userId: profilePk, generic: vo2Generic(d), cycling: null, heatAltitudeAcclimation: null },
    mostRecentTrainingLoadBalance: {
      userId: profilePk,
      metricsTrainingLoadBalanceDTOMap: {
        [key]: {
          calendarDate: d.day.date,
          deviceId,
          monthlyLoadAerobicLow: d.extras.chronicLoad * 0.9,
          monthlyLoadAerobicHigh: d.extras.chronicLoad * 1.1,
          monthlyLoadAnaerobic: d.extras.acuteLoad * 0.3,
          trainingBalanceFeedbackPhrase: 'BALANCED',
          primaryTrainingDevice: true,
        },
      },
      recordedDevices: [{ deviceId, imageURL: null, deviceName: DEVICE_NAME, category: 0 }],
    },
    mostRecentTrainingStatus: {
      userId: profilePk,
      latestTrainingStatusData: {
        [key]: {
          calendarDate: d.day.date,
          sinceDate: null,
          weeklyTrainingLoad: null,
          trainingStatus: d.extras.trainingStatus,
          timestamp: d.day.startGmtMs + 12 * 3_600_000,
          deviceId,
          loadTunnelMin: null,
          loadTunnelMax: null,
          loadLevelTrend: null,
          sport: 'RUNNING',
          subSport: 'GENERIC',
          fitnessTrendSport: 'RUNNING',
          fitnessTrend: 2,
          trainingStatusFeedbackPhrase:
            d.extras.trainingStatus === 7 ? 'PRODUCTIVE_6' : d.extras.trainingStatus === 5 ? 'RECOVERY_2' : 'MAINTAINING_2',
          trainingPaused: false,
          acuteTrainingLoadDTO: {
            acwrPercent: Math.round(acwr * 50),
            acwrStatus: acwr > 1.5 ? 'HIGH' : acwr < 0.8 ? 'LOW' : 'OPTIMAL',
            acwrStatusFeedback: 'FEEDBACK_2',
            dailyTrainingLoadAcute: d.extras.acuteLoad,
            maxTrainingLoadChronic: Math.round(d.extras.chronicLoad * 1.5),
            minTrainingLoadChronic: Math.round(d.extras.chronicLoad * 0.8),
            dailyTrainingLoadChronic: d.extras.chronicLoad,
            dailyAcuteChronicWorkloadRatio: acwr,
          },
          primaryTrainingDevice: true,
        },
      },
      recordedDevices: [{ deviceId, imageURL: null, deviceName: DEVICE_NAME, category: 0 }],
      showSelector: false,
      lastPrimarySyncDate: d.day.date,
    },
    heatAltitudeAcclimationDTO: null,
  };
}

/** One race prediction row (seconds from the day's VO2max). */
export function racePredictions(d: DayParts, profilePk: number): Json {
  const v = d.extras.vo2MaxPrecise;
  return {
    userId: profilePk,
    calendarDate: d.day.date,
    time5K: raceSeconds(v, 5000),
    time10K: raceSeconds(v, 10_000),
    timeHalfMarathon: raceSeconds(v, 21_097.5),
    timeMarathon: raceSeconds(v, 42_195),
  };
}

/** /metrics-service/metrics/endurancescore?calendarDate=D; undefined → 204. */
export function enduranceScore(d: DayParts | undefined, profilePk: number, deviceId: number): Json | undefined {
  const s = d?.extras.enduranceScore;
  if (!d || s === null || s === undefined) return undefined;
  const classification = s >= 8800 ? 7 : s >= 8100 ? 6 : s >= 7300 ? 5 : s >= 6600 ? 4 : s >= 5800 ? 3 : s >= 5100 ? 2 : 1;
  return {
    userProfilePK: profilePk,
    deviceId,
    calendarDate: d.day.date,
    overallScore: s,
    classification,
    feedbackPhrase: 30,
    primaryTrainingDevice: true,
    gaugeLowerLimit: 3570,
    classificationLowerLimitIntermediate: 5100,
    classificationLowerLimitTrained: 5800,
    classificationLowerLimitWellTrained: 6600,
    classificationLowerLimitExpert: 7300,
    classificationLowerLimitSuperior: 8100,
    classificationLowerLimitElite: 8800,
    gaugeUpperLimit: 10560,
    contributors: [
      { activityTypeId: 1, group: null, contribution: 61.5 },
      { activityTypeId: null, group: 0, contribution: 38.5 },
    ],
  };
}

/** /metrics-service/metrics/hillscore?calendarDate=D; undefined → 204. */
export function hillScore(d: DayParts | undefined, profilePk: number, deviceId: number): Json | undefined {
  const h = d?.extras.hillScore;
  if (!d || !h) return undefined;
  return {
    userProfilePK: profilePk,
    deviceId,
    calendarDate: d.day.date,
    strengthScore: h.strength,
    enduranceScore: h.endurance,
    hillScoreClassificationId: h.overall >= 50 ? 3 : h.overall >= 30 ? 2 : 1,
    overallScore: h.overall,
    hillScoreFeedbackPhraseId: 4,
    vo2Max: d.extras.vo2Max,
    vo2MaxPreciseValue: d.extras.vo2MaxPrecise,
    primaryTrainingDevice: true,
  };
}

/** /fitnessage-service/fitnessage/{D}. */
export function fitnessAge(d: DayParts, chronologicalAge: number, bmi: number | null): Json {
  return {
    chronologicalAge,
    fitnessAge: d.extras.fitnessAge,
    achievableFitnessAge: Math.max(20, d.extras.fitnessAge - 3),
    previousFitnessAge: d.extras.fitnessAge,
    components: {
      vigorousDaysAvg: { value: 1.4, targetValue: 2, potentialAge: d.extras.fitnessAge - 1, priority: 2, stale: false, numOfWeeksForIm: 4 },
      rhr: { value: d.day.restingHr, stale: false },
      vigorousMinutesAvg: { value: d.day.vigorousMinutes, stale: false, numOfWeeksForIm: 4 },
      bmi: {
        value: bmi,
        targetValue: 22.9,
        improvementValue: null,
        potentialAge: d.extras.fitnessAge,
        priority: 3,
        stale: bmi === null,
        lastMeasurementDate: null,
      },
    },
    lastUpdated: formatTenths(d.day.startGmtMs + 12 * 3_600_000),
  };
}

/** A blood pressure measurement as the range lists it (GC / SB keys). */
export function bloodPressureMeasurement(d: DayParts, i: number): Json {
  const m = d.extras.bloodPressure[i]!;
  const category = m.systolic >= 130 || m.diastolic >= 80 ? 'STAGE_1_HIGH' : m.systolic >= 120 ? 'ELEVATED' : 'NORMAL';
  return {
    version: m.version,
    systolic: m.systolic,
    diastolic: m.diastolic,
    pulse: m.pulse,
    multiMeasurement: false,
    notes: '',
    sourceType: 'MANUAL',
    measurementTimestampLocal: formatTenths(m.timestampMs + d.day.offsetMs),
    measurementTimestampGMT: formatTenths(m.timestampMs),
    category,
    categoryName: category,
  };
}
