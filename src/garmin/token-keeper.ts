/**
 * The token lifecycle of one account inside GarminConnect: tokens are loaded from the
 * GarminTokenStore, refreshed proactively before expiry and once after a 401, one refresh at a
 * time (single-flight), and a rotated refresh token is saved before the new access token is used.
 */
import { AppError, isAppError } from '../core/index.js';
import type { Clock, Logger } from '../core/index.js';
import type { GarminAuth } from './auth.js';
import { jwtClaims } from './jwt.js';
import type { GarminTokenSet, GarminTokenStore } from './types.js';

export interface TokenKeeperOptions {
  auth: GarminAuth;
  tokenStore: GarminTokenStore;
  clock: Clock;
  logger: Logger;
  /** Refresh this long before expiry (capped at half the token's lifetime). */
  marginMs: number;
}

export class TokenKeeper {
  private current: GarminTokenSet | null = null;
  private refreshing: Promise<GarminTokenSet> | null = null;

  constructor(private readonly opts: TokenKeeperOptions) {}

  /**
   * The refresh margin for a token: marginMs, but at most half the token's lifetime (JWT
   * iat→exp) so that short-lived tokens (an emulator with tokenLifetimeSec: 60) are not
   * refreshed on every call.
   */
  private marginFor(t: GarminTokenSet): number {
    const c = jwtClaims(t.accessToken);
    if (c && typeof c.iat === 'number' && typeof c.exp === 'number' && c.exp > c.iat)
      return Math.min(this.opts.marginMs, ((c.exp - c.iat) * 1000) / 2);
    return this.opts.marginMs;
  }

  private isFresh(t: GarminTokenSet): boolean {
    return t.accessToken !== '' && t.accessExpiresAt - this.marginFor(t) > this.opts.clock.now();
  }

  /** A usable token set: loaded on first use, refreshed when inside the margin. */
  async tokens(signal?: AbortSignal): Promise<GarminTokenSet> {
    if (!this.current) this.current = await this.opts.tokenStore.load();
    if (!this.current)
      throw new AppError('GARMIN_REAUTH_REQUIRED', 'There are no Garmin tokens for this account.', { reason: 'no tokens' });
    if (!this.isFresh(this.current)) return this.refreshOnce(this.current.accessToken, signal);
    return this.current;
  }

  /**
   * Single-flight refresh: concurrent callers share one upstream refresh. `staleAccessToken` is
   * the token the caller found wanting; if another refresh already replaced it, that result is used.
   */
  refreshOnce(staleAccessToken: string, signal?: AbortSignal): Promise<GarminTokenSet> {
    if (this.current && this.current.accessToken !== staleAccessToken && this.isFresh(this.current)) {
      return Promise.resolve(this.current);
    }
    if (!this.refreshing) {
      // Not tied to one caller's signal: a shared refresh must not die with the first caller.
      this.refreshing = this.doRefresh(staleAccessToken).finally(() => {
        this.refreshing = null;
      });
    }
    const shared = this.refreshing;
    if (!signal) return shared;
    return new Promise<GarminTokenSet>((resolve, reject) => {
      if (signal.aborted) return reject(new AppError('ABORTED'));
      const onAbort = () => reject(new AppError('ABORTED'));
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private doRefresh(staleAccessToken: string): Promise<GarminTokenSet> {
    const store = this.opts.tokenStore;
    return store.exclusive ? store.exclusive(() => this.refreshNow(staleAccessToken)) : this.refreshNow(staleAccessToken);
  }

  /** Runs inside the store's account lock when it has one (so the re-read below sees any other refresher's result). */
  private async refreshNow(staleAccessToken: string): Promise<GarminTokenSet> {
    // Another process sharing the store may have rotated already; its refresh token is the live one.
    const stored = await this.opts.tokenStore.load();
    if (stored && stored.accessToken !== staleAccessToken && this.isFresh(stored)) {
      this.current = stored;
      return stored;
    }
    const base = stored ?? this.current;
    if (!base) throw new AppError('GARMIN_REAUTH_REQUIRED', 'There are no Garmin tokens for this account.', { reason: 'no tokens' });
    const next = await this.opts.auth.refresh(base);
    // Persist first: if we crashed after using the new access token, the rotated refresh token would be lost.
    await this.opts.tokenStore.save(next);
    this.current = next;
    this.opts.logger.info({ kind: next.kind, expires_at: next.accessExpiresAt }, 'garmin: tokens refreshed');
    return next;
  }

  /** Runs `fn` with a fresh access token; on a 401 (GARMIN_TOKEN_REJECTED) refreshes once and runs it again. */
  async withToken<T>(signal: AbortSignal | undefined, fn: (accessToken: string) => Promise<T>): Promise<T> {
    const tokens = await this.tokens(signal);
    try {
      return await fn(tokens.accessToken);
    } catch (e) {
      if (!isAppError(e, 'GARMIN_TOKEN_REJECTED')) throw e;
      this.opts.logger.info({ endpoint: e.details.endpoint }, 'garmin: access token rejected, refreshing once');
      const fresh = await this.refreshOnce(tokens.accessToken, signal);
      return fn(fresh.accessToken);
    }
  }
}
