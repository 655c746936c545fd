import type { EmuRoute } from '../http/types.js';
import { ok, withAccount, type Lookup } from './responses.js';

/** The cheap change probe (garmin-endpoints-2.md §6.1): the last device upload of the account. */
export function lastUsedDeviceRoutes(lookup: Lookup): EmuRoute[] {
  return [
    {
      method: 'GET',
      host: 'connectapi',
      auth: 'bearer',
      name: 'connect.lastUsedDevice',
      pattern: '/device-service/deviceservice/mylastused',
      handler: withAccount(lookup, (data) => ok(data.lastUsedDevice())),
    },
  ];
}
