import type { Kysely, Transaction } from 'kysely';
import type { ArchiveTables } from './archive.tables.js';
import type { AuthTables } from './auth/auth.tables.js';
import type { BlobChunkTables } from './blob-chunks.tables.js';
import type { KeyFingerprintTables } from './key-fingerprints.tables.js';
import type { HealthMetricsTables } from './health/health-metrics.tables.js';
import type { ScaleTables } from './scale.tables.js';
import type { ScheduleTables } from './schedules.tables.js';
import type { SyncTables } from './sync.tables.js';

/** Every table of the service, typed once (style.md rule 6). */
export type Database = SyncTables &
  AuthTables &
  ScaleTables &
  HealthMetricsTables &
  ScheduleTables &
  ArchiveTables &
  KeyFingerprintTables &
  BlobChunkTables;

/** A database handle or an open transaction on it: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;
