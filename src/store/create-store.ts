import type { Kysely } from 'kysely';
import { join } from 'node:path';
import type { Clock, Logger } from '../core/index.js';
import type { BlobStore } from './blob-store.js';
import { nodeBlobFs, type BlobFs } from './blob-fs.js';
import { createBlobStore } from './create-blob-store.js';
import { openDatabase } from './database.js';
import { capabilitiesOf, resolveLocation } from './dialect.js';
import { KeyFingerprintRepository } from './key-fingerprint.repository.js';
import { PgNotifications } from './pg-notifications.js';
import { RateBudgetRepository } from './rate-budget.repository.js';
import { createReadiness } from './readiness.js';
import type { Database } from './schema.js';
import { SyncStore } from './sync-store.js';

export interface CreateStoreOptions {
  /** A PostgreSQL URL, a sqlite: URL or a SQLite file path (the `--database` setting). */
  database: string;
  /** PostgreSQL connections of the pool. */
  poolSize: number;
  /** The data directory; FIT blobs live in `DATA_DIR/blobs`. */
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** Free bytes the data dir's disk must keep for `ready()` (`--min-free-bytes`; 0 = unchecked). */
  minFreeBytes?: number;
  /** File operations of the blob store and the readiness check (tests inject a full disk). */
  fs?: BlobFs;
}

/** The store room as the composition root sees it: one handle per thing it keeps, one close. */
export interface StoreModule {
  db: Kysely<Database>;
  sync: SyncStore;
  blobs: BlobStore;
  budgets: RateBudgetRepository;
  /** Fingerprints of the service's keys (every process must hold the same ones). */
  keyFingerprints: KeyFingerprintRepository;
  /** LISTEN/NOTIFY between processes on PostgreSQL; null on SQLite (one machine, polling suffices). */
  notifications: PgNotifications | null;
  /** Throws NOT_READY when the store cannot serve: data dir or database missing, unwritable or full (issue 12.8). */
  ready(): Promise<void>;
  /** Stops listening and closes the database; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the database (migrated), the blob store and, on PostgreSQL, the notification listener.
 * On a failure part-way everything opened so far is closed again before the error is rethrown,
 * so a failed start leaves nothing running (issue 12.7).
 */
export async function createStore(o: CreateStoreOptions): Promise<StoreModule> {
  const location = resolveLocation({ url: o.database });
  const db = await openDatabase({
    url: o.database,
    poolSize: o.poolSize,
    onPoolError: (err) => o.logger.warn({ err }, 'an idle database connection was lost; it is replaced on the next query'),
  });
  let notifications: PgNotifications | null = null;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await notifications?.close();
      await db.destroy();
    })());
  try {
    const fs = o.fs ?? nodeBlobFs;
    const blobs = await createBlobStore({ db, dir: join(o.dataDir, 'blobs'), logger: o.logger, now: () => o.clock.now(), fs });
    const caps = capabilitiesOf(db);
    const sqliteFile = caps.databaseFile && location.target !== ':memory:' ? location.target : null;
    const ready = createReadiness(
      {
        db,
        dataDir: o.dataDir,
        sqliteFile,
        askReadOnly: caps.serverMayBeReadOnly,
        fs,
        minFreeBytes: o.minFreeBytes ?? 0,
        logger: o.logger,
      },
      sqliteFile === null ? null : await fs.stat(sqliteFile),
    );
    if (caps.notifications) {
      notifications = new PgNotifications({ url: location.target, db, clock: o.clock, logger: o.logger });
      await notifications.start();
    }
    return {
      db,
      sync: new SyncStore(db),
      blobs,
      budgets: new RateBudgetRepository(db),
      keyFingerprints: new KeyFingerprintRepository(db),
      notifications,
      ready,
      close,
    };
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
}
