import { sql, type Kysely } from 'kysely';

/**
 * Migration "018_sync_jobs_active": a partial index of the active (pending or running) jobs by
 * (user_id, created_at, job_id), so that a PostgreSQL claim reads each user's first few claimable
 * jobs from it in claim order instead of ranking the whole backlog, and lists the users with
 * active jobs without reading the finished history (issue 17, row 7; see sync-job.claim.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('sync_jobs_active_user')
    .on('sync_jobs')
    .columns(['user_id', 'created_at', 'job_id'])
    .where(sql.ref('status'), 'in', [sql.lit('pending'), sql.lit('running')])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sync_jobs_active_user').execute();
}
