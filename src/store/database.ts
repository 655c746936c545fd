import { Kysely, Migrator, sql } from 'kysely';
import { AppError } from '../core/index.js';
import { capabilitiesOf, createDialect, resolveLocation, type DatabaseLocation, type DialectOptions } from './dialect.js';
import { withSqliteStartupWait } from './migration-lock.js';
import { staticMigrationProvider } from './migrations.js';
import type { Database } from './schema.js';

export interface OpenDatabaseOptions extends DatabaseLocation, DialectOptions {
  /** Run the migrations before returning (default true). */
  migrate?: boolean;
}

/**
 * Opens the service database — SQLite (better-sqlite3, WAL, busy_timeout, foreign keys) for a file
 * or `sqlite:` URL, PostgreSQL (pg pool) for a `postgres://` URL — and brings its schema to the
 * latest migration. The caller owns the handle and closes it with `db.destroy()`.
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Kysely<Database>> {
  const db = new Kysely<Database>({ dialect: await createDialect(resolveLocation(opts), opts) });
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(db);
    } catch (e) {
      await db.destroy().catch(() => {});
      throw e;
    }
  }
  return db;
}

/**
 * Runs every pending migration of the static list (001_sync, 002_auth, …) with Kysely's Migrator
 * under a lock, so that several processes starting at once migrate exactly once: PostgreSQL's
 * advisory lock, and on SQLite the write lock (`BEGIN IMMEDIATE`, see migration-lock.ts).
 * Throws INTERNAL naming the failed migration.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Named schemas (PostgreSQL): name the schema of the migration tables. Without it Kysely looks
  // for them in EVERY schema, finds another schema's (a second deployment, a parallel test) and never creates its own.
  const caps = capabilitiesOf(db);
  const migrationTableSchema = caps.namedSchemas
    ? ((await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]?.schema ?? undefined)
    : undefined;
  // Migration numbers are handed out to features developed in parallel, so a database may have
  // run 008 before 004 exists: run a late lower number instead of refusing to start.
  const migrator = new Migrator({
    db,
    provider: staticMigrationProvider,
    allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  // The migration lock of a write-lock dialect is that lock (BEGIN IMMEDIATE), waited for with the
  // busy timeout: lengthen it to the start-up wait for the whole run.
  const { error, results } =
    caps.crossProcessLock === 'database-write-lock'
      ? await withSqliteStartupWait(
          async (ms) => void (await sql.raw(`PRAGMA busy_timeout = ${ms}`).execute(db)),
          () => migrator.migrateToLatest(),
        )
      : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new AppError('INTERNAL', `Database migration ${failed?.migrationName ?? ''} failed.`.replace('  ', ' '), {}, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
