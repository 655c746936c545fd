import type { GarminProfile, GarminTokenSet, LoginOutcome, MfaState } from '../garmin/index.js';

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
