import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many distinct SQL texts keep their prepared statement (least recently used out first). */
export const SQLITE_STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 as Kysely's SQLite driver sees it, with each SQL text prepared once and its
 * statement reused: Kysely prepares every query anew, and on a GET of the API that `prepare` was
 * a tenth of the service's CPU (bench row 5 profile). Reuse is safe here because Kysely runs one
 * query at a time on its single SQLite connection (a mutex, held for a whole streamed query), and
 * SQLite re-prepares a statement by itself when the schema changed under it.
 */
export function reusingStatements(db: SqliteDatabase, max = SQLITE_STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      let stmt = statements.get(sql);
      if (stmt) {
        statements.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (statements.size >= max) {
          const oldest = statements.keys().next();
          if (!oldest.done) statements.delete(oldest.value);
        }
      }
      statements.set(sql, stmt);
      return stmt;
    },
    close(): void {
      statements.clear();
      db.close();
    },
  };
}
