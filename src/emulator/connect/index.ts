import type { EmuRoute } from '../http/types.js';
import type { AccountData } from '../data/index.js';
import { activityRoutes } from './activities.routes.js';
import { deviceRoutes } from './devices.routes.js';
import { healthSurfaceRoutes } from './health-surface.routes.js';
import { lastUsedDeviceRoutes } from './last-used-device.routes.js';
import { profileRoutes } from './profile.routes.js';
import { wellnessRoutes } from './wellness.routes.js';
import { workoutRoutes } from './workouts.routes.js';

export { MAX_LIST_LIMIT } from './activities.routes.js';

/**
 * The Connect API routes (connectapi host, Bearer-protected). `lookup` maps the account id the
 * server resolved from the Bearer token to that account's data.
 */
export function createConnectRoutes(lookup: (accountId: string) => AccountData | undefined): EmuRoute[] {
  return [
    ...profileRoutes(lookup),
    ...activityRoutes(lookup),
    ...wellnessRoutes(lookup),
    ...healthSurfaceRoutes(lookup),
    ...deviceRoutes(lookup),
    ...lastUsedDeviceRoutes(lookup),
    ...workoutRoutes(lookup),
  ];
}
