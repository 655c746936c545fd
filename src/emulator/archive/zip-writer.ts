import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/**
 * A ZIP written to a file entry by entry with fflate's streaming `Zip`, so an archive of
 * thousands of FIT files never sits in memory: each entry's chunks go to the file as fflate
 * emits them, and the writer waits for the file stream to drain between entries. Entries carry
 * data descriptors (general-purpose bit 3), as Garmin's own ZIPs do.
 */
export class ZipFileWriter {
  private readonly out: WriteStream;
  private readonly zip: Zip;
  private failure: Error | null = null;
  private finished: Promise<void>;
  private bytes = 0;

  constructor(path: string) {
    this.out = createWriteStream(path, { mode: 0o600 });
    this.out.on('error', (e) => (this.failure ??= e));
    let resolveDone!: () => void;
    this.finished = new Promise((r) => (resolveDone = r));
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        this.failure ??= err;
        resolveDone();
        return;
      }
      this.bytes += chunk.length;
      this.out.write(chunk);
      if (final) resolveDone();
    });
  }

  /** Adds one file from memory; deflated unless `store` (a nested ZIP does not compress further). */
  async addBytes(name: string, data: Uint8Array, mtimeMs: number, store = false): Promise<void> {
    const entry = store ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
    entry.mtime = mtimeMs;
    this.zip.add(entry);
    entry.push(data, true);
    await this.drain();
  }

  /** Adds one file streamed from disk in chunks (for the nested part ZIPs). */
  async addFile(name: string, path: string, mtimeMs: number, store = true): Promise<void> {
    const entry = store ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
    entry.mtime = mtimeMs;
    this.zip.add(entry);
    let previous: Uint8Array | null = null;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      if (previous) entry.push(previous, false);
      previous = chunk as Buffer;
      await this.drain();
    }
    entry.push(previous ?? new Uint8Array(0), true);
    await this.drain();
  }

  /** Writes the central directory and closes the file; returns the archive's size in bytes. */
  async close(): Promise<number> {
    this.zip.end();
    await this.finished;
    this.out.end();
    await once(this.out, 'close');
    if (this.failure) throw this.failure;
    return this.bytes;
  }

  private async drain(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.out.writableNeedDrain) await once(this.out, 'drain');
  }
}
