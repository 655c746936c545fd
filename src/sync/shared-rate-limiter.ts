import { silentLogger, type Clock, type Logger } from '../core/index.js';
import type { BudgetPolicy, RateBudgetRepository } from '../store/index.js';
import type { AccountLimiterRegistry, AccountRateLimiter } from './rate-limiter.js';

export interface SharedLimiterOptions {
  budgets: RateBudgetRepository;
  clock: Clock;
  logger?: Logger;
  /** Sustained requests per second per account, all processes together (default 5). */
  ratePerSec?: number;
  /** Burst size (default 10). */
  burst?: number;
}

/**
 * An account's request budget kept in the database (store's RateBudgetRepository), so that every
 * API and worker process draws from ONE bucket per Garmin account and a 429 seen by one process
 * pauses the account for all of them. Each `acquire` is one atomic statement; the pause is cached
 * locally from every answer, so the engine's synchronous `pausedUntil` check costs nothing.
 */
export class SharedAccountLimiter implements AccountRateLimiter {
  private cachedPause = 0;

  constructor(
    private readonly key: string,
    private readonly policy: BudgetPolicy,
    private readonly o: SharedLimiterOptions,
    private readonly logger: Logger,
  ) {}

  /** Waits out a pause (any process's), then reserves a token and waits for its slot. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.o.clock.now();
      const took = await this.o.budgets.take(this.key, now, this.policy);
      this.cachedPause = took.pausedUntil;
      if (took.pausedUntil > now) {
        await this.o.clock.sleep(took.pausedUntil - now, signal);
        continue;
      }
      if (took.tokens < 0) await this.o.clock.sleep(Math.ceil((-took.tokens / this.policy.ratePerSec) * 1000), signal);
      return;
    }
  }

  /** Pauses the account in the database for every process; locally at once even if that write fails. */
  async pause(ms: number): Promise<void> {
    const now = this.o.clock.now();
    const until = now + Math.max(0, ms);
    this.cachedPause = Math.max(this.cachedPause, until);
    try {
      this.cachedPause = Math.max(this.cachedPause, await this.o.budgets.pause(this.key, until, now, this.policy));
    } catch (err) {
      this.logger.warn({ err, account: this.key }, 'could not share the Garmin rate-limit pause; pausing this process only');
    }
  }

  get pausedUntil(): number {
    return this.cachedPause;
  }

  /** Waits while paused, re-reading the shared pause when the known one ends (another process may have extended it). */
  async waitWhilePaused(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.cachedPause - this.o.clock.now();
      if (wait <= 0) {
        try {
          this.cachedPause = await this.o.budgets.pausedUntil(this.key);
        } catch (err) {
          this.logger.warn({ err, account: this.key }, 'could not read the shared Garmin rate-limit pause');
          return;
        }
        if (this.cachedPause <= this.o.clock.now()) return;
        continue;
      }
      await this.o.clock.sleep(wait, signal);
    }
  }
}

/** The database-backed registry: one {@link SharedAccountLimiter} per account key, created on first use. */
export class SharedAccountLimiters implements AccountLimiterRegistry {
  private readonly byAccount = new Map<string, SharedAccountLimiter>();
  private readonly policy: BudgetPolicy;
  private readonly logger: Logger;

  constructor(private readonly o: SharedLimiterOptions) {
    this.policy = { ratePerSec: o.ratePerSec ?? 5, burst: o.burst ?? 10 };
    this.logger = o.logger ?? silentLogger;
  }

  forAccount(accountKey: string): SharedAccountLimiter {
    let l = this.byAccount.get(accountKey);
    if (!l) {
      l = new SharedAccountLimiter(accountKey, this.policy, this.o, this.logger);
      this.byAccount.set(accountKey, l);
    }
    return l;
  }
}
