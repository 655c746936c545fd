import {
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type DialectAdapter,
  type Kysely,
  type MigrationLockOptions,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';

/**
 * How long a starting process waits for another one's migrations on the same SQLite file.
 * Migrating a fresh file takes milliseconds idle, but seconds on a loaded disk (one fsync'd
 * transaction); this covers dozens of processes queued behind it.
 */
export const SQLITE_STARTUP_WAIT_MS = 60_000;
/** The busy_timeout a SQLite connection runs with once started. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Switches a SQLite file to WAL, retrying while SQLite answers SQLITE_BUSY. The busy timeout does
 * not cover this: two processes opening a fresh (rollback-mode) file both hold a shared lock and
 * both want the exclusive one, and SQLite fails one of them at once instead of letting them
 * deadlock ("database is locked" in CI; 1 in 400 opens with 10 processes racing). The one that
 * backs off lets the other finish, then finds the file in WAL already. The wait is synchronous
 * (start-up only, a few ms) because the connection is made synchronously.
 */
export function switchToWal(sqlite: { pragma(source: string): unknown }): void {
  const deadline = Date.now() + SQLITE_STARTUP_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(2 ** attempt, 50));
    }
  }
}

/**
 * Runs a SQLite start-up step (WAL switch, migrations) with the long start-up wait. All of
 * start-up needs it, not only the lock: Kysely creates its migration tables BEFORE it takes the
 * lock, so a process that found none waited on the first one's locked run with the normal 5 s and
 * failed "database is locked" when that run took longer on a loaded machine (CI, 1 in 48 starts).
 */
export async function withSqliteStartupWait<T>(
  setBusyTimeout: (ms: number) => Promise<void> | void,
  step: () => Promise<T> | T,
): Promise<T> {
  await setBusyTimeout(SQLITE_STARTUP_WAIT_MS);
  try {
    return await step();
  } finally {
    await setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
  }
}

/**
 * Kysely's SQLite adapter takes no migration lock ("only one connection"), but two processes
 * on one file are two connections: both saw no migrations and both ran `001_sync`, and one
 * failed with "table sync_jobs already exists" (issue 12.10: 2 of 30 starts). Here the
 * migration connection holds SQLite's write lock (`BEGIN IMMEDIATE`) from before it reads the
 * migration table until it has written its results, so the next process waits, then finds the
 * migrations done. SQLite DDL is transactional, so the whole run commits (or fails) as one.
 */
class MigrationLockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>, _opt: MigrationLockOptions): Promise<void> {
    // Waits with the start-up wait: migrateToLatest runs inside withSqliteStartupWait.
    await sql`BEGIN IMMEDIATE`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>, _opt: MigrationLockOptions): Promise<void> {
    await sql`COMMIT`.execute(db);
  }
}

/** SQLite with a migration lock that works across processes (see MigrationLockingSqliteAdapter). */
export class LockingSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new MigrationLockingSqliteAdapter();
  }
}

/**
 * Kysely's PostgreSQL introspector lists the tables of EVERY schema and calls
 * `has_schema_privilege(name, …)` per schema; a schema dropped meanwhile (another deployment or
 * test in the same database) made that call fail with 3F000 "schema … does not exist", and the
 * start-up with it. The migrator only asks whether its own tables exist, so this introspector
 * looks in the connection's current schema only, through oid-based catalog views.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const r = await sql<{ name: string }>`select current_schema() as name`.execute(this.db);
    return r.rows.filter((row) => row.name !== null);
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const r = await sql<{ schema: string; name: string; type: string }>`
      select table_schema as schema, table_name as name, table_type as type
      from information_schema.tables where table_schema = current_schema()`.execute(this.db);
    return r.rows
      .filter((t) => options.withInternalKyselyTables || !t.name.startsWith('kysely_'))
      .map((t) => ({ name: t.name, schema: t.schema, isView: t.type === 'VIEW', columns: [] }));
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** PostgreSQL whose introspection (used by the migrator) stays inside the current schema. */
export class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
