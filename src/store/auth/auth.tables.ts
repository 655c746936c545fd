/**
 * Kysely table types of the auth tables (issue 4, design.md §3–§4). Merged into the store's
 * `Database` interface as `SyncTables & AuthTables`.
 *
 * Conventions shared with the sync tables so that SQLite and PostgreSQL behave alike:
 * - ids are text UUIDs;
 * - timestamps are integer epoch milliseconds (`bigint` in PostgreSQL — the store's database.ts
 *   installs a pg type parser so they arrive as JS numbers);
 * - booleans are integers 0/1, because better-sqlite3 cannot bind JS booleans;
 * - secrets are never stored in the clear: refresh tokens as sha256 hex, Garmin tokens and the
 *   pending MFA login state as AES-256-GCM envelopes (see src/auth/crypto).
 */

/** One person of the service, identified by their Garmin account e-mail (lower-cased). */
export interface UsersTable {
  user_id: string;
  garmin_username: string;
  display_name: string | null;
  garmin_profile_id: number | null;
  created_at: number;
  updated_at: number;
}

/** A user's Garmin credentials (encrypted) and their health, 1→1 with users. */
export interface GarminAccountsTable {
  user_id: string;
  /** AES-256-GCM envelope of the JSON GarminTokenSet. Never logged, never sent to clients. */
  tokens_enc: string | null;
  token_kind: string | null;
  /** Garmin access token expiry (epoch ms), shown in the session view. */
  access_expires_at: number | null;
  /** 'connected' | 'reauth_required' (Garmin refused the refresh: a new `auth login` is needed). */
  status: string;
  last_error: string | null;
  /** Bumped on every token write: lets concurrent refreshers detect that someone else rotated. */
  token_version: number;
  updated_at: number;
}

/** The seed's User Session. */
export interface SessionsTable {
  session_id: string;
  user_id: string;
  /** sha256 (hex) of the current refresh token; the raw token only ever exists at the client. */
  refresh_token_hash: string;
  /**
   * When the session ends if it is not used: each refresh moves it to now + the idle window
   * (default 30 days), never past `absolute_expires_at`. Refresh tokens die with it.
   */
  expires_at: number;
  /** The hard end of the session (created_at + the maximum lifetime, default 365 days; 008). */
  absolute_expires_at: number;
  /** The refresh-token hash rotated away last, accepted again within the grace window (008). */
  previous_token_hash: string | null;
  /** When `previous_token_hash` was rotated away (epoch ms). */
  rotated_at: number | null;
  mfa_enabled: number;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  revoke_reason: string | null;
}

/** Refresh tokens that were rotated away; presenting one again revokes the session (RFC 9700). */
export interface RotatedRefreshTokensTable {
  token_hash: string;
  session_id: string;
  rotated_at: number;
}

/** The seed's Authentication Token: one row per issued access token (JWT `jti`). */
export interface AuthTokensTable {
  token_id: string;
  user_id: string;
  session_id: string;
  token_type: string;
  expires_in: number;
  expires_at: number;
  scope: string;
  created_at: number;
  last_used_at: number | null;
  mfa_verified: number;
}

/** A Garmin login waiting for its MFA code; the Garmin login state is stored encrypted. */
export interface MfaChallengesTable {
  challenge_id: string;
  garmin_username: string;
  state_enc: string;
  mfa_method: string;
  attempts_left: number;
  expires_at: number;
  created_at: number;
  consumed_at: number | null;
}

/** Fixed-window counters for login/MFA rate limits; in the DB so they hold across processes. */
export interface AuthRateCountersTable {
  counter_key: string;
  window_start: number;
  count: number;
}

/** Per-Garmin-account circuit breaker after Garmin 429s at login (growing cool-down). */
export interface GarminCircuitsTable {
  garmin_username: string;
  failures: number;
  open_until: number | null;
  last_failure_at: number | null;
}

export interface AuthTables {
  users: UsersTable;
  garmin_accounts: GarminAccountsTable;
  sessions: SessionsTable;
  rotated_refresh_tokens: RotatedRefreshTokensTable;
  auth_tokens: AuthTokensTable;
  mfa_challenges: MfaChallengesTable;
  auth_rate_counters: AuthRateCountersTable;
  garmin_circuits: GarminCircuitsTable;
}
