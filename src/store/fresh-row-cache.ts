import { CompiledQuery } from 'kysely';
import { capabilitiesOf } from './dialect.js';
import type { Db } from './schema.js';

/** How many rows a cache keeps (least recently read out first). */
export const FRESH_ROW_CACHE_SIZE = 1000;

/**
 * Rows read once and served again for as long as the database provably has not changed: before
 * each read one statement asks the dialect's change counters (`changeCounterSql`), and any change
 * anywhere since a row was read, by this process or another, makes that row be read again. So an
 * answer is never older than a read at the same moment would be; what is saved is the row's query
 * and its decoding while nothing is written (bench row 5: clients polling a job they wait for).
 *
 * Only for a root handle: inside a transaction the connection sees its own uncommitted writes,
 * which a rollback takes back without moving the counters. The counters are read before the row,
 * never after: a write between the two then only makes the next read miss, while the other order
 * could file an old row under a new count. Where the dialect has no counters it reads every time.
 */
export class FreshRowCache<T> {
  private readonly rows = new Map<string, { c: number; v: number; row: T }>();
  private readonly counters: CompiledQuery<{ c: number; v: number }> | null;

  constructor(
    private readonly db: Db,
    private readonly max = FRESH_ROW_CACHE_SIZE,
  ) {
    const sql = db.isTransaction ? null : capabilitiesOf(db).changeCounterSql;
    this.counters = sql ? CompiledQuery.raw(sql) : null;
  }

  /** The row under `key`: the one read before if nothing changed since, else `read()`'s (undefined is not kept). */
  async get(key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.counters) return read();
    const { rows } = await this.db.executeQuery(this.counters);
    const now = rows[0];
    if (!now) return read();
    const kept = this.rows.get(key);
    if (kept && kept.c === now.c && kept.v === now.v) {
      this.rows.delete(key);
      this.rows.set(key, kept);
      return kept.row;
    }
    const row = await read();
    this.rows.delete(key);
    if (row === undefined) return undefined;
    if (this.rows.size >= this.max) {
      const oldest = this.rows.keys().next();
      if (!oldest.done) this.rows.delete(oldest.value);
    }
    this.rows.set(key, { c: now.c, v: now.v, row });
    return row;
  }
}
