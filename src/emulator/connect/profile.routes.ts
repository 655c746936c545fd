import type { EmuRoute } from '../http/types.js';
import { ok, withAccount, type Lookup } from './responses.js';

/** /userprofile-service: the social profile (display name, profile id) and user settings. */
export function profileRoutes(lookup: Lookup): EmuRoute[] {
  return [
    {
      method: 'GET',
      host: 'connectapi',
      auth: 'bearer',
      name: 'connect.socialProfile',
      pattern: '/userprofile-service/socialProfile',
      handler: withAccount(lookup, (data) => ok(data.socialProfile())),
    },
    {
      method: 'GET',
      host: 'connectapi',
      auth: 'bearer',
      name: 'connect.userSettings',
      pattern: '/userprofile-service/userprofile/user-settings',
      handler: withAccount(lookup, (data) => ok(data.userSettings())),
    },
  ];
}
