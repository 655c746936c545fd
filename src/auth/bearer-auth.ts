import { AppError, type Clock } from '../core/index.js';
import type { AuthRepositories, SessionRow } from '../store/index.js';
import type { AccessTokens } from './access-token.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

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
 * A token that passed is remembered for less than the revocation bound (VerifiedTokenCache);
 * concurrent requests with a token not remembered share one check.
 */
export class BearerAuthenticator {
  private readonly cache: VerifiedTokenCache;
  private readonly inFlight = new Map<string, Promise<Principal>>();

  constructor(
    private readonly o: {
      repos: Pick<AuthRepositories, 'authTokens' | 'sessions'>;
      accessTokens: AccessTokens;
      clock: Clock;
      cache?: VerifiedTokenCache;
    },
  ) {
    this.cache = o.cache ?? new VerifiedTokenCache();
  }

  /** The caller's principal, recording the use (auth_tokens.last_used_at, sessions.last_used_at). */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const m = authorization ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization) : null;
    if (!m?.[1]) throw new AppError('UNAUTHENTICATED', 'Send an access token: Authorization: Bearer <token>.');
    const raw = m[1];
    const cached = this.cache.get(raw, this.o.clock.now());
    if (cached) return cached;
    const pending = this.inFlight.get(raw);
    if (pending) return pending;
    const check: Promise<Principal> = this.check(raw).finally(() => {
      if (this.inFlight.get(raw) === check) this.inFlight.delete(raw);
    });
    this.inFlight.set(raw, check);
    return check;
  }

  /** Forgets a session this process just revoked, so that its tokens are refused from the next request on. */
  forgetSession(sessionId: string): void {
    this.cache.forgetSession(sessionId);
    // A check under way may have read the session before the revocation: later requests do not
    // join it, and it is not remembered (see `revocations` in check).
    this.revocations++;
    this.inFlight.clear();
  }

  private revocations = 0;

  private async check(raw: string): Promise<Principal> {
    const claims = await this.o.accessTokens.verify(raw);
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
    const revocations = this.revocations;
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
    const principal = { userId: claims.sub, sessionId: claims.sid, tokenId: claims.jti, scope: claims.scope, mfa: claims.mfa };
    // Remembered from `now`, taken before the session was read, so the entry ends within the
    // bound of what was read; not remembered if this process revoked a session meanwhile.
    if (revocations === this.revocations) {
      this.cache.set(raw, { principal, checkedAt: now, tokenExpiresAt: token.expires_at, sessionExpiresAt: session.expires_at });
    }
    return principal;
  }
}

/** SESSION_REVOKED / SESSION_EXPIRED for a session that is no longer active. */
export function inactiveError(session: SessionRow, now: number): AppError {
  if (session.revoked_at !== null) return new AppError('SESSION_REVOKED', 'The session was revoked; log in again.');
  if (session.expires_at <= now) return new AppError('SESSION_EXPIRED', 'The session has expired; log in again.');
  return new AppError('TOKEN_INVALID');
}
