import { AppError, type Clock } from '../core/index.js';
import type { AuthRepositories, SessionRow } from '../store/index.js';
import type { AccessTokens } from './access-token.js';

/** How finely auth_tokens.last_used_at and sessions.last_used_at follow use. */
const LAST_USED_RESOLUTION_MS = 1000;

/** The identity behind a verified access token. */
export interface Principal {
  userId: string;
  sessionId: string;
  tokenId: string;
  scope: string;
  mfa: boolean;
}

/**
 * Checks `Authorization: Bearer …` on every request: the JWT itself (signature, alg, iss, aud,
 * exp), then the token row it names — same user, session and expiry — and that row's session.
 */
export class BearerAuthenticator {
  constructor(private readonly o: { repos: Pick<AuthRepositories, 'authTokens' | 'sessions'>; accessTokens: AccessTokens; clock: Clock }) {}

  /** The caller's principal, recording the use (auth_tokens.last_used_at, sessions.last_used_at). */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const m = authorization ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization) : null;
    if (!m?.[1]) throw new AppError('UNAUTHENTICATED', 'Send an access token: Authorization: Bearer <token>.');
    const claims = await this.o.accessTokens.verify(m[1]);
    const { authTokens, sessions } = this.o.repos;
    const token = await authTokens.findById(claims.jti);
    if (!token || token.session_id !== claims.sid || token.user_id !== claims.sub) {
      throw new AppError('TOKEN_INVALID', 'The access token is not known.');
    }
    const now = this.o.clock.now();
    // The row keeps the expiry we issued: a token whose `exp` says otherwise was not issued by
    // us as it stands (e.g. signed with a leaked key to live longer), and the row's expiry holds.
    if (token.expires_at !== claims.exp * 1000) throw new AppError('TOKEN_INVALID', 'The access token is not known.');
    if (token.expires_at <= now) throw new AppError('TOKEN_INVALID', 'The access token has expired.', { reason: 'expired' });
    const session = await sessions.findById(claims.sid);
    if (!session) throw new AppError('TOKEN_INVALID', 'The access token is not known.');
    if (session.revoked_at !== null || session.expires_at <= now) throw inactiveError(session, now);
    // last_used_at is kept to the second: a client polling many times a second would otherwise
    // cost two database writes per request (bench row 5) for no information.
    if (token.last_used_at === null || now - token.last_used_at >= LAST_USED_RESOLUTION_MS) {
      await authTokens.touch(token.token_id, now);
    }
    if (session.last_used_at === null || now - session.last_used_at >= LAST_USED_RESOLUTION_MS) {
      await sessions.touch(session.session_id, now);
    }
    return { userId: claims.sub, sessionId: claims.sid, tokenId: claims.jti, scope: claims.scope, mfa: claims.mfa };
  }
}

/** SESSION_REVOKED / SESSION_EXPIRED for a session that is no longer active. */
export function inactiveError(session: SessionRow, now: number): AppError {
  if (session.revoked_at !== null) return new AppError('SESSION_REVOKED', 'The session was revoked; log in again.');
  if (session.expires_at <= now) return new AppError('SESSION_EXPIRED', 'The session has expired; log in again.');
  return new AppError('TOKEN_INVALID');
}
