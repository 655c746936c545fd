import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { PostgresAdapter, type Dialect, type Kysely } from 'kysely';
import { AppError } from '../core/index.js';
import { CurrentSchemaPostgresDialect, LockingSqliteDialect, SQLITE_BUSY_TIMEOUT_MS, SQLITE_STARTUP_WAIT_MS } from './migration-lock.js';

/**
 * THE place for dialect-specific code (style.md: "a dialect seam behind one API"). Everything
 * else in the store is written with Kysely's builders in SQL that SQLite and PostgreSQL share.
 */
export type DialectName = 'sqlite' | 'postgres';

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

/** Builds the Kysely dialect for a resolved location. */
export function createDialect(loc: ResolvedLocation, opts: DialectOptions = {}): Dialect {
  if (loc.dialect === 'postgres') {
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
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  return new LockingSqliteDialect({ database: sqlite });
}

/** Which dialect a handle (or transaction) speaks. */
export function dialectOf(db: Kysely<never> | Kysely<unknown> | { getExecutor(): { adapter: unknown } }): DialectName {
  return (db as { getExecutor(): { adapter: unknown } }).getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
