import type { SessionInfo as SessionResponse } from './auth.types.js';
import {
  fromFlag,
  type AuthTokenRow,
  type GarminAccountRow,
  type GarminCircuitRow,
  type SessionRow,
  type UserRow,
} from '../store/index.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null => (ms == null ? null : iso(ms));

/** Renders the stored session, token, Garmin account and circuit as the contract's SessionResponse. */
export function toSessionResponse(x: {
  session: SessionRow;
  token: AuthTokenRow;
  account: GarminAccountRow | undefined;
  circuit: GarminCircuitRow | undefined;
  user: UserRow;
  now: number;
}): SessionResponse {
  const { session, token, account, circuit, user, now } = x;
  const status = session.revoked_at !== null ? 'revoked' : session.expires_at <= now ? 'expired' : 'active';
  const circuitOpen = circuit?.open_until != null && circuit.open_until > now ? circuit.open_until : null;
  return {
    session: {
      session_id: session.session_id,
      user_id: session.user_id,
      expires_at: iso(session.expires_at),
      absolute_expires_at: iso(session.absolute_expires_at),
      mfa_enabled: fromFlag(session.mfa_enabled),
      created_at: iso(session.created_at),
      last_used_at: isoOrNull(session.last_used_at),
      revoked_at: isoOrNull(session.revoked_at),
      status,
      account: { username: user.garmin_username, display_name: user.display_name },
      garmin: {
        status: account?.status === 'connected' && account.tokens_enc ? 'connected' : 'reauth_required',
        access_expires_at: isoOrNull(account?.access_expires_at),
        circuit_open_until: isoOrNull(circuitOpen),
        last_error: account?.last_error ?? null,
      },
    },
    token: {
      token_id: token.token_id,
      user_id: token.user_id,
      session_id: token.session_id,
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.floor((token.expires_at - now) / 1000)),
      expires_at: iso(token.expires_at),
      scope: token.scope,
      created_at: iso(token.created_at),
      last_used_at: isoOrNull(token.last_used_at),
      mfa_verified: fromFlag(token.mfa_verified),
    },
  };
}
