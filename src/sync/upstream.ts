import { AppError, isAppError, type Clock, type Logger } from '../core/index.js';
import type { GarminConnectLike, GarminGateway } from './garmin.port.js';
import type { AccountRateLimiter } from './rate-limiter.js';

/** Thrown out of a wait (e.g. a 429 pause) when the user cancels: the job ends as cancelled. */
export class CancelRequestedError extends Error {
  constructor() {
    super('The job was cancelled.');
    this.name = 'CancelRequestedError';
  }
}

export interface UpstreamOptions {
  userId: string;
  jobId: string;
  gateway: GarminGateway;
  limiter: AccountRateLimiter;
  clock: Clock;
  logger: Logger;
  /** Aborts when the worker stops or loses the lease. */
  signal: AbortSignal;
  /** Aborts when the user asks to cancel: waits end at once. */
  cancelSignal: AbortSignal;
  /** Pause after a 429 without Retry-After. */
  defaultRateLimitPauseMs: number;
}

/**
 * The engine's side of every Garmin call of one job (`SyncerContext.garmin`): obtains the user's
 * client on first use, waits while the account is paused, pauses the whole account on a rate
 * limit and tries again, retries a transient failure (after the client's own retries) twice with
 * back-off; anything else propagates.
 */
export class UpstreamCalls {
  private client: Promise<GarminConnectLike> | undefined;

  constructor(private readonly o: UpstreamOptions) {}

  async call<T>(fn: (client: GarminConnectLike, signal: AbortSignal) => Promise<T>): Promise<T> {
    this.client ??= this.o.gateway.forUser(this.o.userId);
    const client = await this.client;
    let transient = 0;
    let limited = 0;
    for (;;) {
      this.throwIfAborted();
      await this.waitWhilePaused();
      try {
        return await fn(client, this.o.signal);
      } catch (e) {
        if (isAppError(e, 'GARMIN_RATE_LIMITED') || isAppError(e, 'GARMIN_CIRCUIT_OPEN')) {
          if (++limited > 50) throw e;
          const ms = e.retryAfterMs ?? this.o.defaultRateLimitPauseMs;
          await this.o.limiter.pause(ms);
          this.o.logger.warn({ job_id: this.o.jobId, pause_ms: ms }, 'Garmin rate limit: pausing this account');
          continue;
        }
        if (isAppError(e, 'GARMIN_UNAVAILABLE') && transient < 2 && !this.o.signal.aborted) {
          transient++;
          await this.o.clock.sleep(1000 * 2 ** transient, this.o.signal);
          continue;
        }
        throw e;
      }
    }
  }

  /** Waits out an account pause; a cancel request ends the wait (CancelRequestedError). */
  private async waitWhilePaused(): Promise<void> {
    if (this.o.limiter.pausedUntil <= this.o.clock.now()) return;
    try {
      await this.o.limiter.waitWhilePaused(AbortSignal.any([this.o.signal, this.o.cancelSignal]));
    } catch (e) {
      if (this.o.cancelSignal.aborted && !this.o.signal.aborted) throw new CancelRequestedError();
      throw e;
    }
  }

  private throwIfAborted(): void {
    if (this.o.signal.aborted) throw this.o.signal.reason ?? new AppError('ABORTED');
  }
}
