import type { AccountIdentity } from './account.types.js';
import type { HomeCity } from './account-profile.js';
import { f32, type ActivityModel } from './activity.model.js';
import { EVENT_TYPE, PRIVACY, activityType, anaerobicMessage, extras, teLabel, teMessage, type Json } from './activity-dto.shared.js';
import { profileImages, USER_ROLES } from './owner.js';
import { formatSpaced } from './time.js';

/**
 * An item of /activitylist-service/activities/search/activities as Garmin answers it: flat,
 * float32-looking numbers, "YYYY-MM-DD HH:MM:SS" times, sport-specific extras. Key set and key
 * order follow the recordings.
 */
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
    Object.assign(item, {
      averageSwimCadenceInStrokesPerMinute: f32(a.avgCadence),
      maxSwimCadenceInStrokesPerMinute: a.maxCadence,
      averageSwolf: x.swolf,
      strokes: x.strokes,
    });
    if (a.route === null)
      Object.assign(item, {
        poolLength: 25,
        unitOfPoolLength: { unitId: 1, unitKey: 'meter', factor: 100 },
        activeLengths: Math.round(a.distanceM / 25),
      });
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
      avgPower: x.power,
      maxPower: x.maxPower,
      normPower: x.normPower,
      avgVerticalOscillation: f32(x.vo),
      avgGroundContactTime: f32(x.gct),
      avgStrideLength: f32(x.stride),
      vO2MaxValue: 45,
      avgVerticalRatio: f32(x.vr),
    });
  }
  Object.assign(item, {
    aerobicTrainingEffect: f32(a.aerobicTE),
    anaerobicTrainingEffect: f32(a.anaerobicTE),
    deviceId: a.deviceId,
  });
  if (a.minElev !== null)
    Object.assign(item, { minElevation: f32(a.minElev), maxElevation: f32(a.maxElev ?? a.minElev), maxVerticalSpeed: f32(x.vSpeed) });
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
    minActivityLapDuration: f32(
      Math.min(a.durationS, a.sport.lapMeters > 0 && a.avgSpeed > 0 ? a.sport.lapMeters / a.avgSpeed : a.durationS),
    ),
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
