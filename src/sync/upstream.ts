import { AppError, isAbortError, isAppError, type Clock, type Logger } from '../core/index.js';
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
  /** Aborts when the user asks to cancel: waits (and requests in flight) end at once. */
  cancelSignal: AbortSignal;
  /** Pause after a 429 without Retry-After. */
  defaultRateLimitPauseMs: number;
}

/**
 * The engine's side of every Garmin call of one job (`SyncerContext.garmin`): obtains the user's
 * client on first use and waits while the account is paused. It never re-sends a request — the
 * Garmin client's retry policy (src/garmin/retry.ts) is the only one. What reaches it decides:
 * GARMIN_RATE_LIMITED → pause the whole account (every job of it waits) and fail this call;
 * anything else → fail this call. The job engine then records or fails the item.
 */
export class UpstreamCalls {
  private client: Promise<GarminConnectLike> | undefined;
  /** Aborts on a lease loss / worker stop, and on a cancel request (so a long 429 wait ends). */
  private readonly callSignal: AbortSignal;

  constructor(private readonly o: UpstreamOptions) {
    this.callSignal = AbortSignal.any([o.signal, o.cancelSignal]);
  }

  async call<T>(fn: (client: GarminConnectLike, signal: AbortSignal) => Promise<T>): Promise<T> {
    this.client ??= this.o.gateway.forUser(this.o.userId);
    const client = await this.client;
    this.throwIfAborted();
    await this.waitWhilePaused();
    try {
      return await fn(client, this.callSignal);
    } catch (e) {
      if (this.cancelled() && isAbortError(e)) throw new CancelRequestedError();
      if (isAppError(e, 'GARMIN_RATE_LIMITED')) {
        const ms = e.retryAfterMs ?? this.o.defaultRateLimitPauseMs;
        await this.o.limiter.pause(ms);
        this.o.logger.warn({ job_id: this.o.jobId, pause_ms: ms }, 'Garmin rate limit outlasted the retry policy: account paused');
      }
      throw e;
    }
  }

  /** True when the user cancelled (and the worker is not stopping for another reason). */
  private cancelled(): boolean {
    return this.o.cancelSignal.aborted && !this.o.signal.aborted;
  }

  /** Waits out an account pause; a cancel request ends the wait (CancelRequestedError). */
  private async waitWhilePaused(): Promise<void> {
    if (this.o.limiter.pausedUntil <= this.o.clock.now()) return;
    try {
      await this.o.limiter.waitWhilePaused(this.callSignal);
    } catch (e) {
      if (this.cancelled()) throw new CancelRequestedError();
      throw e;
    }
  }

  private throwIfAborted(): void {
    if (this.o.signal.aborted) throw this.o.signal.reason ?? new AppError('ABORTED');
    if (this.cancelled()) throw new CancelRequestedError();
  }
}
