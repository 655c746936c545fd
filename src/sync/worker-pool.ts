import { silentLogger, type Clock, type Logger, type Random } from '../core/index.js';
import type { BlobStore, SyncJobRecord, SyncStore } from '../store/index.js';
import type { GarminGateway } from './garmin.port.js';
import type { JobEventBus } from './job-event-bus.js';
import { runJob, WorkerStopping, type JobRunnerDeps } from './job-runner.js';
import type { AccountLimiterRegistry } from './rate-limiter.js';
import { SyncerRegistry, type Syncer } from './syncer.js';
import { SYNCERS } from './syncers/index.js';

export interface WorkerPoolOptions {
  store: SyncStore;
  blobs: BlobStore;
  gateway: GarminGateway;
  /** The same registry the composition root gives each user's GarminConnect as its limiter. */
  limiters: AccountLimiterRegistry;
  bus: JobEventBus;
  clock: Clock;
  random: Random;
  logger?: Logger;
  /** Identifies this worker in leases (default `worker-<uuid>`). */
  workerId?: string;
  /** Jobs run at once by this pool (default 2). */
  maxJobs?: number;
  /** Items in flight per job (default 4). */
  itemConcurrency?: number;
  /** Lease length (default 30 s); heartbeats renew it every `heartbeatMs` (default a third). */
  leaseMs?: number;
  heartbeatMs?: number;
  /** Idle polling for claimable jobs when no wake-up arrives (default 1 s). */
  pollMs?: number;
  /** Pause after a 429 without Retry-After (default 5 min). */
  defaultRateLimitPauseMs?: number;
  /** Days of health data on a first (or full) health sync (default 30). */
  healthInitialDays?: number;
  /**
   * Claims a job may take (default 3): a job claimed again after that — its workers kept dying
   * (or stopping) before it ended — fails JOB_ATTEMPTS_EXHAUSTED instead of being claimed forever.
   */
  maxAttempts?: number;
  /** Activities of this many recent days are checked for edits on each run (default 7). */
  activityRecheckDays?: number;
  /** A private directory for temporary files of jobs (an archive import copies its upload there). */
  scratchDir?: string;
  /** The syncers, one per sync type (default: every syncer of `syncers/index.ts`). */
  syncers?: readonly Syncer[];
}

/**
 * Workers of the sync engine: claims jobs (pending, or running with an expired lease) up to
 * `maxJobs` at once, runs them, and wakes on new jobs via the bus (polling as a fallback).
 * `stop()` stops claiming, aborts running jobs and releases their leases so another worker can
 * resume them at once; `stop({ releaseLeases: false })` leaves them as a crash would.
 */
export class WorkerPool {
  readonly workerId: string;
  private readonly deps: JobRunnerDeps;
  private readonly logger: Logger;
  private readonly running = new Map<string, Promise<void>>();
  private stopCtl = new AbortController();
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly o: WorkerPoolOptions) {
    this.workerId = o.workerId ?? `worker-${o.random.uuid()}`;
    this.logger = (o.logger ?? silentLogger).child({ worker: this.workerId });
    const leaseMs = o.leaseMs ?? 30_000;
    this.deps = {
      store: o.store,
      blobs: o.blobs,
      gateway: o.gateway,
      limiters: o.limiters,
      bus: o.bus,
      syncers: new SyncerRegistry(o.syncers ?? SYNCERS),
      clock: o.clock,
      logger: this.logger,
      leaseMs,
      heartbeatMs: o.heartbeatMs ?? Math.max(10, Math.floor(leaseMs / 3)),
      itemConcurrency: o.itemConcurrency ?? 4,
      defaultRateLimitPauseMs: o.defaultRateLimitPauseMs ?? 300_000,
      settings: {
        healthInitialDays: o.healthInitialDays ?? 30,
        scratchDir: o.scratchDir ?? '',
        activityRecheckDays: o.activityRecheckDays ?? 7,
      },
    };
  }

  /** Starts claiming. Idempotent. */
  start(): void {
    if (this.loop) return;
    this.stopCtl = new AbortController();
    this.unsubscribe = this.o.bus.onClaimable(() => this.wake());
    this.loop = this.claimLoop(this.stopCtl.signal);
  }

  /** Claims now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Ids of the jobs this pool is running. */
  runningJobIds(): string[] {
    return [...this.running.keys()];
  }

  /** Stops claiming, aborts running jobs and waits for them; leases are released unless told otherwise. */
  async stop(opts: { releaseLeases?: boolean } = {}): Promise<void> {
    if (!this.loop) return;
    this.unsubscribe?.();
    this.stopCtl.abort(new WorkerStopping(opts.releaseLeases !== false));
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.running.values()]);
    this.loop = undefined;
  }

  private async claimLoop(signal: AbortSignal): Promise<void> {
    const maxJobs = this.o.maxJobs ?? 2;
    while (!signal.aborted) {
      // A wake-up that arrives while the claim below runs (a new job, a job of ours ending) must
      // lead to another claim, not wait for the next poll: it is remembered, not just signalled.
      this.woken = false;
      const free = maxJobs - this.running.size;
      let filled = false;
      if (free > 0) {
        try {
          // One claim fills every free slot (issue 17: one ranking and one lock per round, not per job).
          const jobs = await this.o.store.jobs.claimMany(this.workerId, this.o.clock.now(), this.deps.leaseMs, free, [
            ...this.running.keys(),
          ]);
          for (const job of jobs) await this.take(job, signal);
          filled = jobs.length === free;
        } catch (err) {
          this.logger.error({ err }, 'claiming failed');
        }
      }
      // Slots filled: claim again (the next round finds none free and waits for a job to end).
      if (filled || this.woken || signal.aborted) continue;
      const tick = new AbortController();
      await Promise.race([
        new Promise<void>((r) => (this.wakeUp = r)),
        this.o.clock.sleep(this.o.pollMs ?? 1000, tick.signal).catch(() => {}),
      ]);
      tick.abort();
      this.wakeUp = undefined;
    }
  }

  /** Runs a claimed job, or fails it when it was claimed too often. */
  private async take(job: SyncJobRecord, signal: AbortSignal): Promise<void> {
    if (signal.aborted) {
      // Claimed as the pool stops: hand it back at once, as a running job's lease would be.
      const stop: unknown = signal.reason;
      if (!(stop instanceof WorkerStopping) || stop.releaseLease)
        await this.o.store.jobs.releaseLease(job.job_id, this.workerId, this.o.clock.now()).catch(() => {});
      return;
    }
    if (job.attempts > (this.o.maxAttempts ?? 3)) return this.giveUp(job);
    this.logger.info({ job_id: job.job_id, attempts: job.attempts }, 'claimed sync job');
    const p = runJob(this.deps, job, this.workerId, signal)
      .catch((err: unknown) => this.logger.error({ err, job_id: job.job_id }, 'job runner crashed'))
      .finally(() => {
        this.running.delete(job.job_id);
        this.wake();
      });
    this.running.set(job.job_id, p);
  }

  /** Ends a job that was claimed more often than allowed (it keeps killing its workers). */
  private async giveUp(job: SyncJobRecord): Promise<void> {
    const limit = this.o.maxAttempts ?? 3;
    this.logger.error({ job_id: job.job_id, attempts: job.attempts }, 'sync job claimed too often; failing it');
    const failed = await this.o.store.jobs.transition(job, 'failed', this.o.clock.now(), {
      code: 'JOB_ATTEMPTS_EXHAUSTED',
      message: `The sync job was started ${limit} times without finishing (its worker stopped each time); see the service log.`,
    });
    this.o.bus.publish({ type: 'end', job: failed });
  }
}
