/**
 * The Garmin Connect client room: login strategy chain with resumable MFA, token lifecycle,
 * typed Connect API, FIT verification. Other rooms use it only through this file.
 */
export type {
  GarminTokenSet,
  GarminProfile,
  MfaState,
  LoginOutcome,
  GarminTokenStore,
  RequestLimiter,
  GarminActivitySummary,
  GarminWorkoutSummary,
} from './types.js';
export type { GarminEndpoints } from './endpoints.js';
export { endpointsForDomain, endpointsForBaseUrl } from './endpoints.js';
export { verifyFit } from './fit.js';
