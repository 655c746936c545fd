import type { Kysely } from 'kysely';
import type { Logger } from '../core/index.js';
import type { BlobStore } from './blob-store.js';
import type { BlobFs } from './blob-fs.js';
import { DbBlobStore } from './db-blob-store.js';
import { capabilitiesOf } from './dialect.js';
import { FileBlobStore } from './file-blob-store.js';
import type { Database } from './schema.js';

export interface CreateBlobStoreOptions {
  db: Kysely<Database>;
  /** The file store's directory (`DATA_DIR/blobs`). */
  dir: string;
  logger: Logger;
  /** Epoch ms (the clock of the composition root). */
  now: () => number;
  /** The file store's file operations (default node:fs/promises). */
  fs?: BlobFs;
}

/**
 * The composition roots' one call for a blob store (issue 12.12): on PostgreSQL the blobs live in
 * the database (a deployment needs nothing else; `garminsync server migrate-blobs` copies an
 * existing blob dir in), on SQLite in the file store under the data dir, made ready (directories
 * 0700, orphaned temp files removed).
 */
export async function createBlobStore(o: CreateBlobStoreOptions): Promise<BlobStore> {
  if (capabilitiesOf(o.db).blobsInDatabase) return new DbBlobStore(o.db, { now: o.now, logger: o.logger });
  const files = new FileBlobStore(o.dir, { logger: o.logger, ...(o.fs ? { fs: o.fs } : {}) });
  await files.init(o.now());
  return files;
}
