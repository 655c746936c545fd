import type { Kysely } from 'kysely';

/**
 * Migration "017_sync_jobs_served": an index on (user_id, start_time), so that a claim finds when a
 * user was last served (the latest start of any of their jobs, see sync-job.claim.ts) from the
 * index's last entry instead of reading the user's whole job history (issue 17, row 7).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('sync_jobs_user_served').on('sync_jobs').columns(['user_id', 'start_time']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sync_jobs_user_served').execute();
}
