import { sql, type Kysely } from 'kysely';
import { capabilitiesOf } from './dialect.js';
import type { Database, Db } from './schema.js';

/**
 * Runs `fn` as one critical section per user across every process on the database, so that a
 * read-then-write on a user's jobs (count the active ones, then insert) cannot interleave with
 * another process doing the same, by the dialect's `crossProcessLock`: `advisory` (PostgreSQL) — a
 * transaction holding a transaction-level advisory lock on the user; `database-write-lock`
 * (SQLite) — `BEGIN IMMEDIATE`, which takes the database's one write lock up front (a plain
 * deferred BEGIN would read first and could then lose the upgrade to a writer). Inside
 * an open transaction `fn` simply runs in it.
 */
export async function withUserJobLock<T>(db: Db, userId: string, fn: (db: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  const root = db as Kysely<Database>;
  const lock = capabilitiesOf(root).crossProcessLock;
  if (lock === 'advisory') {
    return root.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`sync_jobs:${userId}`}, 0))`.execute(tx);
      return fn(tx);
    });
  }
  lock satisfies 'database-write-lock';
  return root.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const out = await fn(conn);
      await sql`commit`.execute(conn);
      return out;
    } catch (e) {
      await sql`rollback`.execute(conn);
      throw e;
    }
  });
}
