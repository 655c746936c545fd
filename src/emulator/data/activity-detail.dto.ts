import type { AccountIdentity } from './account.types.js';
import type { HomeCity } from './account-profile.js';
import { f32, type ActivityModel } from './activity.model.js';
import {
  EVENT_TYPE,
  PRIVACY,
  activityType,
  anaerobicMessage,
  extras,
  round,
  teLabel,
  teMessage,
  type Json,
} from './activity-dto.shared.js';
import { profileImages } from './owner.js';
import { formatTenths } from './time.js';

/**
 * /activity-service/activity/{id}: the detail DTO with its …DTO objects, "T….0" times and
 * rounded numbers (recorded key sets).
 */
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
    Object.assign(summary, {
      averageSpeed: f32(a.avgSpeed),
      averageMovingSpeed: a.distanceM / Math.max(1, a.movingS),
      maxSpeed: f32(a.maxSpeed),
    });
  }
  Object.assign(summary, { calories: a.calories, bmrCalories: a.bmrCalories, averageHR: a.avgHr, maxHR: a.maxHr, minHR: a.minHr });
  const running = a.sport.typeKey.includes('running');
  if (a.avgCadence !== null && a.sport.steps) Object.assign(summary, { averageRunCadence: f32(a.avgCadence), maxRunCadence: a.maxCadence });
  if (a.avgCadence !== null && a.sport.fitSport === 'cycling')
    Object.assign(summary, { averageBikeCadence: f32(a.avgCadence), maxBikeCadence: a.maxCadence });
  if (running) {
    Object.assign(summary, {
      averageTemperature: x.temperature + 0.5,
      maxTemperature: x.temperature + 4,
      minTemperature: x.temperature - 2,
      averagePower: x.power,
      maxPower: x.maxPower,
      minPower: 0,
      normalizedPower: x.normPower,
      totalWork: round((x.power * a.durationS) / 4184, 3),
      groundContactTime: f32(x.gct),
      strideLength: f32(x.stride),
      verticalOscillation: round(x.vo, 2),
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
    minActivityLapDuration: round(
      Math.min(a.durationS, a.sport.lapMeters > 0 && a.avgSpeed > 0 ? a.sport.lapMeters / a.avgSpeed : a.durationS),
      3,
    ),
  });
  if (running) Object.assign(summary, { directWorkoutFeel: x.feel, directWorkoutRpe: x.rpe, directWorkoutComplianceScore: x.compliance });
  Object.assign(summary, { moderateIntensityMinutes: a.moderateMinutes, vigorousIntensityMinutes: a.vigorousMinutes });
  if (a.steps !== null) summary.steps = a.steps;
  if (running) {
    Object.assign(summary, {
      beginPotentialStamina: x.staminaStart,
      endPotentialStamina: x.staminaEnd,
      minAvailableStamina: x.staminaEnd,
      avgGradeAdjustedSpeed: f32(x.gas),
    });
  }
  summary.differenceBodyBattery = x.bodyBattery;
  if (running) summary.impactLoad = x.impact;

  const dto: Json = {
    activityId: a.id,
    activityUUID: { uuid: a.uuid },
    activityName: a.name,
    ...(a.description !== undefined ? { description: a.description } : {}),
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
      lastUpdateDate: formatTenths(a.editedMs ?? uploadedMs + 1000),
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
