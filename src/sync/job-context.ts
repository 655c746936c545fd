import { AppError, isAbortError, isAppError, progressPercent, type Clock, type Logger } from '../core/index.js';
import type { BlobStore, SyncJobRecord, SyncStore } from '../store/index.js';
import type { GarminConnectLike } from './garmin.port.js';
import type { JobEventBus } from './job-event-bus.js';
import type { AccountRateLimiter } from './rate-limiter.js';

/** Upstream errors that doom one item but not the job: recorded in sync_job_failures and skipped. */
const PERMANENT_ITEM_ERRORS = new Set(['FIT_INVALID', 'GARMIN_NOT_FOUND', 'GARMIN_PROTOCOL_CHANGED']);

/** Thrown when this worker no longer holds the job's lease: stop without touching the job. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Lost the lease of job ${jobId}.`);
    this.name = 'LeaseLostError';
  }
}

/** Thrown out of a wait (e.g. a 429 pause) when the user cancels: the job ends as cancelled. */
export class CancelRequestedError extends Error {
  constructor() {
    super('The job was cancelled.');
    this.name = 'CancelRequestedError';
  }
}

export interface JobContextOptions {
  job: SyncJobRecord;
  owner: string;
  garmin: GarminConnectLike;
  store: SyncStore;
  blobs: BlobStore;
  limiter: AccountRateLimiter;
  bus: JobEventBus;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  itemConcurrency: number;
  /** Pause after a 429 without Retry-After (default 5 min). */
  defaultRateLimitPauseMs: number;
  healthInitialDays: number;
  /** Aborts when the user asks to cancel: no new item starts and waits end at once. */
  cancelSignal: AbortSignal;
}

/**
 * What a syncer works with for one job: the Garmin client, the store, the blob store, and the
 * engine's policies — upstream retries (429 pause + resume, a few retries of transient errors),
 * bounded item concurrency, per-item checkpoints in one transaction with the item, failure
 * recording, progress counters and cancellation between items.
 */
export class JobContext {
  readonly job: SyncJobRecord;
  readonly garmin: GarminConnectLike;
  readonly store: SyncStore;
  readonly blobs: BlobStore;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly healthInitialDays: number;

  constructor(private readonly o: JobContextOptions) {
    this.job = o.job;
    this.garmin = o.garmin;
    this.store = o.store;
    this.blobs = o.blobs;
    this.logger = o.logger;
    this.signal = o.signal;
    this.healthInitialDays = o.healthInitialDays;
  }

  get userId(): string {
    return this.job.user_id;
  }

  now(): number {
    return this.o.clock.now();
  }

  /** True once the user asked to cancel: no new item starts. */
  get stopping(): boolean {
    return this.o.cancelSignal.aborted || this.signal.aborted;
  }

  /**
   * Calls Garmin with the engine's policy: waits while the account is paused; on 429 pauses the
   * whole account for Retry-After (or the long default) and tries again; retries a transient
   * failure (after the client's own retries) twice with back-off; anything else propagates.
   */
  async upstream<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let transient = 0;
    let limited = 0;
    for (;;) {
      this.throwIfAborted();
      await this.waitWhilePaused();
      try {
        return await fn(this.signal);
      } catch (e) {
        if (isAppError(e, 'GARMIN_RATE_LIMITED') || isAppError(e, 'GARMIN_CIRCUIT_OPEN')) {
          if (++limited > 50) throw e;
          const ms = e.retryAfterMs ?? this.o.defaultRateLimitPauseMs;
          await this.o.limiter.pause(ms);
          this.logger.warn({ job_id: this.job.job_id, pause_ms: ms }, 'Garmin rate limit: pausing this account');
          continue;
        }
        if (isAppError(e, 'GARMIN_UNAVAILABLE') && transient < 2 && !this.signal.aborted) {
          transient++;
          await this.o.clock.sleep(1000 * 2 ** transient, this.signal);
          continue;
        }
        throw e;
      }
    }
  }

  /** Waits out an account pause; a cancel request ends the wait (CancelRequestedError). */
  private async waitWhilePaused(): Promise<void> {
    if (this.o.limiter.pausedUntil <= this.now()) return;
    try {
      await this.o.limiter.waitWhilePaused(AbortSignal.any([this.signal, this.o.cancelSignal]));
    } catch (e) {
      if (this.o.cancelSignal.aborted && !this.signal.aborted) throw new CancelRequestedError();
      throw e;
    }
  }

  /**
   * Sets the job's item count. `done`/`failedBefore` are items of this job already handled by an
   * earlier attempt (a resumed job): they count as processed without being fetched again.
   */
  async setTotal(total: number, done: number, failedBefore: number): Promise<void> {
    const processed = Math.min(total, done + failedBefore);
    const ok = await this.store.jobs.updateCounters(
      this.job.job_id,
      this.o.owner,
      { total_items: total, processed_items: processed, failed_items: failedBefore, progress: progressPercent(processed, total) },
      this.now(),
    );
    if (!ok) throw new LeaseLostError(this.job.job_id);
  }

  /**
   * Works through items, `itemConcurrency` at a time. `work` fetches an item and returns the
   * write to commit; that write and the job checkpoint commit in one transaction. A permanent
   * item error is recorded and skipped; any other error stops the job (thrown after in-flight
   * items settle). Stops starting items once cancellation is requested.
   */
  async forEachItem<T>(items: readonly T[], keyOf: (item: T) => string, work: (item: T) => Promise<(tx: SyncStore) => Promise<void>>): Promise<void> {
    let next = 0;
    let fatal: unknown;
    const lane = async () => {
      while (next < items.length && fatal === undefined && !this.stopping) {
        const item = items[next++]!;
        const key = keyOf(item);
        try {
          const write = await work(item);
          await this.checkpoint(write);
        } catch (e) {
          if (e instanceof CancelRequestedError) return;
          if (fatal !== undefined || this.signal.aborted || isAbortError(e) || e instanceof LeaseLostError) {
            fatal ??= e;
            return;
          }
          if (isAppError(e) && PERMANENT_ITEM_ERRORS.has(e.code)) {
            try {
              await this.recordFailure(key, e);
            } catch (recordError) {
              fatal ??= recordError;
              return;
            }
            continue;
          }
          fatal = e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.o.itemConcurrency) }, lane));
    if (fatal !== undefined) throw fatal;
    this.throwIfAborted();
  }

  private async checkpoint(write: (tx: SyncStore) => Promise<void>): Promise<void> {
    await this.store.transaction(async (tx) => {
      await write(tx);
      await this.advance(tx, 0);
    });
    this.publishProgress();
  }

  private async recordFailure(key: string, e: AppError): Promise<void> {
    this.logger.warn({ job_id: this.job.job_id, item: key, code: e.code }, 'item failed permanently; skipped');
    await this.store.transaction(async (tx) => {
      const fresh = await tx.failures.record({ job_id: this.job.job_id, item_key: key, error_code: e.code, error_message: e.message, created_at: this.now() });
      await this.advance(tx, fresh ? 1 : 0);
    });
    this.publishProgress();
  }

  /** One more item handled (in SQL, so parallel checkpoints add up); rolls back when the lease is gone. */
  private async advance(tx: SyncStore, failed: number): Promise<void> {
    const counters = await tx.jobs.advanceCounters(this.job.job_id, this.o.owner, { processed: 1, failed }, this.now());
    if (!counters) throw new LeaseLostError(this.job.job_id);
  }

  private publishProgress(): void {
    void this.store.jobs.get(this.job.job_id).then(
      (job) => job && this.o.bus.publish({ type: 'progress', job }),
      () => {},
    );
  }

  private throwIfAborted(): void {
    if (this.signal.aborted) throw this.signal.reason ?? new AppError('ABORTED');
  }
}
