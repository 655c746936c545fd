import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/index.js';

export interface BlobRef {
  sha256: string;
  size: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Content-addressed file store for FIT originals under the data dir:
 * `<root>/sha256/<first two hex>/<sha256>`. Writes are atomic (temp file in the same file
 * system, fsync, rename), so a crash never leaves a half-written blob under its final name, and
 * equal content is stored once.
 */
export class BlobStore {
  constructor(readonly root: string) {}

  /** Stores bytes and returns their address. Storing the same bytes again is a no-op. */
  async put(bytes: Uint8Array): Promise<BlobRef> {
    return this.putStream([bytes]);
  }

  /**
   * Stores a stream of chunks, hashing while writing so the content is held in memory at most
   * chunk by chunk. Returns the address once the blob is durable.
   */
  async putStream(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobRef> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${process.pid}-${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.byteLength;
        await fh.write(chunk);
      }
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => {});
      await rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    const sha256 = hash.digest('hex');
    const final = this.pathOf(sha256);
    if (await this.has(sha256)) {
      await rm(tmp, { force: true });
    } else {
      await mkdir(join(final, '..'), { recursive: true });
      await rename(tmp, final);
    }
    return { sha256, size };
  }

  /** Absolute path of a blob (whether or not it exists). Rejects anything but a sha256 hex. */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new AppError('VALIDATION_FAILED', 'Not a sha256 blob address.');
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  /** Reads a whole blob (small files, tests). NOT_FOUND when missing. */
  async read(sha256: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (e) {
      throw notFound(sha256, e);
    }
  }

  /** Opens a blob for streaming (HTTP download). NOT_FOUND when missing. */
  async open(sha256: string): Promise<{ stream: ReadStream; size: number }> {
    const path = this.pathOf(sha256);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (e) {
      throw notFound(sha256, e);
    }
    return { stream: createReadStream(path), size };
  }
}

function notFound(sha256: string, cause: unknown): AppError {
  return new AppError('NOT_FOUND', 'The stored file is missing.', { sha256 }, { cause });
}
