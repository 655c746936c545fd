/**
 * The store room (design.md §2): Kysely schema, migrations, repositories, SQLite and PostgreSQL
 * dialects, and the blob store for FIT files. SQL lives only here (style.md rule 7).
 */
export type { Database, Db } from './schema.js';
export type * from './sync.tables.js';
export { openDatabase, migrateToLatest, type OpenDatabaseOptions } from './database.js';
export {
  resolveLocation,
  capabilitiesOf,
  DIALECT_CAPABILITIES,
  type DialectCapabilities,
  type DialectName,
  type DatabaseLocation,
} from './dialect.js';
export { MIGRATIONS, staticMigrationProvider } from './migrations.js';
export type { BlobStore, BlobRef, OpenedBlob } from './blob-store.js';
export { FileBlobStore, type FileBlobStoreOptions } from './file-blob-store.js';
export type { BlobFs, BlobFileHandle, BlobFileStat } from './blob-fs.js';
export { nodeBlobFs } from './blob-fs.js';
export { DbBlobStore, migrateBlobs, BLOB_CHUNK_BYTES, type DbBlobStoreOptions } from './db-blob-store.js';
export type * from './blob-chunks.tables.js';
export { createStore, type CreateStoreOptions, type StoreModule } from './create-store.js';
export { createBlobStore, type CreateBlobStoreOptions } from './create-blob-store.js';
export { storageFailure } from './storage-errors.js';
export { prepareDataDir } from './data-dir.js';
export { KeyFingerprintRepository } from './key-fingerprint.repository.js';
export type * from './key-fingerprints.tables.js';
export { encodeCursor, decodeCursor } from './json.js';
export type { SyncJobParams, SyncJobRecord, NewSyncJob, ListJobsFilter, Page, JobCounters } from './sync-job.types.js';
export { SyncJobRepository, canonicalParams } from './sync-job.repository.js';
export { JobFailureRepository, type JobFailureRecord } from './job-failure.repository.js';
export { JobItemRepository } from './job-item.repository.js';
export { WatermarkRepository } from './watermark.repository.js';
export { ActivityRepository, type ActivityRecord, type ActivityUpsert } from './activity.repository.js';
export {
  HealthMetricRepository,
  type HealthMetricWrite,
  type HealthMetricRecord,
  type HealthMetricStatus,
  type HealthDayEntry,
  type HealthDayPage,
} from './health/health-metric.repository.js';
export type * from './health/health-metrics.tables.js';
export { WorkoutRepository, type WorkoutRecord, type WorkoutUpsert } from './workout.repository.js';
export { SyncStore } from './sync-store.js';
export { ScheduleRepository, type ScheduleRecord, type ScheduleWrite, type DueSchedule } from './schedule.repository.js';
export { ImportRepository, type ImportRecord, type ImportState, type UnmatchedFit } from './import.repository.js';
export type * from './archive.tables.js';
export * from './auth/index.js';
export type * from './scale.tables.js';
export { RateBudgetRepository, type BudgetPolicy, type BudgetTake } from './rate-budget.repository.js';
export { PgNotifications, type PgNotificationsOptions } from './pg-notifications.js';
