import { AppError, isAppError, type Clock } from '../../core/index.js';
import type { TokenResponse } from '../../contract/index.js';
import type { CredentialStore, Credentials } from '../credentials/credential-store.js';
import { sendJson, type HttpOptions } from './http.js';

/** The one sentence a person sees when the session cannot be saved by a refresh (exit 4). */
export const SESSION_EXPIRED_SENTENCE = 'Your session has expired; run `garminsync auth login`.';

/** Refresh up to this long before the access token's expiry, so a request never races the clock. */
const REFRESH_AHEAD_MS = 60_000;

/** Problem codes that mean "this refresh token will never work again". */
const DEAD_SESSION_CODES = new Set([
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_REUSED',
  'SESSION_EXPIRED',
  'SESSION_REVOKED',
  'UNAUTHENTICATED',
  'TOKEN_INVALID',
  'LOGIN_REQUIRED',
  'VALIDATION_FAILED',
]);

/** Builds what the store keeps from the service's token answer. */
export function credentialsFrom(server: string, username: string | null, t: TokenResponse, nowMs: number): Credentials {
  return {
    server,
    username,
    session_id: t.session_id,
    user_id: t.user_id,
    access_token: t.access_token,
    refresh_token: t.refresh_token,
    token_type: 'Bearer',
    scope: t.scope,
    expires_at: t.expires_at,
    refresh_expires_at: t.refresh_expires_at,
    session_absolute_expires_at: t.session_absolute_expires_at,
    mfa_verified: t.mfa_verified,
    saved_at: new Date(nowMs).toISOString(),
  };
}

export interface SessionOptions {
  http: HttpOptions;
  store: CredentialStore;
  clock: Clock;
}

/**
 * The CLI side of FR-008: hands out a valid access token, refreshing it ahead of expiry and once
 * after a 401. Refreshes are serialised across processes by the store's lock and the file is
 * re-read inside it, so ten processes with one expired token cause exactly one refresh.
 */
export class Session {
  constructor(private readonly opts: SessionOptions) {}

  /** The stored credentials, or LOGIN_REQUIRED when there are none. */
  async current(): Promise<Credentials> {
    const creds = await this.opts.store.load();
    if (!creds) {
      throw new AppError('LOGIN_REQUIRED', `You are not logged in to ${this.opts.http.baseUrl}; run \`garminsync auth login\`.`);
    }
    return creds;
  }

  /** A usable access token, refreshed first when it expires within a minute. */
  async accessToken(): Promise<string> {
    const creds = await this.current();
    if (this.fresh(creds)) return creds.access_token;
    return (await this.refresh(creds.access_token)).access_token;
  }

  /**
   * Refreshes under the lock. `staleAccessToken` is the token the caller found unusable: when the
   * file holds a different, fresh one, another process refreshed first and we use its tokens.
   * `force` refreshes even when the stored token looks fresh (`auth refresh`).
   */
  async refresh(staleAccessToken?: string, force = false): Promise<Credentials> {
    return this.opts.store.withLock(async () => {
      const creds = await this.current();
      const now = this.opts.clock.now();
      // Another process refreshed while we waited for the lock: its token is ours too.
      if (!force && creds.access_token !== staleAccessToken && Date.parse(creds.expires_at) > now) return creds;
      if (Date.parse(creds.refresh_expires_at) <= now) throw sessionExpired();
      let answer: TokenResponse;
      try {
        answer = await sendJson<TokenResponse>(this.opts.http, 'POST', '/auth/refresh', {
          body: { refresh_token: creds.refresh_token },
        });
      } catch (e) {
        // The credentials stay on disk: a person may still want `auth status`, and a lost race
        // must never destroy a session another process just saved.
        if (isAppError(e) && (DEAD_SESSION_CODES.has(e.code) || e.details.status === 401)) throw sessionExpired(e);
        throw e;
      }
      const next = credentialsFrom(creds.server, answer.account?.username ?? creds.username, answer, this.opts.clock.now());
      await this.opts.store.save(next);
      return next;
    });
  }

  /** Fresh: further from expiry than a minute, or than a tenth of its lifetime when that is shorter. */
  private fresh(creds: Credentials): boolean {
    const expires = Date.parse(creds.expires_at);
    const lifetime = expires - Date.parse(creds.saved_at);
    const margin = Number.isFinite(lifetime) && lifetime > 0 ? Math.min(REFRESH_AHEAD_MS, Math.floor(lifetime / 10)) : REFRESH_AHEAD_MS;
    return expires - this.opts.clock.now() > margin;
  }
}

export function sessionExpired(cause?: unknown): AppError {
  return new AppError('LOGIN_REQUIRED', SESSION_EXPIRED_SENTENCE, {}, { cause });
}
