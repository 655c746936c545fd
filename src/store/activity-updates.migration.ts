import type { Kysely } from 'kysely';

/**
 * Migration "014_activity_updates" (issue 15 freshness): the last-update time Garmin gives an
 * activity's detail (`metadataDTO.lastUpdateDate`, epoch ms), so that recent activities edited in
 * Garmin Connect (renamed, type changed) are noticed and refreshed in place. NULL: never checked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('activities').addColumn('garmin_updated_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('activities').dropColumn('garmin_updated_at').execute();
}
