import { sql, type Kysely } from 'kysely';
import { capabilitiesOf } from './dialect.js';

/**
 * Migration "012_blob_chunks" (issue 12.12): FIT originals in the database for PostgreSQL
 * deployments (PgBlobStore) — one `blobs` row per content address and its bytes in `blob_chunks`
 * rows of at most 256 KiB, so no process needs a shared file system. Created on SQLite too (one
 * schema for both dialects), where the file store stays the default and the tables stay empty.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = sql.raw(capabilitiesOf(db).bytesType);
  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('blob_chunks')
    // The blob's sha256 once stored; a write in progress uses a temporary key inside its transaction.
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('blob_chunks_pk', ['blob_key', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('blob_chunks').ifExists().execute();
  await db.schema.dropTable('blobs').ifExists().execute();
}
