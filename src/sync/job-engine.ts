import { AppError, isAbortError, isAppError, type Clock, type Logger } from '../core/index.js';
import type { SyncJobRecord, SyncStore } from '../store/index.js';
import type { JobEventBus } from './job-event-bus.js';
import type { SyncItem, SyncRun } from './syncer.js';
import { CancelRequestedError } from './upstream.js';

/** Upstream errors that doom one item but not the job: recorded in sync_job_failures and skipped. */
const PERMANENT_ITEM_ERRORS = new Set([
  'FIT_INVALID',
  'GARMIN_NOT_FOUND',
  'GARMIN_PROTOCOL_CHANGED',
  'ARCHIVE_ENTRY_CORRUPT',
  'ARCHIVE_ENTRY_TOO_LARGE',
]);

/** Thrown when this worker no longer holds the job's lease: stop without touching the job. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Lost the lease of job ${jobId}.`);
    this.name = 'LeaseLostError';
  }
}

export interface JobEngineOptions {
  job: SyncJobRecord;
  owner: string;
  store: SyncStore;
  bus: JobEventBus;
  clock: Clock;
  logger: Logger;
  /** Aborts when the worker stops or loses the lease. */
  signal: AbortSignal;
  /** Aborts when the user asks to cancel: no new item starts. */
  cancelSignal: AbortSignal;
  itemConcurrency: number;
}

type AnyRun = SyncRun<SyncItem, unknown>;

/**
 * Works one job's SyncRun (syncer.ts), the same way for every syncer: pulls the pages one at a
 * time (the next page is listed while the current one is worked), skips what this job already
 * wrote or failed in an earlier attempt (sync_job_items, sync_job_failures) and what the syncer
 * says is already current, then works the rest `itemConcurrency` at a time. Each item's write,
 * its checkpoint and the counters commit in one transaction; a permanent item error is recorded
 * and counted as failed; any other error stops the job (thrown after in-flight items settle).
 * No new item starts once the user cancels.
 */
export class JobEngine {
  private readonly job: SyncJobRecord;
  /** processed_items of the last progress published (parallel lanes commit in any order). */
  private published = -1;
  /** See pendingTotalDelta. */
  private finalTotalDelta: number | undefined;

  constructor(private readonly o: JobEngineOptions) {
    this.job = o.job;
  }

  /** True once the user asked to cancel or the worker is stopping: no new item starts. */
  get stopping(): boolean {
    return this.o.cancelSignal.aborted || this.o.signal.aborted;
  }

  async run(run: AnyRun): Promise<void> {
    const expected = run.expectedTotal;
    // Every attempt counts from zero; items an earlier attempt handled are counted as they are listed.
    // A job claimed from pending has them so already: written only when they differ (issue 17: one
    // statement less per job) — a resumed attempt, or a syncer that knows its total up front.
    const j = this.job;
    const fresh = j.total_items === null && !j.processed_items && !j.failed_items && !j.resumed_items && !j.progress;
    if (!fresh || expected !== undefined) {
      const ok = await this.o.store.jobs.updateCounters(
        j.job_id,
        this.o.owner,
        { total_items: expected ?? null, processed_items: 0, failed_items: 0, resumed_items: 0, progress: 0 },
        this.now(),
      );
      if (!ok) throw new LeaseLostError(j.job_id);
    }
    const seen = new Set<string>();
    let inScope = 0;
    let totalWritten = expected ?? 0;
    let listedAll = false;
    const pages = run.pages()[Symbol.asyncIterator]();
    try {
      let next = pages.next();
      while (!this.stopping) {
        const page = await next;
        if (page.done) {
          listedAll = true;
          break;
        }
        const { todo, scope, totalDelta } = await this.admit(run, page.value, seen, expected !== undefined);
        inScope += scope;
        totalWritten += totalDelta;
        // List the next page while this one is worked; its failure surfaces when it is awaited.
        next = pages.next();
        next.catch(() => {});
        await this.workThrough(run, todo);
      }
    } finally {
      await pages.return?.(undefined)?.catch(() => {});
    }
    if (listedAll && (totalWritten !== inScope || expected === undefined)) {
      // The exact total once listing is over (a total that was never known becomes 0, not null):
      // left to the completion's statement (issue 17), or written by `writeFinalTotal`.
      this.finalTotalDelta = inScope - totalWritten;
    }
    this.throwIfAborted();
  }

  /**
   * The change of the total that `run` found once listing was over and did not write: the caller
   * completes the job with it in one statement, or calls `writeFinalTotal` before ending it otherwise.
   */
  get pendingTotalDelta(): number | undefined {
    return this.finalTotalDelta;
  }

  /** Writes the pending total (see pendingTotalDelta); throws LeaseLostError when the lease is gone. */
  async writeFinalTotal(): Promise<void> {
    const total = this.finalTotalDelta;
    if (total === undefined) return;
    await this.advance(this.o.store, { processed: 0, failed: 0, total });
    this.finalTotalDelta = undefined;
  }

  /**
   * Sorts a page: keys seen earlier in this job are dropped; items this job wrote or failed in an
   * earlier attempt count as processed (the written ones also as resumed); items the syncer finds current leave the scope; the rest
   * is to do. Counts what it found in one update.
   */
  private async admit(run: AnyRun, page: readonly SyncItem[], seen: Set<string>, totalKnown: boolean) {
    const fresh: SyncItem[] = [];
    for (const item of page) {
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      fresh.push(item);
    }
    if (fresh.length === 0) return { todo: [], scope: 0, totalDelta: 0 };
    const keys = fresh.map((i) => i.key);
    const done = await this.o.store.jobItems.doneAmong(this.job.job_id, keys);
    const failed = await this.o.store.failures.failedAmong(this.job.job_id, keys);
    const rest = fresh.filter((i) => !done.has(i.key) && !failed.has(i.key));
    const current = new Set<string>(run.alreadyCurrent && rest.length > 0 ? await run.alreadyCurrent(rest) : []);
    // A retry of failed items (`sync retry --failed`): everything that did not fail in that job is out of scope.
    const retryOf = this.job.params.retry_failed_of;
    if (retryOf && rest.length > 0) {
      const failedThere = await this.o.store.failures.failedAmong(
        retryOf,
        rest.map((i) => i.key),
      );
      for (const i of rest) if (!failedThere.has(i.key)) current.add(i.key);
    }
    const todo = rest.filter((i) => !current.has(i.key));
    const scope = fresh.length - current.size;
    const totalDelta = totalKnown ? -current.size : scope;
    const handled = done.size + failed.size;
    if (handled > 0 || totalDelta !== 0) {
      this.publishProgress(
        await this.advance(this.o.store, { processed: handled, failed: failed.size, resumed: done.size, total: totalDelta }),
      );
    }
    return { todo, scope, totalDelta };
  }

  /** Works items `itemConcurrency` at a time; throws the first job-fatal error once lanes settle. */
  private async workThrough(run: AnyRun, items: readonly SyncItem[]): Promise<void> {
    let next = 0;
    let fatal: unknown;
    const lane = async () => {
      while (next < items.length && fatal === undefined && !this.stopping) {
        const item = items[next++]!;
        try {
          const fetched = await run.fetch(item, this.o.signal);
          await this.checkpoint(run, item, fetched);
        } catch (e) {
          if (e instanceof CancelRequestedError) return;
          if (fatal !== undefined || this.o.signal.aborted || isAbortError(e) || e instanceof LeaseLostError) {
            fatal ??= e;
            return;
          }
          if (isAppError(e) && PERMANENT_ITEM_ERRORS.has(e.code)) {
            try {
              await this.recordFailure(item.key, e);
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
    await Promise.all(Array.from({ length: Math.min(items.length, Math.max(1, this.o.itemConcurrency)) }, lane));
    if (fatal !== undefined) throw fatal;
  }

  /** The item's data, its checkpoint and the counters: one transaction. */
  private async checkpoint(run: AnyRun, item: SyncItem, fetched: unknown): Promise<void> {
    const job = await this.o.store.transaction(async (tx) => {
      await run.write(tx, item, fetched);
      await tx.jobItems.markDone(this.job.job_id, item.key);
      return this.advance(tx, { processed: 1, failed: 0 });
    });
    this.publishProgress(job);
  }

  private async recordFailure(key: string, e: AppError): Promise<void> {
    this.o.logger.warn({ job_id: this.job.job_id, item: key, code: e.code }, 'item failed permanently; skipped');
    const job = await this.o.store.transaction(async (tx) => {
      const fresh = await tx.failures.record({
        job_id: this.job.job_id,
        item_key: key,
        error_code: e.code,
        error_message: e.message,
        created_at: this.now(),
      });
      return this.advance(tx, { processed: 1, failed: fresh ? 1 : 0 });
    });
    this.publishProgress(job);
  }

  /**
   * Moves the counters in SQL (so parallel checkpoints add up) and returns the job row that one
   * statement wrote; throws when the lease is gone (rolling back).
   */
  private async advance(
    tx: SyncStore,
    delta: { processed: number; failed: number; resumed?: number; total?: number },
  ): Promise<SyncJobRecord> {
    const job = await tx.jobs.advanceCounters(this.job.job_id, this.o.owner, delta, this.now());
    if (!job) throw new LeaseLostError(this.job.job_id);
    return job;
  }

  /**
   * Publishes the row the checkpoint committed (no re-read per item, issue 17). Checkpoints of
   * parallel lanes commit in any order: a row older than one already published is skipped, so
   * watchers never see progress go back.
   */
  private publishProgress(job: SyncJobRecord): void {
    if (job.processed_items < this.published) return;
    this.published = job.processed_items;
    this.o.bus.publish({ type: 'progress', job });
  }

  private now(): number {
    return this.o.clock.now();
  }

  private throwIfAborted(): void {
    if (this.o.signal.aborted) throw this.o.signal.reason ?? new AppError('ABORTED');
  }
}
