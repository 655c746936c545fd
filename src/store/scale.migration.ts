import type { Kysely } from 'kysely';

/**
 * Migration "003_scale": state that several processes must share (issue 6). Today one table,
 * the per-Garmin-account request budget (token bucket + 429 pause), so that N worker processes
 * together stay within one account's budget instead of N times it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('garmin_rate_budgets')
    .addColumn('account_key', 'text', (c) => c.primaryKey())
    // May go negative: a negative balance is a queue of reservations (see RateBudgetRepository).
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('refilled_at', 'bigint', (c) => c.notNull())
    .addColumn('paused_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('garmin_rate_budgets').ifExists().execute();
}
