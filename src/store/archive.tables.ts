/** An uploaded account-export archive (issue 16): its bytes live in import_chunks until imported. */
export interface ImportsTable {
  import_id: string;
  user_id: string;
  /** uploading → ready (a job imports it) → imported | failed. */
  state: string;
  size_bytes: number;
  sha256: string | null;
  chunk_count: number;
  job_id: string | null;
  /** JSON: what the import found and did (counts, unmatched FITs, skipped entries). */
  report: string | null;
  created_at: number;
  updated_at: number;
}

/** The archive's bytes in fixed-size chunks, so every process of a deployment can read them from the database. */
export interface ImportChunksTable {
  import_id: string;
  seq: number;
  data: Buffer;
}

/** Activity FIT files of an archive that matched no activity: kept (blob) and reported, never dropped. */
export interface ImportUnmatchedFitsTable {
  user_id: string;
  sha256: string;
  size_bytes: number;
  entry_name: string;
  start_time: number | null;
  import_id: string;
  created_at: number;
}

export interface ArchiveTables {
  imports: ImportsTable;
  import_chunks: ImportChunksTable;
  import_unmatched_fits: ImportUnmatchedFitsTable;
}
