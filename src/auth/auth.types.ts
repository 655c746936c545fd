/**
 * What the auth service returns. The auth room may not import the wire contract (design.md §2),
 * so these mirror src/contract/auth.ts field for field (snake_case, ISO timestamps); the server's
 * route types check the two stay identical.
 */
export interface IssuedTokens {
  status: 'authenticated';
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  expires_at: string;
  refresh_expires_at: string;
  session_absolute_expires_at: string;
  scope: string;
  session_id: string;
  user_id: string;
  mfa_verified: boolean;
  account: AccountName;
}

/** The Garmin account of a session: its e-mail and display name (contract GarminAccountName). */
export interface AccountName {
  username: string;
  display_name: string | null;
}

export interface MfaChallengeIssued {
  status: 'mfa_required';
  challenge_id: string;
  mfa_method: string;
  expires_at: string;
  attempts_left: number;
}

export type LoginResult = IssuedTokens | MfaChallengeIssued;

export interface TokensImported {
  status: 'imported';
  user_id: string;
  display_name: string | null;
  garmin_access_expires_at: string | null;
}

export interface SessionInfo {
  session: {
    session_id: string;
    user_id: string;
    expires_at: string;
    absolute_expires_at: string;
    mfa_enabled: boolean;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
    status: 'active' | 'expired' | 'revoked';
    account: AccountName;
    garmin: {
      status: 'connected' | 'reauth_required';
      access_expires_at: string | null;
      circuit_open_until: string | null;
      last_error: string | null;
    };
  };
  token: {
    token_id: string;
    user_id: string;
    session_id: string;
    token_type: 'Bearer';
    expires_in: number;
    expires_at: string;
    scope: string;
    created_at: string;
    last_used_at: string | null;
    mfa_verified: boolean;
  };
}
