import type { Migration, MigrationProvider } from 'kysely';
import * as activityUpdatesMigration from './activity-updates.migration.js';
import * as archiveMigration from './archive.migration.js';
import * as authMigration from './auth/auth.migration.js';
import * as blobChunksMigration from './blob-chunks.migration.js';
import * as jobErrorCodeMigration from './job-error-code.migration.js';
import * as healthMetricsMigration from './health/health-metrics.migration.js';
import * as jobActiveIndexMigration from './job-active-index.migration.js';
import * as jobServedIndexMigration from './job-served-index.migration.js';
import * as jobItemMigration from './job-item.migration.js';
import * as jobResumedMigration from './job-resumed.migration.js';
import * as keyFingerprintsMigration from './key-fingerprints.migration.js';
import * as scaleMigration from './scale.migration.js';
import * as schedulesMigration from './schedules.migration.js';
import * as syncMigration from './sync.migration.js';

/**
 * The ordered migration list, compiled in (no directory scanning: works from dist/ and from
 * tsx alike). Names sort in the order they must run.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_sync': syncMigration,
  '002_auth': authMigration,
  '003_scale': scaleMigration,
  '004_job_error_code': jobErrorCodeMigration,
  '004_sync_job_items': jobItemMigration,
  '007_health_metrics': healthMetricsMigration,
  '008_schedules': schedulesMigration,
  '010_archive': archiveMigration,
  '012_blob_chunks': blobChunksMigration,
  '012_key_fingerprints': keyFingerprintsMigration,
  '014_activity_updates': activityUpdatesMigration,
  '016_job_resumed_items': jobResumedMigration,
  '017_sync_jobs_served': jobServedIndexMigration,
  '018_sync_jobs_active': jobActiveIndexMigration,
};

/** Kysely MigrationProvider over {@link MIGRATIONS}. */
export const staticMigrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
