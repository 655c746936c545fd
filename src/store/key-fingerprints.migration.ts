import type { Kysely } from 'kysely';

/**
 * Migration "012_key_fingerprints" (issue 12.12): the fingerprint of each key the processes of a
 * deployment must share, recorded by the first start, so that a process started with another key
 * refuses to start instead of failing every job later.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('key_fingerprints')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('key_fingerprints').ifExists().execute();
}
