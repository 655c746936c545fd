import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError, type Clock, type Logger, type Random } from '../../core/index.js';
import type { ImportRecord, SyncJobRecord, SyncStore, UnmatchedFit } from '../../store/index.js';
import { PROBE_TAIL_BYTES, assertGarminArchive } from './archive-probe.js';

export interface ArchiveImportServiceOptions {
  store: SyncStore;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** The largest archive accepted (bytes): stated in GET /imports and in the 413 answer. */
  maxBytes: number;
  /** Bytes per stored chunk (default 4 MiB). */
  chunkBytes?: number;
  /** Wakes the workers when the archive job is created. */
  notifyClaimable: () => void;
}

const ZIP_MAGIC = [Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from('PK\u0005\u0006', 'latin1')];

/**
 * The API side of archive imports (issue 16): streams an uploaded account export into the
 * database in chunks (hashing as it goes, never the whole file in memory), refuses what is too
 * large or not a ZIP at once, and only when every byte has arrived creates the `archive` job that
 * imports it — in one transaction with marking the upload ready. An upload that breaks off or is
 * refused leaves nothing behind, so nothing is ever half-imported.
 */
export class ArchiveImportService {
  constructor(private readonly o: ArchiveImportServiceOptions) {}

  get maxBytes(): number {
    return this.o.maxBytes;
  }

  /** Takes the upload; `declaredBytes` is the request's Content-Length when it has one. */
  async upload(
    userId: string,
    sessionId: string,
    body: AsyncIterable<Buffer> & Partial<Pick<Readable, 'destroy'>>,
    declaredBytes: number | undefined,
  ): Promise<{ import: ImportRecord; job: SyncJobRecord }> {
    if (declaredBytes !== undefined && declaredBytes > this.o.maxBytes) throw this.tooLarge();
    const importId = this.o.random.uuid();
    const { store } = this.o;
    await store.imports.begin(importId, userId, this.o.clock.now());
    const hash = createHash('sha256');
    const chunkBytes = this.o.chunkBytes ?? 4 << 20;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let total = 0;
    let seq = 0;
    // The end of the upload, to check its central directory once every byte is in.
    let tail: Buffer[] = [];
    let tailBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await store.imports.appendChunk(importId, seq++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const chunk of body) {
        if (total === 0 && chunk.length < 4)
          throw new AppError('ARCHIVE_INVALID', 'The upload is not a ZIP file (a Garmin export is a .zip).');
        if (total === 0 && !ZIP_MAGIC.some((m) => chunk.subarray(0, 4).equals(m)))
          throw new AppError('ARCHIVE_INVALID', 'The upload is not a ZIP file (a Garmin export is a .zip).');
        total += chunk.length;
        if (total > this.o.maxBytes) throw this.tooLarge();
        hash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        tail.push(chunk);
        tailBytes += chunk.length;
        while (tail.length > 1 && tailBytes - tail[0]!.length >= PROBE_TAIL_BYTES) tailBytes -= tail.shift()!.length;
        if (pendingBytes >= chunkBytes) await flush();
      }
      if (total === 0)
        throw new AppError('ARCHIVE_INVALID', 'The upload is empty; send the archive as the request body (application/zip).');
      await assertGarminArchive(Buffer.concat(tail, tailBytes), total);
      tail = [];
      await flush();
      const sha256 = hash.digest('hex');
      const now = this.o.clock.now();
      // Ready first, then its job: a worker may claim the job the moment it exists.
      await store.imports.finishUpload(importId, { size_bytes: total, sha256, chunk_count: seq, job_id: null }, now);
      const { job: result } = await store.jobs.createOrGetActive(
        {
          job_id: this.o.random.uuid(),
          user_id: userId,
          session_id: sessionId,
          sync_type: 'archive',
          params: { from: null, to: null, full: false, import_id: importId },
        },
        now,
      );
      await store.imports.setJob(importId, result.job_id, this.o.clock.now());
      this.o.logger.info({ import_id: importId, job_id: result.job_id, size_bytes: total }, 'archive uploaded');
      this.o.notifyClaimable();
      return { import: (await store.imports.get(importId))!, job: result };
    } catch (e) {
      body.destroy?.();
      await store.imports.discard(importId).catch(() => {});
      throw e;
    }
  }

  async get(userId: string, importId: string): Promise<ImportRecord> {
    const rec = await this.o.store.imports.get(importId);
    if (!rec || rec.user_id !== userId) throw new AppError('NOT_FOUND', 'No such import.', { import_id: importId });
    return rec;
  }

  list(userId: string): Promise<ImportRecord[]> {
    return this.o.store.imports.list(userId);
  }

  unmatched(userId: string, importId: string): Promise<UnmatchedFit[]> {
    return this.o.store.imports.unmatched(userId, importId);
  }

  private tooLarge(): AppError {
    return new AppError('PAYLOAD_TOO_LARGE', `The archive is larger than this service accepts (${this.o.maxBytes} bytes).`, {
      max_bytes: this.o.maxBytes,
    });
  }
}
