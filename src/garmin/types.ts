/**
 * The Garmin client's public data types: the contract between this room and the service
 * (auth/ and sync/ code against these through src/garmin/index.ts).
 */

/** JSON-serialisable Garmin credentials (store it encrypted; never log it). */
export interface GarminTokenSet {
  kind: 'di' | 'oauth1';
  accessToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  /** DI refresh token (rotates) or OAuth2 refresh token (unused by Garmin's OAuth1 world). */
  refreshToken: string | null;
  /** Epoch ms. */
  refreshExpiresAt: number | null;
  /** DI client id the tokens were minted for. */
  clientId?: string;
  oauth1?: { token: string; secret: string; mfaToken?: string | null; mfaExpiresAt?: string | null };
}

export interface GarminProfile {
  displayName: string;
  profileId: number;
  userName: string;
  fullName: string | null;
  garminGUID: string | null;
}

/** Serialisable state of a login waiting for its MFA code (cookie jar, strategy, service URL, method, …). */
export type MfaState = { v: 1 } & Record<string, unknown>;

export type LoginOutcome =
  { status: 'authenticated'; tokens: GarminTokenSet; profile: GarminProfile } | { status: 'mfa_required'; state: MfaState; method: string };

/** Persistence port: the client persists a rotated refresh token through this BEFORE using the new access token. */
export interface GarminTokenStore {
  load(): Promise<GarminTokenSet | null>;
  save(tokens: GarminTokenSet): Promise<void>;
  /**
   * Runs a refresh as the only refresher of this account (across processes when the store is
   * shared); the client re-reads the tokens inside and skips refreshing when another holder did.
   */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Optional per-account request budget (token bucket) awaited before every upstream request. With
 * `pause`, a rate-limited GET pauses the account (every later `acquire` waits it out) and is
 * re-sent per the retry policy; without it a 429 surfaces at once as GARMIN_RATE_LIMITED.
 */
export interface RequestLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
  pause?(ms: number): void | Promise<void>;
}

export interface GarminActivitySummary {
  activityId: number;
  activityName: string | null;
  startTimeGMT: string;
  activityType: { typeKey: string };
  duration?: number | null;
  distance?: number | null;
  calories?: number | null;
  averageHR?: number | null;
  raw: Record<string, unknown>;
}

export interface GarminWorkoutSummary {
  workoutId: number;
  workoutName: string | null;
  sportType?: { sportTypeKey: string } | null;
  updatedDate?: string | null;
  raw: Record<string, unknown>;
}
