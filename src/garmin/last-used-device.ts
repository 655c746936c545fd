import { expectObject, optNumber, optString } from './validate.js';

/** What `mylastused` tells: the last device upload of the account (garmin-endpoints-2.md §6.1). */
export interface GarminLastUsedDevice {
  /** When the last device upload happened (epoch ms); null when Garmin knows none. */
  uploadTimeMs: number | null;
  deviceName: string | null;
  userDeviceId: number | null;
}

/**
 * Validates a `/device-service/deviceservice/mylastused` answer. Only the upload time matters for
 * change detection; a null time is allowed (Garmin sends it for accounts without uploads), any
 * other non-number is GARMIN_PROTOCOL_CHANGED.
 */
export function parseLastUsedDevice(body: unknown, label: string): GarminLastUsedDevice {
  const o = expectObject(body, label);
  return {
    uploadTimeMs: optNumber(o, 'lastUsedDeviceUploadTime', label),
    deviceName: optString(o, 'lastUsedDeviceName', label),
    userDeviceId: optNumber(o, 'userDeviceId', label),
  };
}
