import { nodeBlobFs, type BlobFileHandle, type BlobFs } from '../blob-fs.js';

/**
 * A {@link BlobFs} over the real file system whose disk holds only `capacity` more bytes: a write
 * that crosses the limit is short (as write(2) is on a filling disk) and the next one fails
 * ENOSPC, and statfs reports what is left. `lie: true` instead reports every write as complete while dropping the bytes beyond the
 * limit (a file system that loses data silently).
 */
export function fullDiskFs(capacity: number, opts: { lie?: boolean } = {}): BlobFs & { written(): number } {
  let left = capacity;
  let written = 0;
  const wrap = (fh: BlobFileHandle): BlobFileHandle => ({
    get fd() {
      return fh.fd;
    },
    write: async (buffer, offset, length, position) => {
      if (left <= 0 && !opts.lie) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
      const n = Math.min(length, Math.max(0, left));
      left -= n;
      written += n;
      if (n > 0) await fh.write(buffer, offset, n, position);
      return { bytesWritten: opts.lie ? length : n };
    },
    read: (buffer, offset, length, position) => fh.read(buffer, offset, length, position),
    stat: () => fh.stat(),
    sync: () => fh.sync(),
    close: () => fh.close(),
  });
  return {
    ...nodeBlobFs,
    open: async (path, flags, mode) => wrap(await nodeBlobFs.open(path, flags, mode)),
    // The disk reports what is left of its capacity (the readiness check reads it).
    statfs: async () => ({ bsize: 1, bavail: Math.max(0, left) }),
    written: () => written,
  };
}
