import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import type { Dialect, DialectAdapter, Kysely } from 'kysely';
import { AppError } from '../core/index.js';
import { reusingStatements } from './sqlite-statements.js';
import {
  CurrentSchemaPostgresDialect,
  LockingSqliteDialect,
  SQLITE_BUSY_TIMEOUT_MS,
  SQLITE_STARTUP_WAIT_MS,
  switchToWal,
} from './migration-lock.js';

/**
 * THE place for dialect-specific decisions (style.md: "a dialect seam behind one API"). Everything
 * else in the store is written with Kysely's builders in SQL that SQLite and PostgreSQL share, and
 * where the dialects differ it asks a named capability (issue 11.5), never which dialect it is.
 */
export type DialectName = 'sqlite' | 'postgres';

/**
 * What differs between the dialects, as named capabilities of a database handle (as Kysely's
 * `DialectAdapter` declares `supportsReturning`, …). Read them with {@link capabilitiesOf}.
 */
export interface DialectCapabilities {
  /** For logs and tests only: code branches on the capabilities below, never on the name. */
  readonly name: DialectName;
  /**
   * `SELECT … FOR UPDATE SKIP LOCKED`: a claimer locks one row and skips rows other claimers hold.
   * Without it a claimer reads a few candidates and wins one by a guarded update.
   */
  readonly supportsSkipLocked: boolean;
  /**
   * A statement's `WITH` may hold `UPDATE`/`DELETE` (PostgreSQL): a claim (lock, rank, update) or a
   * completion (the job and its checkpoints) is one statement, one round trip, with no explicit
   * transaction around it. Without them (SQLite) they are several statements.
   */
  readonly dataModifyingCtes: boolean;
  /**
   * How a critical section spanning every process on the database is held: `advisory` — a
   * transaction holding an advisory lock on a key (`pg_advisory_xact_lock`), so unrelated keys do
   * not wait; `database-write-lock` — the database's one write lock taken up front
   * (`BEGIN IMMEDIATE`), waited for with the busy timeout (and at start-up the long start-up wait).
   */
  readonly crossProcessLock: 'advisory' | 'database-write-lock';
  /** Messages between processes on the database (LISTEN/NOTIFY); without them workers poll. */
  readonly notifications: boolean;
  /** Named schemas: the migration tables must be looked up in the connection's current schema. */
  readonly namedSchemas: boolean;
  /** The column type for raw bytes. */
  readonly bytesType: 'bytea' | 'blob';
  /** FIT blobs are kept in the database (processes on several machines share it), not the data dir. */
  readonly blobsInDatabase: boolean;
  /** The database is one file on this machine (the location's target): readiness checks it is still the one opened. */
  readonly databaseFile: boolean;
  /** A database server that can turn read-only (a standby, `default_transaction_read_only`): readiness asks. */
  readonly serverMayBeReadOnly: boolean;
  /**
   * The connection can say cheaply whether any row may have changed since it last asked (see
   * {@link changeCountersOf}): SQLite's `total_changes()` and `data_version`. PostgreSQL cannot.
   */
  readonly changeCounters: boolean;
}

/** Two counters that together differ from their last reading whenever a row may have changed. */
export interface ChangeCounters {
  /** This connection's own row changes (`total_changes()`), rolled-back ones included. */
  c: number;
  /** Moves when another connection (another process included) commits (`data_version`). */
  v: number;
}

/** Every dialect the store speaks, with its capabilities; a new dialect must add its entry here. */
export const DIALECT_CAPABILITIES: Readonly<Record<DialectName, DialectCapabilities>> = {
  postgres: {
    name: 'postgres',
    supportsSkipLocked: true,
    dataModifyingCtes: true,
    crossProcessLock: 'advisory',
    notifications: true,
    namedSchemas: true,
    bytesType: 'bytea',
    blobsInDatabase: true,
    databaseFile: false,
    serverMayBeReadOnly: true,
    changeCounters: false,
  },
  sqlite: {
    name: 'sqlite',
    supportsSkipLocked: false,
    dataModifyingCtes: false,
    crossProcessLock: 'database-write-lock',
    notifications: false,
    namedSchemas: false,
    bytesType: 'blob',
    blobsInDatabase: false,
    databaseFile: true,
    serverMayBeReadOnly: false,
    changeCounters: true,
  },
};

// Capabilities of the adapters createDialect made: a handle built any other way has none.
const declared = new WeakMap<DialectAdapter, DialectCapabilities>();
// The change counters of the connection behind an adapter, where the dialect has them.
const counterReaders = new WeakMap<DialectAdapter, () => ChangeCounters>();

/** A dialect whose adapter carries the store's capabilities for it (and its change counters). */
function withCapabilities(inner: Dialect, caps: DialectCapabilities, readCounters?: () => ChangeCounters): Dialect {
  return {
    createDriver: () => inner.createDriver(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createAdapter: () => {
      const adapter = inner.createAdapter();
      declared.set(adapter, caps);
      if (readCounters) counterReaders.set(adapter, readCounters);
      return adapter;
    },
  };
}

/**
 * The capabilities of a database handle (or a transaction, connection or migration handle of it).
 * Throws INTERNAL for a handle not opened by {@link createDialect} (`openDatabase`): a dialect
 * the store does not know must fail loudly instead of silently taking another dialect's branch.
 */
export function capabilitiesOf(db: Kysely<never> | Kysely<unknown> | { getExecutor(): { adapter: DialectAdapter } }): DialectCapabilities {
  const adapter = (db as { getExecutor(): { adapter: DialectAdapter } }).getExecutor().adapter;
  const caps = declared.get(adapter);
  if (!caps) {
    throw new AppError(
      'INTERNAL',
      `database: the store does not know this dialect (${adapter.constructor.name}); open databases with openDatabase.`,
    );
  }
  return caps;
}

/** Where the database lives: a PostgreSQL URL, a `sqlite:` URL / `file:` URL, or a file path. */
export interface DatabaseLocation {
  url?: string;
  file?: string;
}

export interface ResolvedLocation {
  dialect: DialectName;
  /** SQLite file path (or ":memory:") or the PostgreSQL connection string. */
  target: string;
}

/**
 * Parses a database location. `postgres://` / `postgresql://` → PostgreSQL; `sqlite:PATH`,
 * `sqlite://PATH`, `file:PATH` or a bare path → SQLite. Anything else is CONFIG_INVALID.
 */
export function resolveLocation(loc: DatabaseLocation): ResolvedLocation {
  if (loc.file) return { dialect: 'sqlite', target: loc.file };
  const url = loc.url?.trim();
  if (!url) throw new AppError('CONFIG_INVALID', 'database: give a PostgreSQL URL or a SQLite file.', { setting: 'database' });
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', target: url };
  const m = /^(?:sqlite|file):(?:\/\/)?(.*)$/i.exec(url);
  if (m) return { dialect: 'sqlite', target: m[1] || ':memory:' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new AppError('CONFIG_INVALID', `database: unsupported URL scheme in "${url.split(':')[0]}:"; use postgres:// or a SQLite file.`, {
      setting: 'database',
    });
  }
  return { dialect: 'sqlite', target: url };
}

export interface DialectOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** Told when an idle PostgreSQL connection was lost (it is replaced on the next query). */
  onPoolError?: (err: Error) => void;
}

type PgModule = typeof pg;

/**
 * pg, loaded when a PostgreSQL database is first opened: a SQLite service never initializes it
 * (~3 MiB of a started service's peak RSS, bench row 6).
 */
export async function loadPg(): Promise<PgModule> {
  return (await import('pg')).default;
}

/** Builds the Kysely dialect for a resolved location, its adapter carrying the dialect's capabilities. */
export async function createDialect(loc: ResolvedLocation, opts: DialectOptions = {}): Promise<Dialect> {
  if (loc.dialect === 'postgres') return withCapabilities(postgresDialect(await loadPg(), loc, opts), DIALECT_CAPABILITIES.postgres);
  const { dialect, readCounters } = sqliteDialect(loc);
  return withCapabilities(dialect, DIALECT_CAPABILITIES.sqlite, readCounters);
}

/**
 * Reads the change counters of a handle's connection (null where the dialect has none). The read
 * is one statement straight on the connection, outside Kysely's queue: it only reads two counters,
 * and a caller that reads its rows afterwards through Kysely gets rows at least as new as the
 * counters, also when a transaction was open on the connection at that moment (FreshRowCache).
 */
export function changeCountersOf(
  db: Kysely<never> | Kysely<unknown> | { getExecutor(): { adapter: DialectAdapter } },
): (() => ChangeCounters) | null {
  const adapter = (db as { getExecutor(): { adapter: DialectAdapter } }).getExecutor().adapter;
  return counterReaders.get(adapter) ?? null;
}

function postgresDialect(pg: PgModule, loc: ResolvedLocation, opts: DialectOptions): Dialect {
  const pool = new pg.Pool({
    connectionString: loc.target,
    max: opts.poolSize ?? 10,
    // PostgreSQL: our timestamps are int8 (epoch ms); pg hands int8 back as strings to avoid
    // precision loss beyond 2^53. Epoch ms stay far below that, so parse them as numbers here
    // (per pool, not pg's global registry). COUNT(*) is int8 too and benefits alike.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An IDLE pooled connection that dies (PostgreSQL restarted, failover, an admin's
  // pg_terminate_backend) makes the pool emit 'error'; unheard, that event would crash the
  // process. The pool has already dropped the client and opens a new one for the next query.
  pool.on('error', (err) => opts.onPoolError?.(err));
  return new CurrentSchemaPostgresDialect({ pool });
}

/** SQLite's page cache per connection, in KiB (a negative cache_size is KiB, not pages). */
export const SQLITE_PAGE_CACHE_KIB = 2000;

function sqliteDialect(loc: ResolvedLocation): { dialect: Dialect; readCounters: () => ChangeCounters } {
  if (loc.target !== ':memory:') {
    mkdirSync(dirname(resolve(loc.target)), { recursive: true });
    // A new database file is private to the service's user (SQLite gives its -wal/-shm files the
    // same mode): it holds health data and sealed Garmin tokens, also when --database points
    // outside the 0700 data dir. An existing file keeps the mode its operator chose.
    closeSync(openSync(loc.target, 'a', 0o600));
  }
  const sqlite = new SqliteDatabase(loc.target);
  // SQLite: WAL lets readers run while a writer commits; busy_timeout makes a second process
  // wait for the write lock instead of failing with SQLITE_BUSY; foreign keys are off by default.
  // busy_timeout first: switching a fresh file to WAL takes a lock too, and without the timeout a
  // process starting beside another failed at once with "database is locked".
  sqlite.pragma(`busy_timeout = ${SQLITE_STARTUP_WAIT_MS}`);
  switchToWal(sqlite);
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the service's hot pages
  // (jobs, tokens, sessions, the indexes an item write touches) fit in far less, and the rest is in
  // the OS page cache anyway. A full cache was most of the service's RSS growth over a 5,000-activity
  // backfill (issue 17, row 6: peak 239 → 219 MiB with 2 MB, same throughput; bench/findings.md).
  sqlite.pragma(`cache_size = -${SQLITE_PAGE_CACHE_KIB}`);
  // One statement, ~1.6 µs: the data_version half starts a read transaction (WAL read locks).
  const counters = sqlite.prepare('SELECT total_changes() AS c, data_version AS v FROM pragma_data_version');
  return {
    dialect: new LockingSqliteDialect({ database: reusingStatements(sqlite) }),
    readCounters: () => counters.get() as ChangeCounters,
  };
}
