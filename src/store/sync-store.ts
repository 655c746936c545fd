import { ImportRepository } from './import.repository.js';
import type { Kysely } from 'kysely';
import { ActivityRepository } from './activity.repository.js';
import { HealthMetricRepository } from './health/health-metric.repository.js';
import { JobFailureRepository } from './job-failure.repository.js';
import { JobItemRepository } from './job-item.repository.js';
import { ScheduleRepository } from './schedule.repository.js';
import type { Database, Db } from './schema.js';
import { SyncJobRepository } from './sync-job.repository.js';
import { WatermarkRepository } from './watermark.repository.js';
import { WorkoutRepository } from './workout.repository.js';

/**
 * The sync repositories over one handle. `transaction(fn)` gives `fn` the same repositories
 * bound to a transaction: the sync engine upserts an item and its job checkpoint atomically.
 */
export class SyncStore {
  readonly jobs: SyncJobRepository;
  readonly failures: JobFailureRepository;
  readonly jobItems: JobItemRepository;
  readonly watermarks: WatermarkRepository;
  readonly activities: ActivityRepository;
  readonly healthMetrics: HealthMetricRepository;
  readonly workouts: WorkoutRepository;
  readonly imports: ImportRepository;
  readonly schedules: ScheduleRepository;

  constructor(readonly db: Db) {
    this.jobs = new SyncJobRepository(db);
    this.failures = new JobFailureRepository(db);
    this.jobItems = new JobItemRepository(db);
    this.watermarks = new WatermarkRepository(db);
    this.activities = new ActivityRepository(db);
    this.healthMetrics = new HealthMetricRepository(db);
    this.workouts = new WorkoutRepository(db);
    this.imports = new ImportRepository(db);
    this.schedules = new ScheduleRepository(db);
  }

  /** Runs `fn` in a transaction (or inside the current one); a throw rolls everything back. */
  async transaction<T>(fn: (tx: SyncStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    return (this.db as Kysely<Database>).transaction().execute((trx) => fn(new SyncStore(trx)));
  }
}
