import type { Clock, Logger } from '../core/index.js';
import type { EmuRoute } from './http/types.js';

/** Options of {@link startEmulator}; every field has a documented default. */
export interface EmulatorOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** 0 = a random free port (default here; the CLI defaults to 9797). */
  port?: number;
  /** Seed of all generated data and randomness; default 1. */
  seed?: number;
  /** Activities per account at start; default 300. */
  activities?: number;
  /** Days of daily health data; default 90. */
  days?: number;
  /** Workouts per account; default 12. */
  workouts?: number;
  /** Last day with data, YYYY-MM-DD; default today (UTC) from the clock. */
  endDate?: string;
  latencyMs?: number;
  rateLimitRps?: number;
  fault5xx?: number;
  faultReset?: number;
  /** Lifetime of OAuth2/DI access tokens in seconds; default 86400. */
  tokenLifetimeSec?: number;
  /** OAuth1 consumer (garth's S3 consumer plays this role); see DEFAULT_CONSUMER. */
  consumerKey?: string;
  consumerSecret?: string;
  /** Serve HTTPS with a generated CA and route by Host (sso.D, connectapi.D, diauth.D, connect.D). */
  tls?: boolean;
  /** The domain played; default garmin.com (plain mode always plays garmin.com). */
  domain?: string;
  /** Generation A (HTML widget SSO); default on. */
  legacyWidget?: boolean;
  /** DI OAuth2 client ids accepted by diauth; default DEFAULT_DI_CLIENT_IDS. */
  diClientIds?: string[];
  clock?: Clock;
  logger?: Logger;
  /** Tests only: more routes (e.g. a Bearer-protected probe) served like Garmin's. */
  extraRoutes?: EmuRoute[];
}

export interface RunningEmulator {
  /** Plain mode: e.g. http://127.0.0.1:40123 (every Garmin host is served on it). */
  url: string;
  /** 'garmin.com' in plain mode. */
  domain: string;
  /** TLS mode: path of the generated CA certificate (PEM). */
  caPath?: string;
  /** TLS mode: the port, to build https://sso.<domain>:<port> URLs. */
  port: number;
  accounts: { email: string; password: string; mfa: boolean }[];
  /** Same as GET /__emulator/mfa-code?username= */
  lastMfaCode(email: string): string | undefined;
  /** Same as GET /__emulator/stats */
  stats(): EmulatorStats;
  /** Same as POST /__emulator/reset-stats */
  resetStats(): void;
  /** Same as GET /__emulator/faults */
  faults(): FaultKnobs;
  /** Same as POST /__emulator/faults */
  setFaults(f: Partial<FaultKnobs>): void;
  /** Same as POST /__emulator/activities; returns the new activity ids. */
  addActivities(email: string, count: number): number[];
  /**
   * Same as POST /__emulator/edit-activity: renames an activity and/or sets its description (in the
   * detail only, not in list summaries), moving its detail's lastUpdateDate.
   */
  editActivity(email: string | undefined, id: number, patch: { name?: string; description?: string }): boolean;
  /** Makes current access tokens expired (API answers 401). */
  expireTokens(email?: string): void;
  /** Next DI refresh → 400 invalid_grant; OAuth1 exchange → 401. */
  revokeRefreshTokens(email?: string): void;
  close(): Promise<void>;
}

export interface EmulatorStats {
  /** Garmin-facing requests (control API excluded). */
  total: number;
  /** Per route name (see each EmuRoute.name). */
  byEndpoint: Record<string, number>;
  /** Per HTTP status, plus "reset" for connections the emulator destroyed. */
  byStatus: Record<string, number>;
  /** Requests no real Garmin endpoint would answer (unknown path → 501). */
  violations: { method: string; path: string; reason: string }[];
  /** Credential POSTs to any login endpoint. */
  logins: number;
  /**
   * DI token requests by grant, client id and answer: `"<exchange|refresh> <client id> <status>"`,
   * e.g. `"refresh GARMIN_CONNECT_MOBILE_ANDROID_DI 200"` (which id a client used for what).
   */
  diTokens: Record<string, number>;
}

export interface FaultKnobs {
  /** Added delay before every Garmin-facing answer. */
  latencyMs: number;
  /** Requests per second over Garmin-facing routes; beyond it → 429. null = off. */
  rateLimitRps: number | null;
  rateLimitStyle: 'json' | 'cloudflare-html' | 'plain';
  retryAfterSec: number;
  /** Probability 0..1 of a 5xx answer. */
  fault5xx: number;
  /** Probability 0..1 of a destroyed connection. */
  faultReset: number;
  /** Probability 0..1 of a body cut short (Content-Length declared, fewer bytes sent). */
  faultTruncate: number;
  /** Lifetime of newly minted access tokens. */
  tokenLifetimeSec: number;
  /** Every Bearer call answers 401 "Token is not active". */
  tokenNotActive: boolean;
  /** SSO logins answer CAPTCHA_REQUIRED. */
  captchaRequired: boolean;
  /** SSO login endpoints answer 429. */
  loginRateLimited: boolean;
  /** These activities' FIT bytes are corrupted (the ZIP stays valid, the FIT CRC does not). */
  corruptFitIds: number[];
  /** DI client ids answered as rotated out (401 invalid_client), on top of those not accepted at all. */
  rejectDiClientIds: string[];
}
