import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { AppError, silentLogger, type Logger } from '../core/index.js';
import { assertBlobAddress, blobNotFound, type BlobRef, type BlobStore, type OpenedBlob } from './blob-store.js';
import type { Database, Db } from './schema.js';
import { rethrowStorageFailure } from './storage-errors.js';

/** Bytes per `blob_chunks` row: small enough to stream, large enough that a FIT is a few rows. */
export const BLOB_CHUNK_BYTES = 256 * 1024;

export interface DbBlobStoreOptions {
  /** Epoch ms for `created_at`. */
  now: () => number;
  logger?: Logger;
}

/**
 * The blob store in the database (issue 12.12): the PostgreSQL default, so that a deployment
 * needs the database and nothing else (it runs on SQLite too, where the file store is the
 * default). A blob is one `blobs` row (sha256, size) and its bytes in `blob_chunks` rows of
 * {@link BLOB_CHUNK_BYTES}, written in ONE transaction: chunks go in under a temporary key while
 * they are hashed, then the `blobs` row is inserted (ON CONFLICT DO NOTHING — the primary key
 * makes a concurrent writer of the same content wait for ours) and the chunks are re-keyed to the
 * address, or dropped when the content was already stored. A crash or a full disk rolls back:
 * no half-written blob is ever visible. Reads check that the chunks add up to the recorded size
 * (`read` re-hashes too) and stream chunk by chunk.
 */
export class DbBlobStore implements BlobStore {
  readonly kind = 'database' as const;
  private readonly log: Logger;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly o: DbBlobStoreOptions,
  ) {
    this.log = o.logger ?? silentLogger;
  }

  async put(bytes: Uint8Array): Promise<BlobRef> {
    return this.putStream([bytes]);
  }

  async putStream(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobRef> {
    try {
      return await this.db.transaction().execute(async (tx) => {
        const tmpKey = `tmp:${randomUUID()}`;
        const hash = createHash('sha256');
        let size = 0;
        let seq = 0;
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        const flush = async (all: boolean) => {
          let buf = Buffer.concat(pending);
          while (buf.length >= BLOB_CHUNK_BYTES || (all && buf.length > 0)) {
            const piece = buf.subarray(0, BLOB_CHUNK_BYTES);
            await tx
              .insertInto('blob_chunks')
              .values({ blob_key: tmpKey, seq: seq++, data: Buffer.from(piece) })
              .execute();
            buf = buf.subarray(piece.length);
          }
          pending = buf.length ? [buf] : [];
          pendingBytes = buf.length;
        };
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.byteLength;
          pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          pendingBytes += chunk.byteLength;
          if (pendingBytes >= BLOB_CHUNK_BYTES) await flush(false);
        }
        await flush(true);
        const sha256 = hash.digest('hex');
        const inserted = await tx
          .insertInto('blobs')
          .values({ sha256, size, created_at: this.o.now() })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .returning('sha256')
          .executeTakeFirst();
        if (inserted) {
          await tx.updateTable('blob_chunks').set({ blob_key: sha256 }).where('blob_key', '=', tmpKey).execute();
        } else {
          await tx.deleteFrom('blob_chunks').where('blob_key', '=', tmpKey).execute();
        }
        return { sha256, size };
      });
    } catch (e) {
      rethrowStorageFailure(e);
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.verifiedSize(sha256, 'quiet')) !== null;
  }

  async read(sha256: string): Promise<Buffer> {
    const size = await this.verifiedSize(sha256, 'report');
    if (size === null) throw blobNotFound(sha256);
    const parts: Buffer[] = [];
    for await (const c of this.chunks(sha256)) parts.push(c);
    const bytes = Buffer.concat(parts);
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      this.report(sha256, 'content does not match its address');
      throw blobNotFound(sha256);
    }
    return bytes;
  }

  async open(sha256: string): Promise<OpenedBlob> {
    const size = await this.verifiedSize(sha256, 'report');
    if (size === null) throw blobNotFound(sha256);
    return { stream: Readable.from(this.chunks(sha256), { objectMode: false }), size };
  }

  async *list(): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const rows = await this.db.selectFrom('blobs').select('sha256').where('sha256', '>', after).orderBy('sha256').limit(500).execute();
      for (const r of rows) yield r.sha256;
      if (rows.length < 500) return;
      after = rows[rows.length - 1]!.sha256;
    }
  }

  /** The recorded size when the blob exists and its chunks add up to it; null otherwise. */
  private async verifiedSize(sha256: string, mode: 'report' | 'quiet'): Promise<number | null> {
    assertBlobAddress(sha256);
    const row = await this.db.selectFrom('blobs').select('size').where('sha256', '=', sha256).executeTakeFirst();
    if (!row) return null;
    const stored = await sql<{
      n: number | string;
    }>`select cast(coalesce(sum(length(data)), 0) as bigint) as n from blob_chunks where blob_key = ${sha256}`.execute(this.db as Db);
    if (Number(stored.rows[0]?.n) !== Number(row.size)) {
      if (mode === 'report') this.report(sha256, 'stored chunks do not add up to its size');
      return null;
    }
    return Number(row.size);
  }

  /** The blob's bytes chunk by chunk, one row per query (memory stays at one chunk). */
  private async *chunks(sha256: string): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const row = await this.db
        .selectFrom('blob_chunks')
        .select('data')
        .where('blob_key', '=', sha256)
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (!row) return;
      yield Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data as Uint8Array);
    }
  }

  private report(sha256: string, reason: string): void {
    this.log.warn({ sha256, reason }, 'a stored FIT file is damaged; treated as missing until a full sync stores it again');
  }
}

/** Copies every blob of `from` that `to` lacks (`garminsync server migrate-blobs`); damaged ones are counted, not copied. */
export async function migrateBlobs(
  from: BlobStore,
  to: BlobStore,
  onProgress: (p: { copied: number; present: number; damaged: number }) => void = () => {},
): Promise<{ copied: number; present: number; damaged: number }> {
  const counts = { copied: 0, present: 0, damaged: 0 };
  for await (const sha256 of from.list()) {
    if (await to.has(sha256)) {
      counts.present++;
    } else {
      let opened: OpenedBlob;
      try {
        opened = await from.open(sha256);
      } catch {
        counts.damaged++;
        continue;
      }
      const ref = await to.putStream(opened.stream as AsyncIterable<Uint8Array>);
      if (ref.sha256 !== sha256) throw new AppError('INTERNAL', 'A blob changed while it was copied.', { sha256 });
      counts.copied++;
    }
    onProgress(counts);
  }
  return counts;
}
