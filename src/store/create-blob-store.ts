import type { Kysely } from 'kysely';
import type { Logger } from '../core/index.js';
import type { BlobStore } from './blob-store.js';
import { FileBlobStore } from './file-blob-store.js';
import type { Database } from './schema.js';

export interface CreateBlobStoreOptions {
  db: Kysely<Database>;
  /** The file store's directory (`DATA_DIR/blobs`). */
  dir: string;
  logger: Logger;
  /** Epoch ms, for the start-up clean-up of temp files. */
  now: number;
}

/**
 * The composition roots' one call for a blob store: the file store under the data dir, made
 * ready (directories 0700, orphaned temp files removed).
 */
export async function createBlobStore(o: CreateBlobStoreOptions): Promise<BlobStore> {
  const files = new FileBlobStore(o.dir, { logger: o.logger });
  await files.init(o.now);
  return files;
}
