import type { Selectable } from 'kysely';
import type { ImportsTable } from './archive.tables.js';
import type { Db } from './schema.js';

export type ImportState = 'uploading' | 'ready' | 'imported' | 'failed';

export interface ImportRecord {
  import_id: string;
  user_id: string;
  state: ImportState;
  size_bytes: number;
  sha256: string | null;
  chunk_count: number;
  job_id: string | null;
  report: unknown;
  created_at: number;
  updated_at: number;
}

export interface UnmatchedFit {
  sha256: string;
  size_bytes: number;
  entry_name: string;
  start_time: number | null;
  import_id: string;
}

function toRecord(r: Selectable<ImportsTable>): ImportRecord {
  return {
    import_id: r.import_id,
    user_id: r.user_id,
    state: r.state as ImportState,
    size_bytes: Number(r.size_bytes),
    sha256: r.sha256,
    chunk_count: Number(r.chunk_count),
    job_id: r.job_id,
    report: r.report === null ? null : (JSON.parse(r.report) as unknown),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}

/**
 * Uploaded account-export archives (issue 16). An upload is written as numbered chunks while it
 * streams in and becomes `ready` only when every byte arrived and was hashed; an upload that
 * breaks off is deleted, so nothing half-uploaded is ever imported. Chunks are removed once the
 * import is done; the record and its report stay.
 */
export class ImportRepository {
  constructor(private readonly db: Db) {}

  /** Starts an upload. */
  async begin(importId: string, userId: string, now: number): Promise<void> {
    await this.db
      .insertInto('imports')
      .values({ import_id: importId, user_id: userId, state: 'uploading', size_bytes: 0, chunk_count: 0, created_at: now, updated_at: now })
      .execute();
  }

  /** Stores chunk `seq` (0-based, in order) of an upload. */
  async appendChunk(importId: string, seq: number, data: Buffer): Promise<void> {
    await this.db.insertInto('import_chunks').values({ import_id: importId, seq, data }).execute();
  }

  /** Marks a complete upload ready for its job. */
  async finishUpload(
    importId: string,
    f: { size_bytes: number; sha256: string; chunk_count: number; job_id: string | null },
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('imports')
      .set({ ...f, state: 'ready', updated_at: now })
      .where('import_id', '=', importId)
      .execute();
  }

  /** Records the job that imports an upload. */
  async setJob(importId: string, jobId: string, now: number): Promise<void> {
    await this.db.updateTable('imports').set({ job_id: jobId, updated_at: now }).where('import_id', '=', importId).execute();
  }

  /** Removes an upload and its chunks (a broken-off or refused upload). */
  async discard(importId: string): Promise<void> {
    await this.db.deleteFrom('import_chunks').where('import_id', '=', importId).execute();
    await this.db.deleteFrom('imports').where('import_id', '=', importId).execute();
  }

  async get(importId: string): Promise<ImportRecord | undefined> {
    const r = await this.db.selectFrom('imports').selectAll().where('import_id', '=', importId).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  async list(userId: string, limit = 50): Promise<ImportRecord[]> {
    const rows = await this.db
      .selectFrom('imports')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  /** The chunks of an upload in order, one query each (never the whole archive in memory). */
  async *chunks(importId: string, count: number): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < count; seq++) {
      const r = await this.db
        .selectFrom('import_chunks')
        .select('data')
        .where('import_id', '=', importId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (!r) throw new Error(`Chunk ${seq} of import ${importId} is missing.`);
      yield Buffer.from(r.data);
    }
  }

  /** Ends an import: its state and report; its chunks are no longer needed. */
  async finishImport(importId: string, state: 'imported' | 'failed', report: unknown, now: number): Promise<void> {
    await this.db
      .updateTable('imports')
      .set({ state, report: JSON.stringify(report), updated_at: now })
      .where('import_id', '=', importId)
      .execute();
    await this.db.deleteFrom('import_chunks').where('import_id', '=', importId).execute();
  }

  /** Uploads that never finished (a crash mid-upload), older than `before`: removed at start-up. */
  async discardStaleUploads(before: number): Promise<number> {
    const stale = await this.db
      .selectFrom('imports')
      .select('import_id')
      .where('state', '=', 'uploading')
      .where('updated_at', '<', before)
      .execute();
    for (const s of stale) await this.discard(s.import_id);
    return stale.length;
  }

  /**
   * Keeps an activity FIT that matched no activity (one row per content); a later import that
   * finds it unmatched again takes it over, so each import lists the unmatched FITs it found.
   */
  async recordUnmatched(userId: string, fit: UnmatchedFit, now: number): Promise<void> {
    await this.db
      .insertInto('import_unmatched_fits')
      .values({ user_id: userId, ...fit, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'sha256']).doUpdateSet({ import_id: fit.import_id, entry_name: fit.entry_name }))
      .execute();
  }

  async unmatched(userId: string, importId?: string): Promise<UnmatchedFit[]> {
    let q = this.db
      .selectFrom('import_unmatched_fits')
      .select(['sha256', 'size_bytes', 'entry_name', 'start_time', 'import_id'])
      .where('user_id', '=', userId);
    if (importId) q = q.where('import_id', '=', importId);
    const rows = await q.orderBy('start_time').execute();
    return rows.map((r) => ({ ...r, size_bytes: Number(r.size_bytes), start_time: r.start_time === null ? null : Number(r.start_time) }));
  }
}
