/**
 * Garmin's "Export Your Data" record shapes, built from the same JSON the emulator's Connect API
 * serves (so an archive and the API agree for one seed and account), with the archive's own
 * names and units (../shared/garmin-archive.md §3): durations in ms, distances and elevations in
 * cm, speeds in cm/ms, epoch-ms times with `startTimeLocal` carrying the local offset, flat sleep
 * scores, GMT ISO strings ending `.0`.
 */
type Json = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const times = (v: unknown, k: number): number | null => {
  const n = num(v);
  // 12 significant digits: the unit change without float noise (0.1 * 3 → 0.3, not 0.30000000000000004).
  return n === null ? null : Number((n * k).toPrecision(12));
};

/** "2026-01-08 08:10:21" (no zone) read as UTC: how the archive's epoch "local" numbers behave. */
function spacedAsUtcMs(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** 2026-01-08T08:10:21.0 — the archive's ISO format (GMT, no zone, tenths). */
export function isoTenths(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.0`;
}

const SPORT_TYPES: Record<number, string> = { 1: 'RUNNING', 2: 'CYCLING', 5: 'SWIMMING', 4: 'TRAINING', 11: 'WALKING', 17: 'HIKING' };

/** One element of `summarizedActivitiesExport`, from an activity-list item of the API. */
export function summarizedActivity(item: Json): Json {
  const type = (item.activityType ?? {}) as Json;
  const begin = num(item.beginTimestamp);
  const out: Json = {
    activityId: item.activityId,
    name: item.activityName,
    activityType: type.typeKey,
    sportType: SPORT_TYPES[num(item.sportTypeId) ?? -1] ?? 'GENERIC',
    userProfileId: item.ownerId,
    timeZoneId: item.timeZoneId,
    beginTimestamp: begin,
    eventTypeId: 9,
    rule: 'private',
    startTimeGmt: begin,
    startTimeLocal: spacedAsUtcMs(item.startTimeLocal),
    duration: times(item.duration, 1000),
    elapsedDuration: times(item.elapsedDuration, 1000),
    movingDuration: times(item.movingDuration, 1000),
    distance: times(item.distance, 100),
    avgSpeed: times(item.averageSpeed, 0.1),
    maxSpeed: times(item.maxSpeed, 0.1),
    avgHr: item.averageHR,
    maxHr: item.maxHR,
    calories: item.calories,
    bmrCalories: item.bmrCalories,
    lapCount: item.lapCount,
    aerobicTrainingEffect: item.aerobicTrainingEffect,
    anaerobicTrainingEffect: item.anaerobicTrainingEffect,
    activityTrainingLoad: item.activityTrainingLoad,
    moderateIntensityMinutes: item.moderateIntensityMinutes,
    vigorousIntensityMinutes: item.vigorousIntensityMinutes,
    deviceId: item.deviceId,
    manufacturer: item.manufacturer,
    parent: false,
    favorite: false,
    pr: false,
    purposeful: false,
    autoCalcCalories: false,
    elevationCorrected: false,
    atpActivity: false,
    decoDive: false,
    manualActivity: false,
  };
  if (item.elevationGain !== undefined)
    Object.assign(out, { elevationGain: times(item.elevationGain, 100), elevationLoss: times(item.elevationLoss, 100) });
  if (item.minElevation !== undefined)
    Object.assign(out, { minElevation: times(item.minElevation, 100), maxElevation: times(item.maxElevation, 100) });
  if (item.steps !== undefined) out.steps = item.steps;
  if (item.averageRunningCadenceInStepsPerMinute !== undefined)
    Object.assign(out, {
      avgRunCadence: item.averageRunningCadenceInStepsPerMinute,
      maxRunCadence: item.maxRunningCadenceInStepsPerMinute,
    });
  if (item.averageBikingCadenceInRevPerMinute !== undefined)
    Object.assign(out, { avgBikeCadence: item.averageBikingCadenceInRevPerMinute, maxBikeCadence: item.maxBikingCadenceInRevPerMinute });
  if (item.avgStrideLength !== undefined) out.avgStrideLength = item.avgStrideLength;
  // Index 0 is the time below zone 1, which the API does not report.
  out.hrTimeInZone_0 = 0;
  for (let z = 1; z <= 5; z++) out[`hrTimeInZone_${z}`] = times(item[`hrTimeInZone_${z}`], 1000);
  for (const k of ['startLatitude', 'startLongitude', 'endLatitude', 'endLongitude', 'locationName'] as const)
    if (item[k] !== undefined) out[k] = item[k];
  return out;
}

/** A UDS day record with its nested allDayStress / bodyBattery / respiration, from the API's daily summary. */
export function udsRecord(summary: Json): Json {
  const s = summary;
  const total = {
    type: 'TOTAL',
    averageStressLevel: s.averageStressLevel,
    maxStressLevel: s.maxStressLevel,
    stressDuration: s.stressDuration,
    restDuration: s.restStressDuration,
    lowDuration: s.lowStressDuration,
    mediumDuration: s.mediumStressDuration,
    highDuration: s.highStressDuration,
    activityDuration: s.activityStressDuration,
    uncategorizedDuration: s.uncategorizedStressDuration,
    totalDuration: s.totalStressDuration,
  };
  // AWAKE first, so an importer that takes the first aggregate instead of TOTAL is caught.
  const awake = { ...total, type: 'AWAKE', totalDuration: s.measurableAwakeDuration };
  const stat = (type: string, value: unknown) => ({
    bodyBatteryStatType: type,
    statsValue: value,
    statTimestamp: s.wellnessStartTimeGmt,
    bodyBatteryStatus: 'MEASURED',
  });
  return {
    userProfilePK: s.userProfileId,
    calendarDate: s.calendarDate,
    uuid: s.uuid,
    durationInMilliseconds: s.durationInMilliseconds,
    totalSteps: s.totalSteps,
    dailyStepGoal: s.dailyStepGoal,
    totalDistanceMeters: s.totalDistanceMeters,
    wellnessDistanceMeters: s.wellnessDistanceMeters,
    totalKilocalories: s.totalKilocalories,
    activeKilocalories: s.activeKilocalories,
    bmrKilocalories: s.bmrKilocalories,
    wellnessKilocalories: s.wellnessKilocalories,
    wellnessActiveKilocalories: s.wellnessActiveKilocalories,
    highlyActiveSeconds: s.highlyActiveSeconds,
    activeSeconds: s.activeSeconds,
    moderateIntensityMinutes: s.moderateIntensityMinutes,
    vigorousIntensityMinutes: s.vigorousIntensityMinutes,
    userIntensityMinutesGoal: s.intensityMinutesGoal,
    floorsAscendedInMeters: s.floorsAscendedInMeters,
    floorsDescendedInMeters: s.floorsDescendedInMeters,
    userFloorsAscendedGoal: s.userFloorsAscendedGoal,
    minHeartRate: s.minHeartRate,
    maxHeartRate: s.maxHeartRate,
    minAvgHeartRate: s.minAvgHeartRate,
    maxAvgHeartRate: s.maxAvgHeartRate,
    restingHeartRate: s.restingHeartRate,
    currentDayRestingHeartRate: s.restingHeartRate,
    averageSpo2Value: s.averageSpo2,
    lowestSpo2Value: s.lowestSpo2,
    wellnessStartTimeGmt: s.wellnessStartTimeGmt,
    wellnessStartTimeLocal: s.wellnessStartTimeLocal,
    wellnessEndTimeGmt: s.wellnessEndTimeGmt,
    wellnessEndTimeLocal: s.wellnessEndTimeLocal,
    includesWellnessData: s.includesWellnessData,
    includesActivityData: s.includesActivityData,
    includesCalorieConsumedData: false,
    allDayStress: { aggregatorList: [awake, total] },
    bodyBattery: {
      chargedValue: s.bodyBatteryChargedValue,
      drainedValue: s.bodyBatteryDrainedValue,
      bodyBatteryVersion: 2,
      bodyBatteryStatList: [
        stat('HIGHEST', s.bodyBatteryHighestValue),
        stat('LOWEST', s.bodyBatteryLowestValue),
        stat('MOSTRECENT', s.bodyBatteryMostRecentValue),
      ],
    },
    respiration: {
      avgWakingRespirationValue: s.avgWakingRespirationValue,
      highestRespirationValue: s.highestRespirationValue,
      lowestRespirationValue: s.lowestRespirationValue,
      algorithmVersion: 100,
    },
  };
}

/** A `*_sleepData.json` night, from the API's dailySleepDTO (GMT ISO strings, flat scores). */
export function sleepRecord(dto: Json): Json | null {
  const start = num(dto.sleepStartTimestampGMT);
  const end = num(dto.sleepEndTimestampGMT);
  if (start === null || end === null) return null;
  const scores = (dto.sleepScores ?? {}) as Record<string, { value?: number } | undefined>;
  return {
    calendarDate: dto.calendarDate,
    sleepStartTimestampGMT: isoTenths(start),
    sleepEndTimestampGMT: isoTenths(end),
    sleepWindowConfirmationType: 'ENHANCED_CONFIRMED_FINAL',
    deepSleepSeconds: dto.deepSleepSeconds,
    lightSleepSeconds: dto.lightSleepSeconds,
    remSleepSeconds: dto.remSleepSeconds,
    awakeSleepSeconds: dto.awakeSleepSeconds,
    unmeasurableSeconds: dto.unmeasurableSleepSeconds,
    averageRespiration: dto.averageRespirationValue,
    lowestRespiration: dto.lowestRespirationValue,
    highestRespiration: dto.highestRespirationValue,
    avgSleepStress: dto.avgSleepStress,
    awakeCount: dto.awakeCount,
    retro: false,
    spo2SleepSummary: {
      sleepMeasurementStartGMT: isoTenths(start),
      sleepMeasurementEndGMT: isoTenths(end),
      averageSPO2: dto.averageSpO2Value,
      lowestSPO2: dto.lowestSpO2Value,
      userProfilePk: dto.userProfilePK,
    },
    sleepScores: {
      overallScore: scores.overall?.value ?? null,
      qualityScore: scores.quality?.value ?? null,
      remScore: scores.remPercentage?.value ?? null,
    },
  };
}

/** A `*_healthStatusData.json` day carrying last night's HRV (the archive's only HRV). */
export function healthStatusRecord(date: string, hrvSummary: Json): Json {
  return {
    calendarDate: date,
    metrics: [
      {
        type: 'HRV',
        value: hrvSummary.lastNightAvg,
        baselineLowerLimit: (hrvSummary.baseline as Json | undefined)?.balancedLow ?? null,
        baselineUpperLimit: (hrvSummary.baseline as Json | undefined)?.balancedUpper ?? null,
        status: hrvSummary.status ?? 'BALANCED',
      },
    ],
  };
}

/** A `*_userBioMetrics.json` snapshot of one weigh-in (weight in grams, GMT timestamp). */
export function bioMetricsSnapshot(weighIn: Json, sequence: number): Json {
  const ts = num(weighIn.timestampGMT) ?? 0;
  // The snapshot's calendarDate is the user's local date and time of the weigh-in.
  const local = num(weighIn.date) ?? ts;
  return {
    metaData: { calendarDate: new Date(local).toISOString().replace('Z', '').slice(0, 23), sequence },
    weight: { weight: weighIn.weight, sourceType: weighIn.sourceType ?? 'INDEX_SCALE', timestampGMT: ts },
    bodyFat: weighIn.bodyFat ?? null,
    bodyWater: weighIn.bodyWater ?? null,
    boneMass: weighIn.boneMass ?? null,
    muscleMass: weighIn.muscleMass ?? null,
  };
}

/**
 * `beginTimestamp` in the exponent form some archives carry (`1.764581421E12`): the same exact
 * integer, spelled so that a parser which expects plain digits is caught.
 */
export function exponentForm(ms: number): string {
  const digits = String(Math.trunc(ms));
  const mantissa = digits.slice(1).replace(/0+$/, '');
  return `${digits[0]}${mantissa ? `.${mantissa}` : ''}E${digits.length - 1}`;
}
