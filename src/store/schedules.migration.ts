import { sql, type Kysely } from 'kysely';

/**
 * Migration "008_schedules" (issue 15, issue 12.4): what keeps a user's data current without a
 * person typing a command.
 * - sessions slide: `expires_at` becomes the idle end (moved forward by each refresh) and the new
 *   `absolute_expires_at` the hard end; `previous_token_hash` + `rotated_at` remember the token
 *   rotated away last, which may be presented again within the grace window (lost answers).
 * - `sync_schedules`: one row per (user, sync type), claimed by compare-and-set on `next_run_at`
 *   so that each due time runs once however many workers poll.
 * - `sync_jobs.trigger` ('manual' | 'schedule') and `sync_jobs.probe` (JSON: the change-detection
 *   probe of a scheduled run).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('sessions').addColumn('previous_token_hash', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('rotated_at', 'bigint').execute();
  // Sessions from before: their fixed end stays their absolute end.
  await sql`UPDATE sessions SET absolute_expires_at = expires_at`.execute(db);
  await db.schema.createIndex('sessions_previous_token').on('sessions').column('previous_token_hash').execute();
  // The account state is called reauth_required from now on (issue 15).
  await sql`UPDATE garmin_accounts SET status = 'reauth_required' WHERE status = 'login_required'`.execute(db);

  await db.schema
    .createTable('sync_schedules')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('sync_type', 'text', (c) => c.notNull())
    .addColumn('every_ms', 'bigint', (c) => c.notNull())
    .addColumn('jitter_ms', 'bigint', (c) => c.notNull())
    .addColumn('next_run_at', 'bigint', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('last_run_at', 'bigint')
    .addColumn('last_job_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_schedules_pk', ['user_id', 'sync_type'])
    .execute();
  await db.schema.createIndex('sync_schedules_due').on('sync_schedules').column('next_run_at').execute();

  await db.schema
    .alterTable('sync_jobs')
    .addColumn('trigger', 'text', (c) => c.notNull().defaultTo('manual'))
    .execute();
  await db.schema.alterTable('sync_jobs').addColumn('probe', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_jobs').dropColumn('probe').execute();
  await db.schema.alterTable('sync_jobs').dropColumn('trigger').execute();
  await db.schema.dropTable('sync_schedules').ifExists().execute();
  await db.schema.dropIndex('sessions_previous_token').ifExists().execute();
  await db.schema.alterTable('sessions').dropColumn('rotated_at').execute();
  await db.schema.alterTable('sessions').dropColumn('previous_token_hash').execute();
  await db.schema.alterTable('sessions').dropColumn('absolute_expires_at').execute();
}
