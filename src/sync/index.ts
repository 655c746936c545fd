/**
 * The sync room (design.md §2, §5): the job engine and one syncer per type.
 *
 * Wiring (src/server/main.ts):
 *   const limiters = new AccountLimiters({ clock, ratePerSec, burst });
 *   // each user's GarminConnect gets `limiter: limiters.forAccount(userId)`
 *   const bus = new InProcessJobEventBus();
 *   const store = new SyncStore(db); const blobs = new FileBlobStore(join(dataDir, 'blobs'));
 *   const sync = new SyncService({ store, bus, clock, random, logger });          // API side
 *   const pool = new WorkerPool({ store, blobs, gateway, limiters, bus, clock, random, logger }); // workers
 *   pool.start(); … on SIGTERM: await pool.stop();   // releases leases
 *
 * Scale mode (PostgreSQL, several processes): `SharedAccountLimiters` (the budget and the 429
 * pause in the database) instead of AccountLimiters, and `ClusterJobEventBus` over store's
 * PgNotifications (LISTEN/NOTIFY) instead of InProcessJobEventBus.
 */
export type { GarminGateway, GarminConnectLike, GarminActivitySummaryLike, GarminWorkoutSummaryLike } from './garmin.port.js';
export {
  AccountLimiter,
  AccountLimiters,
  type AccountLimiterRegistry,
  type AccountRateLimiter,
  type RequestLimiter,
  type TokenBucketOptions,
} from './rate-limiter.js';
export { SharedAccountLimiter, SharedAccountLimiters, type SharedLimiterOptions } from './shared-rate-limiter.js';
export { ClusterJobEventBus, type ClusterJobEventBusOptions, type NotificationTransport } from './cluster-job-event-bus.js';
export { InProcessJobEventBus, type JobEvent, type JobEventBus, type Unsubscribe } from './job-event-bus.js';
export { SyncService, type SyncServiceOptions, type CreateJobInput } from './sync.service.js';
export { SyncedDataService, type SyncedDataServiceOptions, type OpenedFit } from './synced-data.service.js';
export { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
export { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './create-sync-engine.js';
export {
  defineSyncer,
  SyncerRegistry,
  type Syncer,
  type SyncerContext,
  type SyncerSettings,
  type SyncData,
  type SyncItem,
  type SyncRun,
} from './syncer.js';
export { SYNCERS } from './syncers/index.js';
export { ArchiveImportService, type ArchiveImportServiceOptions } from './archive/import.service.js';
export type { ActivityWatermark } from './syncers/activities.syncer.js';
export type { HealthWatermark } from './syncers/health.syncer.js';
export { HealthDataService, type HealthDaySummary, type HealthDayMetrics, type HealthDayListInput } from './health/health-data.service.js';
export { CoverageService, DEFAULT_COVERAGE_DAYS } from './health/coverage.service.js';
export type { Coverage, CoverageCell, CoverageDay, CoverageTotals } from './health/coverage.js';
export {
  ScheduleService,
  MAX_SCHEDULE_INTERVAL_MS,
  type ScheduleServiceOptions,
  type SetScheduleInput,
} from './schedules/schedule.service.js';
export { ScheduleRunner, type ScheduleRunnerOptions } from './schedules/schedule-runner.js';
