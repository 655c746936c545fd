import type { AthleteProfile } from './account-profile.js';
import type { ActivityModel } from './activity.model.js';
import { DEVICE_NAME } from './account-extras.dto.js';

type Json = Record<string, unknown>;

/**
 * /device-service/deviceservice/mylastused. No recording exists (garmin-endpoints-2.md §6.1); the
 * keys are those of the typed clients (`GarminDeviceLastUsed`) and garmin-grafana's reads. The
 * upload time is when the newest activity was uploaded — the end of its recording — so an
 * activity added through the control API moves it, and nothing else does. `null` without any
 * activity (one synthetic generator sends null, so clients must take it).
 */
export function lastUsedDevice(athlete: AthleteProfile, newest: ActivityModel | undefined): Json {
  return {
    userDeviceId: athlete.deviceId,
    userProfileNumber: 0,
    applicationNumber: 0,
    lastUsedDeviceApplicationKey: 'fenix6',
    lastUsedDeviceName: DEVICE_NAME,
    lastUsedDeviceUploadTime: newest ? newest.startMs + newest.durationS * 1000 : null,
    imageUrl: 'https://static.garmincdn.com/com.garmin.connect/ui/images/device-images/fenix6.png',
    released: true,
  };
}
