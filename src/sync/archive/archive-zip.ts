import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open as openFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, inflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { AppError } from '../../core/index.js';

/**
 * Walks a Garmin account-export ZIP and the ZIPs nested in it (the FIT parts) with yauzl,
 * entry by entry, without extracting the archive or holding it in memory. A nested ZIP that is
 * stored (not deflated), as the part ZIPs are, is read in place through a window onto the outer
 * file; a deflated one is first copied to a temporary file. Nesting is capped (zip bombs).
 *
 * An entry is read with one positional read of its stored bytes and one inflate into a buffer of
 * its stated size, not through yauzl's per-entry read and inflate streams: a 5,000-activity
 * archive holds ~6,000 FITs, and the streams' 64 KiB read buffers, 16 KiB inflate chunks and the
 * final concatenation were most of the import's allocation (bench row 9, bench/findings.md).
 * Its CRC-32 is checked against the central directory (yauzl does not check it).
 */
export interface ArchiveEntry {
  /** Logical path: nested entries are `outer/Part1.zip!/inner.fit`. */
  path: string;
  /** The entry's own name inside its ZIP. */
  name: string;
  uncompressedSize: number;
  /** Reads the whole entry (refused above `maxBytes`). */
  read(maxBytes: number): Promise<Buffer>;
}

export interface WalkOptions {
  /** Nested ZIPs to descend into (by logical path). */
  descend: (path: string) => boolean;
  /** Entries to yield; the rest are never opened. */
  wanted: (path: string) => boolean;
  tmpDir: string;
  signal?: AbortSignal;
  maxDepth?: number;
}

/** Where a ZIP's bytes are: an open file (owned by the walk that opened it) and the ZIP's offset in it. */
interface ZipSource {
  path: string;
  file: FileHandle;
  base: number;
}

/** Reads exactly `length` bytes at `position` into `buffer` at `offset`. */
async function readFully(file: FileHandle, buffer: Buffer, offset: number, length: number, position: number): Promise<void> {
  for (let done = 0; done < length;) {
    const { bytesRead } = await file.read(buffer, offset + done, length - done, position + done);
    if (bytesRead === 0) throw new Error('the file ends before the ZIP says it does');
    done += bytesRead;
  }
}

/**
 * A ZIP stored inside another as a yauzl random-access reader: a window onto the outer file's
 * open handle (yauzl's default `read` would open the file for every central-directory record).
 */
class FileWindowReader extends yauzl.RandomAccessReader {
  constructor(private readonly source: ZipSource) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    readFully(this.source.file, buffer, offset, length, this.source.base + position).then(
      () => callback(null),
      (e: Error) => callback(e),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // yauzl streams a range only when an entry is streamed (a deflated ZIP nested in this one).
    return createReadStream(this.source.path, { start: this.source.base + start, end: this.source.base + end - 1 });
  }
}

const inflateRawAsync = promisify(inflateRaw);

/** The uncompressed bytes of one entry, checked against its stated size and CRC-32. */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, source: ZipSource, path: string, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError('ARCHIVE_ENTRY_TOO_LARGE', `The archive entry ${path} is larger than ${maxBytes} bytes.`);
  // Deflate never grows data by more than a few bytes per 16 KiB block.
  if (entry.uncompressedSize > maxBytes || entry.compressedSize > maxBytes + (maxBytes >> 10) + 1024) throw tooLarge();
  try {
    if (entry.isEncrypted()) throw new Error('it is encrypted');
    const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
    const stored = Buffer.allocUnsafe(entry.compressedSize);
    await readFully(source.file, stored, 0, stored.length, source.base + fileDataStart);
    let bytes: Buffer;
    if (entry.compressionMethod === 0) bytes = stored;
    else if (entry.compressionMethod === 8)
      bytes = await inflateRawAsync(stored, {
        chunkSize: Math.max(64, Math.min(entry.uncompressedSize, 1 << 20)),
        maxOutputLength: maxBytes,
      });
    else throw new Error(`compression method ${entry.compressionMethod} is not supported`);
    if (bytes.length !== entry.uncompressedSize) throw new Error(`${bytes.length} bytes instead of the stated ${entry.uncompressedSize}`);
    if (crc32(bytes) !== entry.crc32) throw new Error('its CRC-32 does not match');
    return bytes;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new AppError('ARCHIVE_ENTRY_CORRUPT', `The archive entry ${path} cannot be read (${(e as Error).message}).`);
  }
}

function notAZip(e: unknown): AppError {
  return new AppError('ARCHIVE_INVALID', `The file is not a readable ZIP archive (${(e as Error).message}).`);
}

async function* walkZip(
  zip: yauzl.ZipFile,
  source: ZipSource,
  prefix: string,
  depth: number,
  o: WalkOptions,
): AsyncGenerator<ArchiveEntry> {
  try {
    for await (const entry of zip.eachEntry()) {
      o.signal?.throwIfAborted();
      if (entry.fileName.endsWith('/')) continue;
      const path = `${prefix}${entry.fileName}`;
      if (/\.zip$/i.test(entry.fileName) && o.descend(path)) {
        if (depth >= (o.maxDepth ?? 4))
          throw new AppError('ARCHIVE_INVALID', `The archive nests ZIP files more than ${o.maxDepth ?? 4} deep (${path}).`);
        yield* walkNested(zip, entry, source, `${path}!/`, depth + 1, o);
        continue;
      }
      if (!o.wanted(path)) continue;
      yield {
        path,
        name: entry.fileName,
        uncompressedSize: entry.uncompressedSize,
        read: (maxBytes) => readEntry(zip, entry, source, path, maxBytes),
      };
    }
  } finally {
    zip.close();
  }
}

async function* walkNested(
  outer: yauzl.ZipFile,
  entry: yauzl.Entry,
  source: ZipSource,
  prefix: string,
  depth: number,
  o: WalkOptions,
): AsyncGenerator<ArchiveEntry> {
  if (entry.compressionMethod === 0) {
    const { fileDataStart } = await outer.readLocalFileHeaderPromise(entry, { minimal: true });
    const window: ZipSource = { ...source, base: source.base + fileDataStart };
    let inner: yauzl.ZipFile;
    try {
      inner = await yauzl.fromRandomAccessReaderPromise(new FileWindowReader(window), entry.compressedSize, {
        lazyEntries: true,
        autoClose: false,
      });
    } catch (e) {
      throw new AppError('ARCHIVE_ENTRY_CORRUPT', `The nested ZIP ${prefix.slice(0, -2)} cannot be read (${(e as Error).message}).`);
    }
    yield* walkZip(inner, window, prefix, depth, o);
    return;
  }
  const dir = await mkdtemp(join(o.tmpDir, 'nested-'));
  try {
    const file = join(dir, 'part.zip');
    await pipeline(await outer.openReadStreamPromise(entry), createWriteStream(file, { mode: 0o600 }));
    let inner: yauzl.ZipFile;
    try {
      inner = await yauzl.openPromise(file, { lazyEntries: true });
    } catch (e) {
      throw new AppError('ARCHIVE_ENTRY_CORRUPT', `The nested ZIP ${prefix.slice(0, -2)} cannot be read (${(e as Error).message}).`);
    }
    yield* withFile(file, (source) => walkZip(inner, source, prefix, depth, o));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Yields the wanted entries of the archive at `file`, descending into nested ZIPs as asked. */
export async function* walkArchive(file: string, o: WalkOptions): AsyncGenerator<ArchiveEntry> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (e) {
    throw notAZip(e);
  }
  yield* withFile(file, (source) => walkZip(zip, source, '', 0, o));
}

/** Runs a walk over the ZIP at `path` with one handle open on it for the walk's reads, closed after. */
async function* withFile(path: string, walk: (source: ZipSource) => AsyncGenerator<ArchiveEntry>): AsyncGenerator<ArchiveEntry> {
  const file = await openFile(path, 'r');
  try {
    yield* walk({ path, file, base: 0 });
  } finally {
    await file.close();
  }
}
