import { changeCountersOf, type ChangeCounters } from './dialect.js';
import type { Db } from './schema.js';

/** How many rows a cache keeps (least recently read out first). */
export const FRESH_ROW_CACHE_SIZE = 1000;

/**
 * Rows read once and served again for as long as the database provably has not changed: before
 * each read one statement reads the connection's change counters (`changeCountersOf`), and any change
 * anywhere since a row was read, by this process or another, makes that row be read again. So an
 * answer is never older than a read at the same moment would be; what is saved is the row's query
 * and its decoding while nothing is written (bench row 5: clients polling a job they wait for).
 *
 * Only for a root handle: inside a transaction the connection sees its own uncommitted writes,
 * which a rollback takes back without moving the counters. The counters are read before the row,
 * never after: a write between the two then only makes the next read miss, while the other order
 * could file an old row under a new count. The same holds when a transaction is open on the
 * connection as the counters are read (they are read outside Kysely's queue): its writes so far
 * already moved them, later ones move them again, and the row itself is read through the queue,
 * after the transaction ended. Where the dialect has no counters every get reads.
 */
export class FreshRowCache<T> {
  private readonly rows = new Map<string, { c: number; v: number; row: T }>();
  private readonly counters: (() => ChangeCounters) | null;

  constructor(
    db: Db,
    private readonly max = FRESH_ROW_CACHE_SIZE,
  ) {
    this.counters = db.isTransaction ? null : changeCountersOf(db);
  }

  /** The row under `key`: the one read before if nothing changed since, else `read()`'s (undefined is not kept). */
  async get(key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.counters) return read();
    const now = this.counters();
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
