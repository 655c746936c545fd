import type { Clock, Logger, Random } from '../core/index.js';
import type { BlobStore, RateBudgetRepository, SyncStore } from '../store/index.js';
import { ArchiveImportService } from './archive/import.service.js';
import { ClusterJobEventBus, type NotificationTransport } from './cluster-job-event-bus.js';
import type { GarminGateway } from './garmin.port.js';
import { CoverageService } from './health/coverage.service.js';
import { HealthDataService } from './health/health-data.service.js';
import { InProcessJobEventBus, type JobEventBus } from './job-event-bus.js';
import { AccountLimiters, type AccountLimiterRegistry } from './rate-limiter.js';
import { SharedAccountLimiters } from './shared-rate-limiter.js';
import { ScheduleRunner } from './schedules/schedule-runner.js';
import { ScheduleService } from './schedules/schedule.service.js';
import { SyncService } from './sync.service.js';
import { SyncedDataService } from './synced-data.service.js';
import { WorkerPool } from './worker-pool.js';

export interface SyncEngineOptions {
  store: SyncStore;
  blobs: BlobStore;
  budgets: RateBudgetRepository;
  /** Each user's Garmin client (auth's gateway): jobs and on-demand reads (activity details) use it. */
  gateway: GarminGateway;
  /** Carries job events between processes (PostgreSQL LISTEN/NOTIFY); null = this process only. */
  transport: NotificationTransport | null;
  /** Keep the Garmin budget in the database (more than one process may call Garmin for an account). */
  sharedBudget: boolean;
  clock: Clock;
  random: Random;
  /** The service's logger; the engine logs as room `sync` (the pool as `worker`). */
  logger: Logger;
  settings: {
    garminRatePerSec: number;
    garminBurst: number;
    maxJobsPerUser: number;
    archiveMaxBytes: number;
    /** Worker pool: items in flight per job, jobs at once, lease, heartbeat, idle poll, claims cap. */
    itemConcurrency: number;
    maxJobs: number;
    leaseMs: number;
    heartbeatMs: number;
    pollMs: number;
    maxJobAttempts: number;
    /** Recent activities checked for edits on each incremental run (days). */
    activityRecheckDays: number;
    /** Shortest schedule interval accepted. */
    scheduleMinIntervalMs: number;
    /** Private directory for temporary files of jobs. */
    scratchDir: string;
  };
}

/** The sync room as the composition root sees it. */
export interface SyncEngine {
  /** Per-account Garmin budgets; each user's GarminConnect takes `limiters.forAccount(userId)`. */
  limiters: AccountLimiterRegistry;
  sync: SyncService;
  synced: SyncedDataService;
  health: HealthDataService;
  coverage: CoverageService;
  schedules: ScheduleService;
  imports: ArchiveImportService;
  /** Starts claiming jobs — after the API listens (issue 12.1), so a start that fails runs no job. */
  startWorkers(): void;
  /** Stops the workers (their leases are released), then the job events; safe to call twice. */
  close(step?: (what: string, fn: () => Promise<unknown>) => Promise<void>): Promise<void>;
}

/** Builds the job engine: event bus, rate budgets, the API-side services and the worker pool. */
export async function createSyncEngine(o: SyncEngineOptions): Promise<SyncEngine> {
  const { store, clock, random, settings: s } = o;
  const logger = o.logger.child({ room: 'sync' });
  const budget = { clock, ratePerSec: s.garminRatePerSec, burst: s.garminBurst };
  const limiters: AccountLimiterRegistry = o.sharedBudget
    ? new SharedAccountLimiters({ ...budget, budgets: o.budgets, logger })
    : new AccountLimiters(budget);
  const cluster = o.transport
    ? // Job changes wait up to 5 ms to share a NOTIFY (a job's end and the next one's start do).
      new ClusterJobEventBus({ transport: o.transport, getJob: (id) => store.jobs.get(id), random, logger, clock, batchMs: 5 })
    : null;
  const bus: JobEventBus = cluster ?? new InProcessJobEventBus();
  // Uploads that never finished (a crash mid-upload) are removed; their clients got no answer.
  await store.imports.discardStaleUploads(clock.now() - 3_600_000);

  let pool: WorkerPool | null = null;
  let scheduler: ScheduleRunner | null = null;
  let closing: Promise<void> | null = null;
  const plain = async (_what: string, fn: () => Promise<unknown>) => void (await fn());
  return {
    limiters,
    sync: new SyncService({ store, bus, clock, random, logger, maxActiveJobsPerUser: s.maxJobsPerUser }),
    synced: new SyncedDataService({ activities: store.activities, workouts: store.workouts, blobs: o.blobs, gateway: o.gateway }),
    health: new HealthDataService(store.healthMetrics),
    coverage: new CoverageService({ healthMetrics: store.healthMetrics, failures: store.failures, clock }),
    schedules: new ScheduleService({ store, clock, random, logger, minIntervalMs: s.scheduleMinIntervalMs }),
    imports: new ArchiveImportService({
      store,
      clock,
      random,
      logger,
      maxBytes: s.archiveMaxBytes,
      notifyClaimable: () => bus.notifyClaimable(),
    }),
    startWorkers() {
      if (pool || closing) return;
      pool = new WorkerPool({
        store,
        blobs: o.blobs,
        bus,
        gateway: o.gateway,
        limiters,
        clock,
        random,
        logger: o.logger.child({ room: 'worker' }),
        itemConcurrency: s.itemConcurrency,
        maxJobs: s.maxJobs,
        leaseMs: s.leaseMs,
        heartbeatMs: s.heartbeatMs,
        pollMs: s.pollMs,
        maxAttempts: s.maxJobAttempts,
        scratchDir: s.scratchDir,
        activityRecheckDays: s.activityRecheckDays,
      });
      pool.start();
      scheduler = new ScheduleRunner({
        store,
        bus,
        clock,
        random,
        logger,
        tickMs: Math.min(1000, Math.max(100, Math.floor(s.scheduleMinIntervalMs / 4))),
      });
      scheduler.start();
    },
    close: (step = plain) =>
      (closing ??= (async () => {
        if (scheduler) await step('schedules', () => scheduler!.stop());
        if (pool) await step('workers', () => pool!.stop());
        // The last events (a released lease, a final state) still go out before the bus closes.
        if (cluster) await step('job events', () => cluster.close());
      })()),
  };
}
