import type { Kysely } from 'kysely';

/**
 * Migration "010_archive" (issue 16): uploaded account-export archives and their chunks (in the
 * database, so an API process and the worker that imports need nothing else to share), the FIT
 * files that matched no activity, and where an activity's summary came from (`api` or `archive`:
 * the API's wins when both have it). `bytea` is binary on PostgreSQL; SQLite stores blobs as given.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('import_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sha256', 'text')
    .addColumn('chunk_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('job_id', 'text')
    .addColumn('report', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('imports_user').on('imports').columns(['user_id', 'created_at']).execute();
  await db.schema
    .createTable('import_chunks')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_chunks_pk', ['import_id', 'seq'])
    .execute();
  await db.schema
    .createTable('import_unmatched_fits')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('entry_name', 'text', (c) => c.notNull())
    .addColumn('start_time', 'bigint')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_unmatched_fits_pk', ['user_id', 'sha256'])
    .execute();
  await db.schema
    .alterTable('activities')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('api'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('activities').dropColumn('source').execute();
  for (const t of ['import_unmatched_fits', 'import_chunks', 'imports']) await db.schema.dropTable(t).ifExists().execute();
}
