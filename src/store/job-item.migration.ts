import type { Kysely } from 'kysely';

/**
 * Migration "004_sync_job_items": the engine's per-item checkpoints (issue 11.3). A row says "this
 * job already wrote this item"; it is inserted in the item's own transaction, so a resumed job
 * skips exactly what was committed, whatever the syncer. Rows live only while the job does: a
 * terminal transition deletes them (and deleting the job cascades).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_job_items')
    .addColumn('job_id', 'text', (c) => c.notNull().references('sync_jobs.job_id').onDelete('cascade'))
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_job_items_pk', ['job_id', 'item_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_job_items').ifExists().execute();
}
