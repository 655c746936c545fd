import type { Kysely } from 'kysely';

/**
 * Migration "016_job_resumed_items": how many of a job's processed items an earlier attempt of
 * the same job had already written (a job resumed after its worker died), so that a summary
 * says "synced 168, resumed 132" instead of "synced 300" (issue 18.4). 0 for older jobs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sync_jobs')
    .addColumn('resumed_items', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_jobs').dropColumn('resumed_items').execute();
}
