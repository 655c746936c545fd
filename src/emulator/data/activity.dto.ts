import type { AccountIdentity } from './account.types.js';
import type { HomeCity } from './account-profile.js';
import { f32, type ActivityModel } from './activity.model.js';
import { profileImages, USER_ROLES } from './owner.js';
import { Prng, deriveSeed } from './prng.js';
import { formatSpaced, formatTenths } from './time.js';

/**
 * JSON shapes of an activity as Garmin answers them: the list item of
 * /activitylist-service/activities/search/activities (flat, float32-looking numbers,
 * "YYYY-MM-DD HH:MM:SS" times) and the detail DTO of /activity-service/activity/{id}
 * (…DTO objects, "T….0" times, rounded numbers). Key sets follow the recordings.
 */

type Json = Record<string, unknown>;

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

function activityType(a: ActivityModel): Json {
  const s = a.sport;
  return { typeId: s.typeId, typeKey: s.typeKey, parentTypeId: s.parentTypeId, isHidden: false, restricted: false, trimmable: true };
}

const EVENT_TYPE = { typeId: 9, typeKey: 'uncategorized', sortOrder: 10 } as const;
const PRIVACY = { typeId: 2, typeKey: 'private' } as const;

function teLabel(te: number): string {
  if (te < 2) return 'RECOVERY';
  if (te < 3) return 'AEROBIC_BASE';
  if (te < 4) return 'TEMPO';
  return 'THRESHOLD';
}

function teMessage(te: number): string {
  if (te < 2) return 'MINOR_AEROBIC_BENEFIT_1';
  if (te < 3) return 'MAINTAINING_AEROBIC_BASE_7';
  if (te < 4) return 'IMPROVING_AEROBIC_BASE_8';
  return 'HIGHLY_IMPROVING_AEROBIC_ENDURANCE_11';
}

function anaerobicMessage(te: number): string {
  return te < 1 ? 'NO_ANAEROBIC_BENEFIT_0' : 'MINOR_ANAEROBIC_BENEFIT_1';
}

/** Sport-specific extras: the same numbers appear in the list item and the detail summary. */
function extras(a: ActivityModel) {
  const p = new Prng(deriveSeed(a.fitSeed, 'dto'));
  return {
    power: Math.round(p.range(170, 280)),
    maxPower: Math.round(p.range(380, 650)),
    normPower: Math.round(p.range(190, 300)),
    temperature: Math.round(p.range(12, 26)),
    stride: p.range(80, 125),
    gct: p.range(230, 300),
    vo: p.range(7, 10),
    vr: p.range(7, 10),
    gas: a.avgSpeed * p.range(1.0, 1.1),
    vSpeed: p.range(0.3, 1.2),
    bodyBattery: -Math.round(p.range(2, 20)),
    water: Math.round(a.calories * p.range(0.8, 1.1)),
    feel: p.pick([0, 25, 50, 75, 100]),
    rpe: p.int(1, 9) * 10,
    compliance: p.int(60, 100),
    staminaStart: p.int(85, 100),
    staminaEnd: p.int(40, 84),
    impact: Math.round(p.range(1000, 9000)),
    sets: p.int(8, 20),
    reps: p.int(60, 200),
    swolf: p.int(32, 48),
    strokes: Math.round((a.distanceM / p.range(1.6, 2.4))),
  };
}

export function activityListItem(a: ActivityModel, owner: AccountIdentity, home: HomeCity): Json {
  const x = extras(a);
  const img = profileImages(owner);
  const item: Json = {
    activityId: a.id,
    activityName: a.name,
    startTimeLocal: formatSpaced(a.startMs + a.offsetMs),
    startTimeGMT: formatSpaced(a.startMs),
    activityType: activityType(a),
    eventType: EVENT_TYPE,
    distance: f32(a.distanceM),
    duration: f32(a.durationS),
    elapsedDuration: f32(a.durationS),
    movingDuration: a.movingS,
  };
  if (a.elevGain !== null) Object.assign(item, { elevationGain: a.elevGain, elevationLoss: a.elevLoss });
  Object.assign(item, { averageSpeed: f32(a.avgSpeed), maxSpeed: f32(a.maxSpeed) });
  if (a.start) Object.assign(item, { startLatitude: a.start.lat, startLongitude: a.start.lon });
  Object.assign(item, {
    hasPolyline: a.route !== null,
    hasImages: false,
    ownerId: owner.profileId,
    ownerDisplayName: owner.displayName,
    ownerFullName: owner.fullName,
    ownerProfileImageUrlSmall: img.profileImageUrlSmall,
    ownerProfileImageUrlMedium: img.profileImageUrlMedium,
    ownerProfileImageUrlLarge: img.profileImageUrlLarge,
    calories: a.calories,
    bmrCalories: a.bmrCalories,
    averageHR: a.avgHr,
    maxHR: a.maxHr,
  });
  if (a.sport.steps && a.avgCadence !== null) {
    Object.assign(item, {
      averageRunningCadenceInStepsPerMinute: f32(a.avgCadence),
      maxRunningCadenceInStepsPerMinute: a.maxCadence,
      steps: a.steps,
    });
  } else if (a.sport.fitSport === 'cycling' && a.avgCadence !== null) {
    Object.assign(item, { averageBikingCadenceInRevPerMinute: f32(a.avgCadence), maxBikingCadenceInRevPerMinute: a.maxCadence });
  } else if (a.sport.fitSport === 'swimming' && a.avgCadence !== null) {
    Object.assign(item, { averageSwimCadenceInStrokesPerMinute: f32(a.avgCadence), maxSwimCadenceInStrokesPerMinute: a.maxCadence, averageSwolf: x.swolf, strokes: x.strokes });
    if (a.route === null) Object.assign(item, { poolLength: 25, unitOfPoolLength: { unitId: 1, unitKey: 'meter', factor: 100 }, activeLengths: Math.round(a.distanceM / 25) });
  } else if (a.sport.fitSport === 'training') {
    Object.assign(item, { activeSets: x.sets, totalSets: x.sets, totalReps: x.reps });
  }
  Object.assign(item, {
    userRoles: USER_ROLES,
    privacy: PRIVACY,
    userPro: false,
    hasVideo: false,
    timeZoneId: home.timeZoneUnitId,
    beginTimestamp: a.startMs,
    sportTypeId: a.sport.sportTypeId,
  });
  if (a.sport.typeKey.includes('running')) {
    Object.assign(item, {
      avgPower: x.power, maxPower: x.maxPower, normPower: x.normPower,
      avgVerticalOscillation: f32(x.vo), avgGroundContactTime: f32(x.gct), avgStrideLength: f32(x.stride),
      vO2MaxValue: 45, avgVerticalRatio: f32(x.vr),
    });
  }
  Object.assign(item, {
    aerobicTrainingEffect: f32(a.aerobicTE),
    anaerobicTrainingEffect: f32(a.anaerobicTE),
    deviceId: a.deviceId,
  });
  if (a.minElev !== null) Object.assign(item, { minElevation: f32(a.minElev), maxElevation: f32(a.maxElev ?? a.minElev), maxVerticalSpeed: f32(x.vSpeed) });
  if (a.sport.steps && a.maxCadence !== null) item.maxDoubleCadence = a.maxCadence;
  Object.assign(item, {
    summarizedDiveInfo: { summarizedDiveGases: [] },
    manufacturer: 'GARMIN',
  });
  if (a.locationName !== null) item.locationName = a.locationName;
  item.lapCount = a.lapCount;
  if (a.end) Object.assign(item, { endLatitude: a.end.lat, endLongitude: a.end.lon });
  Object.assign(item, {
    waterEstimated: x.water,
    trainingEffectLabel: teLabel(a.aerobicTE),
    activityTrainingLoad: f32(a.trainingLoad),
    minActivityLapDuration: f32(Math.min(a.durationS, a.sport.lapMeters > 0 && a.avgSpeed > 0 ? a.sport.lapMeters / a.avgSpeed : a.durationS)),
    aerobicTrainingEffectMessage: teMessage(a.aerobicTE),
    anaerobicTrainingEffectMessage: anaerobicMessage(a.anaerobicTE),
    splitSummaries: [],
    hasSplits: false,
    moderateIntensityMinutes: a.moderateMinutes,
    vigorousIntensityMinutes: a.vigorousMinutes,
    differenceBodyBattery: x.bodyBattery,
    hasHeatMap: false,
    hrTimeInZone_1: a.hrZones[0],
    hrTimeInZone_2: a.hrZones[1],
    hrTimeInZone_3: a.hrZones[2],
    hrTimeInZone_4: a.hrZones[3],
    hrTimeInZone_5: a.hrZones[4],
    endTimeGMT: formatSpaced(a.startMs + a.durationS * 1000),
    qualifyingDive: false,
    autoCalcCalories: false,
    favorite: false,
    decoDive: false,
    elevationCorrected: false,
    atpActivity: false,
    purposeful: false,
    manualActivity: false,
    pr: false,
    parent: false,
  });
  return item;
}

export function activityDetail(a: ActivityModel, owner: AccountIdentity, home: HomeCity): Json {
  const x = extras(a);
  const img = profileImages(owner);
  const uploadedMs = a.startMs + a.durationS * 1000 + 282_000;
  const summary: Json = {
    startTimeLocal: formatTenths(a.startMs + a.offsetMs),
    startTimeGMT: formatTenths(a.startMs),
  };
  if (a.start) Object.assign(summary, { startLatitude: a.start.lat, startLongitude: a.start.lon });
  if (a.sport.hasDistance) summary.distance = round(a.distanceM, 2);
  Object.assign(summary, { duration: a.durationS, movingDuration: a.movingS, elapsedDuration: a.durationS });
  if (a.elevGain !== null) {
    Object.assign(summary, { elevationGain: a.elevGain, elevationLoss: a.elevLoss, maxElevation: a.maxElev, minElevation: a.minElev });
  }
  if (a.sport.hasDistance) {
    Object.assign(summary, { averageSpeed: f32(a.avgSpeed), averageMovingSpeed: a.distanceM / Math.max(1, a.movingS), maxSpeed: f32(a.maxSpeed) });
  }
  Object.assign(summary, { calories: a.calories, bmrCalories: a.bmrCalories, averageHR: a.avgHr, maxHR: a.maxHr, minHR: a.minHr });
  const running = a.sport.typeKey.includes('running');
  if (a.avgCadence !== null && a.sport.steps) Object.assign(summary, { averageRunCadence: f32(a.avgCadence), maxRunCadence: a.maxCadence });
  if (a.avgCadence !== null && a.sport.fitSport === 'cycling') Object.assign(summary, { averageBikeCadence: f32(a.avgCadence), maxBikeCadence: a.maxCadence });
  if (running) {
    Object.assign(summary, {
      averageTemperature: x.temperature + 0.5, maxTemperature: x.temperature + 4, minTemperature: x.temperature - 2,
      averagePower: x.power, maxPower: x.maxPower, minPower: 0, normalizedPower: x.normPower,
      totalWork: round((x.power * a.durationS) / 4184, 3),
      groundContactTime: f32(x.gct), strideLength: f32(x.stride), verticalOscillation: round(x.vo, 2),
    });
  }
  Object.assign(summary, {
    trainingEffect: f32(a.aerobicTE),
    anaerobicTrainingEffect: f32(a.anaerobicTE),
    aerobicTrainingEffectMessage: teMessage(a.aerobicTE),
    anaerobicTrainingEffectMessage: anaerobicMessage(a.anaerobicTE),
  });
  if (running) summary.verticalRatio = f32(x.vr);
  if (a.end) Object.assign(summary, { endLatitude: a.end.lat, endLongitude: a.end.lon });
  if (a.route) summary.maxVerticalSpeed = f32(x.vSpeed);
  if (a.sport.fitSport === 'training') Object.assign(summary, { activeSets: x.sets });
  Object.assign(summary, {
    waterEstimated: x.water,
    trainingEffectLabel: teLabel(a.aerobicTE),
    activityTrainingLoad: f32(a.trainingLoad),
    minActivityLapDuration: round(Math.min(a.durationS, a.sport.lapMeters > 0 && a.avgSpeed > 0 ? a.sport.lapMeters / a.avgSpeed : a.durationS), 3),
  });
  if (running) Object.assign(summary, { directWorkoutFeel: x.feel, directWorkoutRpe: x.rpe, directWorkoutComplianceScore: x.compliance });
  Object.assign(summary, { moderateIntensityMinutes: a.moderateMinutes, vigorousIntensityMinutes: a.vigorousMinutes });
  if (a.steps !== null) summary.steps = a.steps;
  if (running) {
    Object.assign(summary, {
      beginPotentialStamina: x.staminaStart, endPotentialStamina: x.staminaEnd, minAvailableStamina: x.staminaEnd,
      avgGradeAdjustedSpeed: f32(x.gas),
    });
  }
  summary.differenceBodyBattery = x.bodyBattery;
  if (running) summary.impactLoad = x.impact;

  const dto: Json = {
    activityId: a.id,
    activityUUID: { uuid: a.uuid },
    activityName: a.name,
    userProfileId: owner.profileId,
    isMultiSportParent: false,
    activityTypeDTO: activityType(a),
    eventTypeDTO: EVENT_TYPE,
    accessControlRuleDTO: PRIVACY,
    timeZoneUnitDTO: { unitId: home.timeZoneUnitId, unitKey: home.timeZone, factor: 0.0, timeZone: home.timeZone },
    metadataDTO: {
      isOriginal: true,
      deviceApplicationInstallationId: 1003399,
      agentApplicationInstallationId: null,
      agentString: null,
      fileFormat: { formatId: 7, formatKey: 'fit' },
      associatedCourseId: null,
      lastUpdateDate: formatTenths(uploadedMs + 1000),
      uploadedDate: formatTenths(uploadedMs),
      videoUrl: null,
      hasPolyline: a.route !== null,
      hasChartData: true,
      hasHrTimeInZones: true,
      hasPowerTimeInZones: running,
      userInfoDto: {
        userProfilePk: owner.profileId,
        displayname: owner.displayName,
        fullname: owner.fullName,
        ...img,
        userPro: false,
      },
      childIds: [],
      childActivityTypes: [],
      sensors: null,
      activityImages: [],
      manufacturer: 'GARMIN',
      diveNumber: null,
      lapCount: a.lapCount,
      associatedWorkoutId: null,
      isAtpActivity: null,
      deviceMetaDataDTO: { deviceId: String(a.deviceId), deviceTypePk: 37229, deviceVersionPk: 1003399 },
      hasIntensityIntervals: false,
      hasSplits: false,
      eBikeMaxAssistModes: null,
      eBikeBatteryUsage: null,
      eBikeBatteryRemaining: null,
      eBikeAssistModeInfoDTOList: null,
      hasRunPowerWindData: running ? true : null,
      calendarEventInfo: null,
      groupRideUUID: null,
      hasHeatMap: false,
      personalRecord: false,
      elevationCorrected: false,
      autoCalcCalories: false,
      favorite: false,
      runPowerWindDataEnabled: running ? true : null,
      trimmed: false,
      manualActivity: false,
      gcj02: false,
    },
    summaryDTO: summary,
  };
  if (a.locationName !== null) dto.locationName = a.locationName;
  dto.splitSummaries = [];
  return dto;
}
