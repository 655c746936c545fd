import type { GarminConnect, GarminHealthApi, GarminProfile, GarminTokenSet, LoginOutcome, MfaState } from '../garmin/index.js';

export type { GarminProfile, GarminTokenSet, LoginOutcome, MfaState };

/**
 * The narrow part of the Garmin client that logins need (GarminAuth satisfies it structurally;
 * tests pass the real GarminAuth against the emulator). The login service never calls the Connect
 * API; the Connect clients that sync uses are built by the composition root and handed out by
 * AuthGarminGateway (garmin-gateway.ts).
 */
export interface GarminLoginPort {
  startLogin(creds: { username: string; password: string }, signal?: AbortSignal): Promise<LoginOutcome>;
  completeMfa(state: MfaState, code: string, signal?: AbortSignal): Promise<{ tokens: GarminTokenSet; profile: GarminProfile }>;
  /**
   * Validates tokens saved by another tool and returns them normalised: one socialProfile call,
   * preceded by a refresh when the access token is missing or expired (and one refresh plus
   * re-validation after a 401).
   */
  importTokens(input: unknown, signal?: AbortSignal): Promise<{ tokens: GarminTokenSet; profile: GarminProfile }>;
}

/**
 * The health methods of a Connect client that the gateway hands out: all of GarminHealthApi's
 * public methods, so a method added there does not compile until GuardedConnect decorates it.
 */
export type GarminHealthPort = { [K in keyof GarminHealthApi]: GarminHealthApi[K] };

/**
 * The Connect client of one user as AuthGarminGateway hands it out (GarminConnect satisfies it;
 * the gateway's GuardedConnect decorates exactly these methods). Sync's narrower
 * GarminConnectLike is a subset, checked where the composition root passes the gateway on.
 */
export type GarminConnectPort = Pick<
  GarminConnect,
  | 'getSocialProfile'
  | 'getUserSettings'
  | 'listActivities'
  | 'getActivity'
  | 'downloadActivityFit'
  | 'getDailySummary'
  | 'getDailyHeartRate'
  | 'getSleep'
  | 'getStress'
  | 'getHrv'
  | 'getWeightRange'
  | 'listWorkouts'
  | 'getWorkout'
  | 'getLastUsedDevice'
  | 'downloadWorkoutFit'
> & { readonly health: GarminHealthPort };
