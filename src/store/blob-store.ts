import type { Readable } from 'node:stream';
import { AppError } from '../core/index.js';

/** The address of a stored blob: the sha256 of its bytes (hex) and its length. */
export interface BlobRef {
  sha256: string;
  size: number;
}

/** A blob opened for streaming (an HTTP download): its verified bytes and their count. */
export interface OpenedBlob {
  stream: Readable;
  size: number;
}

/**
 * The blob store port (issue 12.2, 12.12): content-addressed, deduplicated storage for FIT
 * originals. Two implementations: {@link FileBlobStore} under the data dir (the SQLite default)
 * and {@link DbBlobStore} in the database (scale mode: no shared file system needed).
 * Every implementation writes fully or fails (DISK_FULL / STORAGE_UNWRITABLE), never serves a
 * blob whose bytes do not match its address (such a blob is reported and treated as missing, so
 * the next full sync stores it again), and stores equal content once.
 */
export interface BlobStore {
  /** `file` (the data dir) or `database` (PostgreSQL). */
  readonly kind: 'file' | 'database';
  /** Stores bytes and returns their address. Storing the same bytes again is a no-op. */
  put(bytes: Uint8Array): Promise<BlobRef>;
  /** Stores a stream of chunks, hashing while writing; resolves once the blob is durable. */
  putStream(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobRef>;
  /** True when a blob with exactly these bytes is stored (a damaged one is not). */
  has(sha256: string): Promise<boolean>;
  /** Reads a whole blob (small files, tests). NOT_FOUND when missing or damaged. */
  read(sha256: string): Promise<Buffer>;
  /** Opens a blob for streaming. NOT_FOUND when missing or damaged. */
  open(sha256: string): Promise<OpenedBlob>;
  /** Every stored address (migrate-blobs reads them one by one). */
  list(): AsyncIterable<string>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Rejects anything but a lower-case sha256 hex address (no path tricks reach a store). */
export function assertBlobAddress(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new AppError('VALIDATION_FAILED', 'Not a sha256 blob address.');
}

/** The NOT_FOUND every store answers for a missing (or damaged) blob. */
export function blobNotFound(sha256: string, cause?: unknown): AppError {
  return new AppError('NOT_FOUND', 'The stored file is missing.', { sha256 }, cause === undefined ? undefined : { cause });
}
