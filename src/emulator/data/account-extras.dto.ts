import type { AthleteProfile } from './account-profile.js';
import type { ActivityModel } from './activity.model.js';
import type { DayModel } from './health.model.js';
import { formatSpaced, formatTenths } from './time.js';

/**
 * The account's devices and personal records. Neither is recorded in the shared material; the
 * keys follow python-garminconnect's consumers (`get_devices`, `get_personal_record`) and are an
 * inference. The one device is the one that recorded every FIT file (its serial number).
 */
type Json = Record<string, unknown>;
export const DEVICE_NAME = 'fēnix 6';

/** /device-service/deviceregistration/devices. */
export function devices(athlete: AthleteProfile, lastUploadMs: number | null): Json[] {
  return [
    {
      deviceId: athlete.deviceId,
      unitId: athlete.deviceId,
      serialNumber: String(athlete.deviceId),
      displayName: DEVICE_NAME,
      productDisplayName: DEVICE_NAME,
      partNumber: '006-B3113-00',
      productSku: '010-02158-00',
      deviceTypePk: 3113,
      applicationKey: 'fenix6',
      deviceStatus: 'ACTIVE',
      currentFirmwareVersion: '25.10',
      primaryActivityTrackerIndicator: true,
      primary: true,
      wifi: true,
      bluetoothLowEnergy: true,
      registeredDate: null,
      lastUploadTimestamp: lastUploadMs,
      imageUrl: 'https://static.garmincdn.com/com.garmin.connect/ui/images/device-images/fenix6.png',
    },
  ];
}

interface Record_ {
  typeId: number;
  labelKey: string;
  value: number;
  activity: ActivityModel | null;
  atMs: number;
  offsetMs: number;
}

/** /personalrecord-service/personalrecord/prs/{displayName}: longest run, longest ride, most steps in a day. */
export function personalRecords(activities: readonly ActivityModel[], days: readonly DayModel[], profilePk: number): Json[] {
  const best = (items: ActivityModel[], value: (a: ActivityModel) => number) =>
    items.reduce<ActivityModel | null>((b, a) => (b === null || value(a) > value(b) ? a : b), null);
  const records: Record_[] = [];
  const run = best(
    activities.filter((a) => a.sport.typeKey.includes('running') && a.distanceM > 0),
    (a) => a.distanceM,
  );
  if (run)
    records.push({
      typeId: 7,
      labelKey: 'pr.label.longest.run',
      value: run.distanceM,
      activity: run,
      atMs: run.startMs,
      offsetMs: run.offsetMs,
    });
  const ride = best(
    activities.filter((a) => a.sport.typeKey.includes('cycling') && a.distanceM > 0),
    (a) => a.distanceM,
  );
  if (ride)
    records.push({
      typeId: 8,
      labelKey: 'pr.label.longest.ride',
      value: ride.distanceM,
      activity: ride,
      atMs: ride.startMs,
      offsetMs: ride.offsetMs,
    });
  const stepDay = days.reduce<DayModel | null>((b, d) => (b === null || d.steps > b.steps ? d : b), null);
  if (stepDay)
    records.push({
      typeId: 12,
      labelKey: 'pr.label.steps.day',
      value: stepDay.steps,
      activity: null,
      atMs: stepDay.startGmtMs,
      offsetMs: stepDay.offsetMs,
    });
  return records.map((r, i) => ({
    id: profilePk * 100 + i,
    typeId: r.typeId,
    activityId: r.activity ? r.activity.id : 0,
    activityName: r.activity ? r.activity.name : null,
    activityType: r.activity ? r.activity.sport.typeKey : null,
    activityStartDateTimeInGMT: r.activity ? r.activity.startMs : null,
    actStartDateTimeInGMTFormatted: r.activity ? formatTenths(r.activity.startMs) : null,
    activityStartDateTimeLocal: r.activity ? r.activity.startMs + r.offsetMs : null,
    activityStartDateTimeLocalFormatted: r.activity ? formatTenths(r.activity.startMs + r.offsetMs) : null,
    value: r.value,
    prStartTimeGmt: r.atMs,
    prStartTimeGmtFormatted: formatTenths(r.atMs),
    prStartTimeLocal: r.atMs + r.offsetMs,
    prStartTimeLocalFormatted: formatTenths(r.atMs + r.offsetMs),
    prTypeLabelKey: r.labelKey,
    poolLengthUnit: null,
    createdDate: formatSpaced(r.atMs),
  }));
}
