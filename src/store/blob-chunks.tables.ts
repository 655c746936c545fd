/** Tables of migration 012_blob_chunks (issue 12.12): FIT originals stored in the database. */

/** One stored blob: its content address and length. */
export interface BlobsTable {
  sha256: string;
  size: number;
  created_at: number;
}

/** One piece (≤ 256 KiB) of a blob's bytes, in `seq` order. */
export interface BlobChunksTable {
  blob_key: string;
  seq: number;
  data: Buffer;
}

export interface BlobChunkTables {
  blobs: BlobsTable;
  blob_chunks: BlobChunksTable;
}
