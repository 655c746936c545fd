import { AppError, type Clock, type Logger, type Random } from '../core/index.js';
import type { SessionsRepository, UsersRepository } from '../store/index.js';
import type { IssuedTokens } from './auth.types.js';
import { inactiveError } from './bearer-auth.js';
import { hashToken, newRefreshToken } from './refresh-token.js';
import type { TokenIssuer } from './token-issuer.js';

const DAY = 24 * 60 * 60_000;

/**
 * How long our sessions live (issue 15, issue 12.4). A session slides: each refresh moves its end
 * to now + `idleMs`, never past created + `maxMs`. `graceMs`: how long the refresh token rotated
 * away last may be presented again (its answer was lost on the wire) and get a fresh pair.
 */
export interface SessionLifetime {
  idleMs: number;
  maxMs: number;
  graceMs: number;
}

export const DEFAULT_SESSION_LIFETIME: SessionLifetime = { idleMs: 30 * DAY, maxMs: 365 * DAY, graceMs: 30_000 };

/** The end dates of a session created at `now`. */
export function sessionEnds(lifetime: SessionLifetime, now: number): { expires_at: number; absolute_expires_at: number } {
  const absolute = now + lifetime.maxMs;
  return { expires_at: Math.min(now + lifetime.idleMs, absolute), absolute_expires_at: absolute };
}

/**
 * Rotates a refresh token and slides the session. A rotated-away token presented again outside
 * the grace window revokes the whole session (RFC 9700 §4.14 reuse detection); inside it the
 * client gets a fresh pair (issue 12.4: one lost answer must not log the user out).
 */
export async function refreshSession(
  o: {
    sessions: SessionsRepository;
    users: UsersRepository;
    issuer: TokenIssuer;
    lifetime: SessionLifetime;
    clock: Clock;
    random: Random;
    logger: Logger;
    /** Told of a session this refresh revoked (this process then refuses its tokens at once). */
    revoked?: (sessionId: string) => void;
  },
  refreshToken: string,
): Promise<IssuedTokens> {
  const now = o.clock.now();
  const next = newRefreshToken(o.random);
  const r = await o.sessions.rotate(hashToken(refreshToken), hashToken(next), now, {
    idleMs: o.lifetime.idleMs,
    graceMs: o.lifetime.graceMs,
  });
  if (r.kind === 'unknown') throw new AppError('REFRESH_TOKEN_INVALID', 'The refresh token is not valid; log in again.');
  if (r.kind === 'reused') {
    await o.sessions.revoke(r.sessionId, 'refresh_token_reuse', now);
    o.revoked?.(r.sessionId);
    o.logger.warn({ session_id: r.sessionId }, 'refresh token reuse detected; session revoked');
    throw new AppError('REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session was revoked. Log in again.');
  }
  if (r.kind === 'inactive') throw inactiveError(r.session, now);
  if (r.grace)
    o.logger.info({ session_id: r.session.session_id }, 'refresh token presented again within the grace window; new pair issued');
  const user = await o.users.findById(r.session.user_id);
  if (!user) throw new AppError('REFRESH_TOKEN_INVALID', 'The refresh token is not valid; log in again.');
  return o.issuer.issue(r.session, next, { username: user.garmin_username, display_name: user.display_name });
}
