import { Type, type Static } from 'typebox';
import { NullableTimestamp, Timestamp } from './common.js';

/** POST /auth/login. The password is only ever sent here and never stored by the service. */
export const LoginRequest = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 254, description: 'Garmin account e-mail' }),
    password: Type.String({ minLength: 1, maxLength: 1024, writeOnly: true }),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

/** The Garmin account a session belongs to, as the service knows it (shown by the CLI). */
export const GarminAccountName = Type.Object({
  username: Type.String({ description: 'the Garmin e-mail the account logged in with (lower-cased)' }),
  display_name: Type.Union([Type.String(), Type.Null()], { description: "Garmin's display name, when known" }),
});
export type GarminAccountName = Static<typeof GarminAccountName>;

/** The service's own tokens, issued after a successful login, MFA step or refresh. */
export const TokenResponse = Type.Object({
  status: Type.Literal('authenticated'),
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'access token lifetime in seconds' }),
  expires_at: Timestamp,
  refresh_expires_at: Timestamp,
  session_absolute_expires_at: Type.String({
    format: 'date-time',
    description: 'the session ends here at the latest, however often it is refreshed',
  }),
  scope: Type.String(),
  session_id: Type.String(),
  user_id: Type.String(),
  mfa_verified: Type.Boolean(),
  account: GarminAccountName,
});
export type TokenResponse = Static<typeof TokenResponse>;

/** Garmin asked for a second factor: finish with POST /auth/mfa. */
export const MfaRequiredResponse = Type.Object({
  status: Type.Literal('mfa_required'),
  challenge_id: Type.String(),
  mfa_method: Type.String({ description: 'email or sms' }),
  expires_at: Timestamp,
  attempts_left: Type.Integer(),
});
export type MfaRequiredResponse = Static<typeof MfaRequiredResponse>;

export const LoginResponse = Type.Union([TokenResponse, MfaRequiredResponse]);
export type LoginResponse = Static<typeof LoginResponse>;

export const MfaRequest = Type.Object(
  {
    challenge_id: Type.String({ minLength: 1, maxLength: 128 }),
    code: Type.String({ pattern: '^\\d{4,10}$' }),
  },
  { additionalProperties: false },
);
export type MfaRequest = Static<typeof MfaRequest>;

export const RefreshRequest = Type.Object(
  { refresh_token: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);
export type RefreshRequest = Static<typeof RefreshRequest>;

/** The seed's User Session, as shown (no secrets: the refresh token is stored only hashed). */
export const SessionView = Type.Object({
  session_id: Type.String(),
  user_id: Type.String(),
  expires_at: Type.String({
    format: 'date-time',
    description: 'the session ends here unless it is refreshed before (each refresh moves it by the idle window)',
  }),
  absolute_expires_at: Type.String({ format: 'date-time', description: 'the session ends here at the latest (maximum lifetime)' }),
  mfa_enabled: Type.Boolean(),
  created_at: Timestamp,
  last_used_at: NullableTimestamp,
  revoked_at: NullableTimestamp,
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  account: GarminAccountName,
  garmin: Type.Object({
    status: Type.Union([Type.Literal('connected'), Type.Literal('reauth_required')], {
      description: 'reauth_required: Garmin refused to refresh its tokens; syncs and schedules wait for the next `auth login`',
    }),
    access_expires_at: NullableTimestamp,
    circuit_open_until: NullableTimestamp,
    last_error: Type.Union([Type.String(), Type.Null()]),
  }),
});
export type SessionView = Static<typeof SessionView>;

/** The seed's Authentication Token, as shown (never the token value itself). */
export const AuthTokenView = Type.Object({
  token_id: Type.String(),
  user_id: Type.String(),
  session_id: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'seconds left until the access token expires' }),
  expires_at: Timestamp,
  scope: Type.String(),
  created_at: Timestamp,
  last_used_at: NullableTimestamp,
  mfa_verified: Type.Boolean(),
});
export type AuthTokenView = Static<typeof AuthTokenView>;

export const SessionResponse = Type.Object({ session: SessionView, token: AuthTokenView });
export type SessionResponse = Static<typeof SessionResponse>;

/**
 * POST /auth/import: Garmin tokens saved by another tool (garth directory files, garth's base64
 * `dumps()` string, python-garminconnect's garmin_tokens.json, a DI refresh token). With a Bearer
 * token they replace the caller's Garmin tokens; without one, `username` names the account and
 * the answer is a new session, like a login.
 */
export const ImportTokensRequest = Type.Object(
  {
    format: Type.Optional(Type.String({ maxLength: 64, description: 'what the client recognised (informational)' })),
    username: Type.Optional(
      Type.String({ minLength: 3, maxLength: 254, description: 'Garmin account e-mail (required without a Bearer token)' }),
    ),
    tokens: Type.Unknown({ writeOnly: true }),
  },
  { additionalProperties: false },
);
export type ImportTokensRequest = Static<typeof ImportTokensRequest>;

/** Tokens imported into the caller's existing session. */
export const ImportedResponse = Type.Object({
  status: Type.Literal('imported'),
  user_id: Type.String(),
  display_name: Type.Union([Type.String(), Type.Null()]),
  garmin_access_expires_at: NullableTimestamp,
});
export type ImportedResponse = Static<typeof ImportedResponse>;

export const ImportTokensResponse = Type.Union([TokenResponse, ImportedResponse]);
export type ImportTokensResponse = Static<typeof ImportTokensResponse>;
