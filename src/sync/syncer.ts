import { AppError, JOB_TYPES, type JobProbe, type JobTrigger, type JobType, type Logger } from '../core/index.js';
import type { BlobRef, SyncJobParams, SyncStore } from '../store/index.js';
import type { GarminConnectLike } from './garmin.port.js';

/**
 * The syncer port (issue 11.3). A syncer knows one kind of data: where its items come from, how
 * to fetch one and how to store one. Everything else — resume after a crash, skipping items that
 * failed before, recording failures, exact counters, one transaction per item with its
 * checkpoint, item concurrency, cancellation between items, pausing the account — is done once,
 * by the engine (job-engine.ts). Adding a syncer is one file under `syncers/` and one line in
 * `syncers/index.ts`.
 */

/** One unit of work of a job. `key` is stable across attempts of the job (e.g. `activity:123`). */
export interface SyncItem {
  readonly key: string;
}

/**
 * The stored data a syncer reads and writes: the data repositories only. Job rows, counters,
 * failures, checkpoints and transactions are the engine's.
 */
export type SyncData = Pick<SyncStore, 'activities' | 'healthMetrics' | 'workouts' | 'watermarks' | 'imports' | 'failures'> & {
  /** What a job has written (for its report; in SQLite a read outside the open transaction would wait for it). */
  readonly jobItems: Pick<SyncStore['jobItems'], 'doneWithPrefix'>;
};

/** Settings of syncers that the service configures. */
export interface SyncerSettings {
  /** Days of health data on a first (or full) health sync. */
  healthInitialDays: number;
  /** A private directory for temporary files (an archive being imported is copied here for random access). */
  scratchDir: string;
  /** Activities of this many recent days are checked for edits (Garmin's last-update time) on each run. */
  activityRecheckDays: number;
}

/** What the engine hands a syncer for one job. Nothing here assumes the items come from Garmin. */
export interface SyncerContext {
  readonly job: {
    readonly job_id: string;
    readonly user_id: string;
    readonly sync_type: JobType;
    readonly params: SyncJobParams;
    /** 'schedule': started by the user's schedule (a scheduled activities run probes first). */
    readonly trigger: JobTrigger;
  };
  /** Aborts when the worker stops or loses the lease: pass it to every long operation. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly settings: SyncerSettings;
  now(): number;
  /** Reads of what is already stored (outside any transaction; writes go through `write`/`complete`). */
  readonly stored: SyncData;
  /** Stores bytes content-addressed (verified, idempotent): done in `fetch`, before the item's transaction. */
  putBlob(bytes: Buffer): Promise<BlobRef>;
  /** True when a blob with exactly these bytes is stored (verified by the blob store; a damaged one is not). */
  hasBlob(sha256: string): Promise<boolean>;
  /**
   * Calls Garmin under the engine's account policy: waits while the account is paused, pauses
   * it on a rate limit and tries again, ends the wait when the job is cancelled. The user's
   * client is obtained on first use, so a syncer that never calls Garmin never needs one.
   */
  garmin<T>(call: (client: GarminConnectLike, signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Records the job's change-detection probe (shown as the job's `probe`). */
  recordProbe(probe: JobProbe): Promise<void>;
}

/** One job's work as a syncer plans it (`Syncer.open`). */
export interface SyncRun<I extends SyncItem, F> {
  /**
   * How many items are in scope, when known before listing (e.g. the days of a range), so the
   * progress is right from the first item. Omitted: the total grows as pages are listed.
   */
  readonly expectedTotal?: number;
  /**
   * The items, page by page, as they come upstream (Garmin's list pages, a range of days, the
   * entries of a streamed archive). The engine works through each page before it pulls the next
   * one, so neither side holds every item. Ending early is fine (a watermark reached, a cheap
   * "nothing changed" probe). A key listed twice is worked once.
   */
  pages(): AsyncIterable<readonly I[]>;
  /**
   * Of a page's items this job has not handled yet, the keys whose stored copy is already
   * current (e.g. a workout whose updatedDate did not change): they are out of this job's scope —
   * not fetched, not counted. Omitted: every listed item is in scope.
   */
  alreadyCurrent?(items: readonly I[]): Promise<ReadonlySet<string>>;
  /** Fetches one item (network, blobs). Throws AppError; FIT_INVALID and GARMIN_NOT_FOUND fail only the item. */
  fetch(item: I, signal: AbortSignal): Promise<F>;
  /** Writes one fetched item; runs inside the engine's transaction together with the item's checkpoint. */
  write(tx: SyncData, item: I, fetched: F): Promise<void>;
  /** Runs in the transaction that completes the job (e.g. moves the watermark). */
  complete?(tx: SyncData): Promise<void>;
}

/** One syncer per sync type. */
export interface Syncer {
  readonly type: JobType;
  /** Plans one job: reads what it needs (a watermark, stored versions) and returns its run. */
  open(ctx: SyncerContext): Promise<SyncRun<SyncItem, unknown>>;
}

/** Declares a syncer with its item and fetched types checked against each other. */
export function defineSyncer<I extends SyncItem, F>(s: { type: JobType; open(ctx: SyncerContext): Promise<SyncRun<I, F>> }): Syncer {
  return s as Syncer;
}

/**
 * The registry fails at construction when a type has no syncer or two (like immich's job
 * registry), so a missing handler is a start-up error, not a stuck job.
 */
export class SyncerRegistry {
  private readonly byType = new Map<JobType, Syncer>();

  constructor(syncers: readonly Syncer[]) {
    for (const s of syncers) {
      if (this.byType.has(s.type)) throw new AppError('INTERNAL', `Two syncers for "${s.type}".`);
      this.byType.set(s.type, s);
    }
    for (const t of JOB_TYPES) if (!this.byType.has(t)) throw new AppError('INTERNAL', `No syncer for "${t}".`);
  }

  get(type: JobType): Syncer {
    return this.byType.get(type)!;
  }
}
