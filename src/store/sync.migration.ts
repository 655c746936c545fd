import type { Kysely } from 'kysely';

/**
 * Migration "001_sync": the sync tables. Written with Kysely's schema builder and types that mean
 * the same on SQLite and PostgreSQL (`bigint` for epoch ms, `double precision` for measurements,
 * `text` for ids and JSON). No foreign keys to the auth tables: they are created by 002_auth.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_jobs')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('sync_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_items', 'integer')
    .addColumn('processed_items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('start_time', 'bigint')
    .addColumn('end_time', 'bigint')
    .addColumn('error_message', 'text')
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('active_key', 'text')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_jobs_user_created').on('sync_jobs').columns(['user_id', 'created_at', 'job_id']).execute();
  await db.schema.createIndex('sync_jobs_claim').on('sync_jobs').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('sync_jobs_active_key').on('sync_jobs').columns(['user_id', 'active_key']).unique().execute();

  await db.schema
    .createTable('sync_job_failures')
    .addColumn('job_id', 'text', (c) => c.notNull().references('sync_jobs.job_id').onDelete('cascade'))
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text', (c) => c.notNull())
    .addColumn('error_message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_job_failures_pk', ['job_id', 'item_key'])
    .execute();

  await db.schema
    .createTable('sync_watermarks')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('sync_type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_watermarks_pk', ['user_id', 'sync_type'])
    .execute();

  await db.schema
    .createTable('activities')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('sport', 'text', (c) => c.notNull())
    .addColumn('start_time', 'bigint', (c) => c.notNull())
    .addColumn('duration_seconds', 'double precision')
    .addColumn('distance_meters', 'double precision')
    .addColumn('calories', 'double precision')
    .addColumn('average_hr', 'double precision')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('fit_sha256', 'text')
    .addColumn('fit_size', 'integer')
    .addColumn('job_id', 'text')
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('activities_pk', ['user_id', 'activity_id'])
    .execute();
  await db.schema.createIndex('activities_user_start').on('activities').columns(['user_id', 'start_time', 'activity_id']).execute();

  await db.schema
    .createTable('health_days')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('calendar_date', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('heart_rate', 'text')
    .addColumn('sleep', 'text')
    .addColumn('stress', 'text')
    .addColumn('hrv', 'text')
    .addColumn('weight', 'text')
    .addColumn('job_id', 'text')
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('health_days_pk', ['user_id', 'calendar_date'])
    .execute();

  await db.schema
    .createTable('workouts')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('workout_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('sport', 'text')
    .addColumn('updated_at', 'bigint')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('fit_sha256', 'text')
    .addColumn('fit_size', 'integer')
    .addColumn('job_id', 'text')
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('workouts_pk', ['user_id', 'workout_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['workouts', 'health_days', 'activities', 'sync_watermarks', 'sync_job_failures', 'sync_jobs']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
