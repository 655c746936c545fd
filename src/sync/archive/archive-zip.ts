import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AppError } from '../../core/index.js';

/**
 * Walks a Garmin account-export ZIP and the ZIPs nested in it (the FIT parts) with yauzl,
 * entry by entry, without extracting the archive or holding it in memory. A nested ZIP that is
 * stored (not deflated), as the part ZIPs are, is read in place through a window onto the outer
 * file; a deflated one is first copied to a temporary file. Nesting is capped (zip bombs).
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

/** A window [base, base+size) of a file as a yauzl random-access reader. */
class FileWindowReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly path: string,
    private readonly base: number,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return createReadStream(this.path, { start: this.base + start, end: this.base + end - 1 });
  }
}

function notAZip(e: unknown): AppError {
  return new AppError('ARCHIVE_INVALID', `The file is not a readable ZIP archive (${(e as Error).message}).`);
}

async function readAll(stream: Readable, maxBytes: number, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      stream.destroy();
      throw new AppError('ARCHIVE_ENTRY_TOO_LARGE', `The archive entry ${path} is larger than ${maxBytes} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function* walkZip(
  zip: yauzl.ZipFile,
  source: { path: string; base: number } | null,
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
        read: async (maxBytes) => {
          if (entry.uncompressedSize > maxBytes)
            throw new AppError('ARCHIVE_ENTRY_TOO_LARGE', `The archive entry ${path} is larger than ${maxBytes} bytes.`);
          try {
            return await readAll(await zip.openReadStreamPromise(entry), maxBytes, path);
          } catch (e) {
            if (e instanceof AppError) throw e;
            throw new AppError('ARCHIVE_ENTRY_CORRUPT', `The archive entry ${path} cannot be read (${(e as Error).message}).`);
          }
        },
      };
    }
  } finally {
    zip.close();
  }
}

async function* walkNested(
  outer: yauzl.ZipFile,
  entry: yauzl.Entry,
  source: { path: string; base: number } | null,
  prefix: string,
  depth: number,
  o: WalkOptions,
): AsyncGenerator<ArchiveEntry> {
  if (entry.compressionMethod === 0 && source) {
    const { fileDataStart } = await outer.readLocalFileHeaderPromise(entry, { minimal: true });
    const base = source.base + fileDataStart;
    let inner: yauzl.ZipFile;
    try {
      inner = await yauzl.fromRandomAccessReaderPromise(new FileWindowReader(source.path, base), entry.compressedSize, {
        lazyEntries: true,
        autoClose: false,
      });
    } catch (e) {
      throw new AppError('ARCHIVE_ENTRY_CORRUPT', `The nested ZIP ${prefix.slice(0, -2)} cannot be read (${(e as Error).message}).`);
    }
    yield* walkZip(inner, { path: source.path, base }, prefix, depth, o);
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
    yield* walkZip(inner, { path: file, base: 0 }, prefix, depth, o);
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
  yield* walkZip(zip, { path: file, base: 0 }, '', 0, o);
}
