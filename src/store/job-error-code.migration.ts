import type { Kysely } from 'kysely';

/**
 * Migration "004_job_error_code": a failed job carries the stable catalogue code of its error
 * (`error_code`, e.g. GARMIN_REAUTH_REQUIRED) beside the sentence for people (`error_message`), so
 * clients branch on the code, never on the prose (issue 11.2). NULL for jobs that did not fail
 * and for jobs that failed before this migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_jobs').addColumn('error_code', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_jobs').dropColumn('error_code').execute();
}
