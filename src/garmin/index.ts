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
export { fitInspector, type FitFacts } from './fit-inspect.js';
export { DEFAULT_RETRY_POLICY, retryPolicy, worstCaseRequestsPerCall } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { GarminAuth } from './auth.js';
export type { GarminAuthOptions } from './auth.js';
export { GarminConnect } from './connect.js';
export type { GarminLastUsedDevice } from './last-used-device.js';
export { GarminHealthApi } from './health-api.js';
export type { GarminConnectOptions } from './connect.js';
export { DEFAULT_STRATEGIES } from './strategies.js';
export { DI_CLIENT_IDS } from './di-token.js';
export { DEFAULT_CONSUMER } from './oauth1-exchange.js';
export { parseTokenImport } from './token-import.js';
export type { ParsedTokenImport } from './token-import.js';
