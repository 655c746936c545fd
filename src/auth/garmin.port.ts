import type { GarminProfile, GarminTokenSet, LoginOutcome, MfaState } from '../garmin/index.js';

export type { GarminProfile, GarminTokenSet, LoginOutcome, MfaState };

/**
 * The narrow part of the Garmin client that logins need (GarminAuth satisfies it). Auth never
 * sees the Connect API; a fake implements this in unit tests.
 */
export interface GarminLoginPort {
  startLogin(creds: { username: string; password: string }, signal?: AbortSignal): Promise<LoginOutcome>;
  completeMfa(state: MfaState, code: string, signal?: AbortSignal): Promise<{ tokens: GarminTokenSet; profile: GarminProfile }>;
  /** Validates tokens saved by another tool (one Garmin API call) and returns them normalised. */
  importTokens(input: unknown, signal?: AbortSignal): Promise<{ tokens: GarminTokenSet; profile: GarminProfile }>;
}
