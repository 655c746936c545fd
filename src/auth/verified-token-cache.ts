import type { Principal } from './bearer-auth.js';

/**
 * The documented revocation bound (docs/security.md): a session revoked by another process (a
 * logout or a refresh-token replay answered there, on the same database) is refused by this
 * process at the latest this long after the revocation. The process that revokes forgets the
 * session at once.
 */
export const REVOCATION_BOUND_MS = 1000;

/** Most access tokens remembered at once; the oldest entry is dropped first. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/** A token the full check accepted, and until when that check may be reused. */
export interface VerifiedToken {
  principal: Principal;
  /** When the full check ran (clock ms): the entry is reused for less than the bound after it. */
  checkedAt: number;
  /** The token row's expiry and the session's end as read then (a session's end only moves later). */
  tokenExpiresAt: number;
  sessionExpiresAt: number;
}

/**
 * Access tokens that passed the full check (signature, token row, live session), keyed by the
 * exact token string, so that a client polling many times a second costs one database check per
 * token per bound instead of one per request. An entry is never used at or past
 * `checkedAt + ttlMs`, nor at or past the token's or the session's end; `ttlMs` is at most the
 * revocation bound. Refusals are never remembered.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();
  readonly ttlMs: number;
  readonly maxEntries: number;

  constructor(o: { ttlMs?: number; maxEntries?: number } = {}) {
    this.ttlMs = Math.min(o.ttlMs ?? REVOCATION_BOUND_MS, REVOCATION_BOUND_MS);
    this.maxEntries = o.maxEntries ?? VERIFIED_TOKEN_CACHE_SIZE;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The principal of a token checked less than `ttlMs` ago whose token and session are still alive at `now`. */
  get(token: string, now: number): Principal | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    // `now < checkedAt` (a clock set back) is treated as stale too: the age would be unknown.
    if (now < e.checkedAt || now - e.checkedAt >= this.ttlMs || now >= e.tokenExpiresAt || now >= e.sessionExpiresAt) {
      this.entries.delete(token);
      return undefined;
    }
    return e.principal;
  }

  /** Remembers a token that just passed the full check. */
  set(token: string, entry: VerifiedToken): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(token);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(token, entry);
  }

  /** Forgets every token of a session (this process revoked it). */
  forgetSession(sessionId: string): void {
    for (const [token, e] of this.entries) if (e.principal.sessionId === sessionId) this.entries.delete(token);
  }
}
