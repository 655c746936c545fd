import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import zlib from 'node:zlib';
import { Zip, type AsyncFlateStreamHandler, type ZipInputFile } from 'fflate';

/** Entries deflating at once (node:zlib's thread pool): bounds memory while FIT encoding overlaps deflation. */
const IN_FLIGHT = 8;
/** fflate's `ZipDeflate` level 6 sets no speed bits in the general-purpose flag; kept the same. */
const LEVEL = 6;

let table: Uint32Array | undefined;
/** CRC-32 (ZIP): node:zlib's native one where Node has it (20.15+), else a table in JS. */
function crc32(data: Uint8Array, value = 0): number {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(data, value);
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * One entry as fflate's `Zip` container takes it: the header fields up front, the (already
 * compressed) data through `ondata`. Compression itself happens in node:zlib, not in fflate's JS.
 */
class Entry implements ZipInputFile {
  crc = 0;
  size = 0;
  flag = 0;
  ondata!: AsyncFlateStreamHandler;
  constructor(
    readonly filename: string,
    readonly compression: 0 | 8,
    readonly mtime: number,
  ) {}

  /** Hands compressed (or stored) bytes to the container; never shared memory, whatever the type says. */
  emit(data: Uint8Array, final: boolean): void {
    this.ondata(null, data as Uint8Array<ArrayBuffer>, final);
  }
}

/** Deflates on node:zlib's thread pool (about a third of fflate's CPU time for the same level). */
function deflateRaw(data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => zlib.deflateRaw(data, { level: LEVEL }, (e, out) => (e ? reject(e) : resolve(out))));
}

/**
 * A ZIP written to a file entry by entry, so an archive of thousands of FIT files never sits in
 * memory: fflate's streaming `Zip` lays out headers, data descriptors (general-purpose bit 3, as
 * Garmin's own ZIPs carry) and the central directory, and node:zlib deflates each entry on its
 * thread pool — up to {@link IN_FLIGHT} at once, so the caller produces the next entries while
 * earlier ones compress. Entries appear in the order they were added whatever order they finish
 * in (fflate holds a later entry's data until the earlier ones are out). The writer waits for the
 * file stream to drain between entries.
 */
export class ZipFileWriter {
  private readonly out: WriteStream;
  private readonly zip: Zip;
  private failure: Error | null = null;
  private finished: Promise<void>;
  private readonly pending = new Set<Promise<void>>();
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

  /**
   * Adds one file from memory; deflated unless `store` (a nested ZIP does not compress further).
   * Returns once the entry is queued; its bytes are written by the time {@link close} resolves.
   */
  async addBytes(name: string, data: Uint8Array, mtimeMs: number, store = false): Promise<void> {
    while (this.pending.size >= IN_FLIGHT) await Promise.race(this.pending);
    this.check();
    const entry = new Entry(name, store ? 0 : 8, mtimeMs);
    entry.size = data.length;
    entry.crc = crc32(data);
    this.zip.add(entry);
    if (store) entry.emit(data, true);
    else {
      const job = deflateRaw(data).then(
        (packed) => entry.emit(packed, true),
        (e: Error) => void (this.failure ??= e),
      );
      const done = job.finally(() => this.pending.delete(done));
      this.pending.add(done);
    }
    await this.drain();
  }

  /** Adds one file streamed from disk in chunks, stored (for the nested part ZIPs). */
  async addFile(name: string, path: string, mtimeMs: number): Promise<void> {
    await this.settle();
    const entry = new Entry(name, 0, mtimeMs);
    this.zip.add(entry);
    let previous: Uint8Array | null = null;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const c = chunk as Buffer;
      entry.crc = crc32(c, entry.crc);
      entry.size += c.length;
      if (previous) entry.emit(previous, false);
      previous = c;
      await this.drain();
    }
    entry.emit(previous ?? new Uint8Array(0), true);
    await this.drain();
  }

  /** Writes the central directory and closes the file; returns the archive's size in bytes. */
  async close(): Promise<number> {
    await this.settle();
    this.zip.end();
    await this.finished;
    this.out.end();
    await once(this.out, 'close');
    if (this.failure) throw this.failure;
    return this.bytes;
  }

  private async settle(): Promise<void> {
    await Promise.all(this.pending);
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    this.check();
    if (this.out.writableNeedDrain) await once(this.out, 'drain');
  }
}
