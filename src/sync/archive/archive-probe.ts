import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AppError } from '../../core/index.js';
import { entryKind, isFitContainer } from './archive-layout.js';

/** How much of an upload's end is kept to read its central directory from (a Garmin export's outer ZIP holds a few hundred entries). */
export const PROBE_TAIL_BYTES = 4 << 20;

const NOT_GARMIN =
  'The ZIP is not a Garmin account export: it holds no activity summaries, daily health files or uploaded FIT files (DI_CONNECT/…).';

const OUTSIDE = 'outside the kept tail';
const outsideTail = (e: unknown) => (e as Error | undefined)?.message === OUTSIDE;

/** The last bytes of a file as a yauzl reader; a read before them fails (the directory is not in the tail). */
class TailReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly tail: Buffer,
    private readonly start: number,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    if (start < this.start) {
      const r = new Readable({ read() {} });
      process.nextTick(() => r.destroy(new RangeError(OUTSIDE)));
      return r;
    }
    return Readable.from([this.tail.subarray(start - this.start, end - this.start)]);
  }
}

/**
 * Checks, from the end of an upload alone, that a ZIP is a Garmin account export before any job
 * is made for it: its central directory lists at least one entry the importer reads (an activity
 * summary, a health family, an uploaded-files part). A ZIP whose directory cannot be read from
 * the kept tail is refused as unreadable; one whose directory is larger than the tail is let
 * through (the job then reads it in full).
 */
export async function assertGarminArchive(tail: Buffer, totalBytes: number): Promise<void> {
  const start = totalBytes - tail.length;
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(new TailReader(tail, start), totalBytes, { lazyEntries: true, autoClose: false });
  } catch (e) {
    if (outsideTail(e)) return;
    throw new AppError('ARCHIVE_INVALID', `The upload is not a readable ZIP file (${(e as Error).message}).`);
  }
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (entryKind(name) !== undefined || (/\.zip$/i.test(name) && isFitContainer(name))) return;
    }
  } catch (e) {
    if (outsideTail(e)) return;
    throw new AppError('ARCHIVE_INVALID', `The upload is not a readable ZIP file (${(e as Error).message}).`);
  } finally {
    zip.close();
  }
  throw new AppError('ARCHIVE_INVALID', NOT_GARMIN);
}
