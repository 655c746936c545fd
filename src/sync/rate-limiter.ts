import { type Clock } from '../core/index.js';

/** The shape GarminConnect awaits before every upstream request (garmin's RequestLimiter). */
export interface RequestLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
}

/**
 * One Garmin account's budget as the engine sees it: the client awaits `acquire` before every
 * request; the engine pauses the account after a 429 and waits out a pause between items.
 * In-process ({@link AccountLimiter}) or shared by all processes through the database
 * (SharedAccountLimiter).
 */
export interface AccountRateLimiter extends RequestLimiter {
  /** Pauses the account for `ms` from now (a longer existing pause wins). */
  pause(ms: number): void | Promise<void>;
  /** Epoch ms until which the account is known to be paused (0 or past: not paused). */
  readonly pausedUntil: number;
  /** Resolves once the account is no longer paused (does not take a token). */
  waitWhilePaused(signal?: AbortSignal): Promise<void>;
}

/** Hands out the limiter of an account (keyed by our user id). */
export interface AccountLimiterRegistry {
  forAccount(accountKey: string): AccountRateLimiter;
}

export interface TokenBucketOptions {
  clock: Clock;
  /** Sustained requests per second (default 5). */
  ratePerSec?: number;
  /** Bucket size: requests allowed in a burst (default 10). */
  burst?: number;
}

/**
 * A token bucket for one Garmin account, shared by every job of that account, plus a pause
 * switch: after a 429 the whole account waits until Retry-After (or a long default) before any
 * further request. Pure arithmetic over the injected clock; waits via `clock.sleep`.
 */
export class AccountLimiter implements AccountRateLimiter {
  private tokens: number;
  private last: number;
  private paused = 0;
  private readonly rate: number;
  private readonly burst: number;
  /** Serialises waiters so tokens are handed out in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: TokenBucketOptions) {
    this.rate = o.ratePerSec ?? 5;
    this.burst = o.burst ?? 10;
    this.tokens = this.burst;
    this.last = o.clock.now();
  }

  /** Waits for the pause to end and for a token, then takes it. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(signal));
    // A waiter that aborts must not block the ones behind it.
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** Pauses the account for `ms` from now (a longer existing pause wins). */
  pause(ms: number): void {
    this.paused = Math.max(this.paused, this.o.clock.now() + Math.max(0, ms));
  }

  /** Epoch ms until which the account is paused (0 or past: not paused). */
  get pausedUntil(): number {
    return this.paused;
  }

  /** Resolves once the account is no longer paused (does not take a token). */
  async waitWhilePaused(signal?: AbortSignal): Promise<void> {
    for (let wait = this.paused - this.o.clock.now(); wait > 0; wait = this.paused - this.o.clock.now()) {
      await this.o.clock.sleep(wait, signal);
    }
  }

  private async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      await this.waitWhilePaused(signal);
      const now = this.o.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.o.clock.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000), signal);
    }
  }
}

/**
 * One {@link AccountLimiter} per Garmin account (keyed by our user id), created on first use.
 * The composition root hands `forAccount(userId)` to that user's GarminConnect and the same
 * registry to the WorkerPool, so the client's budget and the engine's 429 pause are one.
 */
export class AccountLimiters implements AccountLimiterRegistry {
  private readonly byAccount = new Map<string, AccountLimiter>();

  constructor(private readonly o: TokenBucketOptions) {}

  forAccount(accountKey: string): AccountLimiter {
    let l = this.byAccount.get(accountKey);
    if (!l) {
      l = new AccountLimiter(this.o);
      this.byAccount.set(accountKey, l);
    }
    return l;
  }
}
