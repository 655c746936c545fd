import { createHash, randomUUID, type Hash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError, silentLogger, type Logger } from '../core/index.js';
import { assertBlobAddress, blobNotFound, type BlobRef, type BlobStore, type OpenedBlob } from './blob-store.js';
import { nodeBlobFs, type BlobFileHandle, type BlobFs } from './blob-fs.js';
import { rethrowStorageFailure } from './storage-errors.js';

export interface FileBlobStoreOptions {
  /** File operations (tests inject a full disk); default node:fs/promises. */
  fs?: BlobFs;
  /** Damaged blobs and removed temp files are reported here. */
  logger?: Logger;
  /** This process's id: it names temp files, so start-up knows whose `*.part` a file is. */
  pid?: number;
  /** Whether a process id is alive on this machine (a `*.part` of a live process is being written). */
  isAlive?: (pid: number) => boolean;
}

const CHUNK = 64 * 1024;
/** A `*.part` file this old is orphaned whoever wrote it (a process on another machine of a shared dir). */
const ORPHAN_AGE_MS = 3_600_000;
/** Directories of the store: owner only (issue 12.9). */
const DIR_MODE = 0o700;

/**
 * Content-addressed file store for FIT originals under the data dir:
 * `<root>/sha256/<first two hex>/<sha256>`, directories 0700, files 0600. A write goes to a temp
 * file in `<root>/tmp`, is written fully (short writes are continued, ENOSPC is DISK_FULL), fsynced,
 * checked for size and re-hashed from disk, and only then renamed to its address, so a crash or a
 * full disk never leaves a truncated blob under a name. Every read re-hashes the file (the answer
 * to "could someone have replaced it"): a blob whose bytes do not match its name is logged and
 * treated as missing, and the next put of the right bytes replaces it.
 */
export class FileBlobStore implements BlobStore {
  readonly kind = 'file' as const;
  private readonly fs: BlobFs;
  private readonly log: Logger;
  private readonly pid: number;
  private readonly isAlive: (pid: number) => boolean;
  /** Directories this store made or checked: not made again per write (a mkdir and a stat each, issue 17). */
  private readonly known = new Set<string>();

  constructor(
    readonly root: string,
    o: FileBlobStoreOptions = {},
  ) {
    this.fs = o.fs ?? nodeBlobFs;
    this.log = o.logger ?? silentLogger;
    this.pid = o.pid ?? process.pid;
    this.isAlive = o.isAlive ?? processAlive;
  }

  /**
   * Start-up: creates the store's directories 0700 and tightens existing ones (a store made
   * before issue 12.9 has 0755 directories), then removes orphaned `*.part` temp files — those of
   * processes no longer running, and any older than an hour. `now` is epoch ms.
   */
  async init(now: number): Promise<{ removedParts: number }> {
    for (const dir of [this.root, join(this.root, 'sha256'), join(this.root, 'tmp')]) await this.ensureDir(dir);
    this.known.add(join(this.root, 'tmp'));
    for (const name of await this.fs.readdir(join(this.root, 'sha256'))) {
      if (!/^[0-9a-f]{2}$/.test(name)) continue;
      await this.ensureDir(join(this.root, 'sha256', name));
      this.known.add(join(this.root, 'sha256', name));
    }
    let removedParts = 0;
    for (const name of await this.fs.readdir(join(this.root, 'tmp'))) {
      if (!name.endsWith('.part')) continue;
      const path = join(this.root, 'tmp', name);
      const pid = Number(/^(\d+)-/.exec(name)?.[1]);
      const mtime = await this.fs.stat(path).then(
        (s) => s.mtimeMs ?? 0,
        () => 0,
      );
      const orphan = !Number.isInteger(pid) || pid === this.pid || !this.isAlive(pid) || now - mtime > ORPHAN_AGE_MS;
      if (!orphan) continue;
      await this.fs.rm(path, { force: true });
      removedParts++;
    }
    if (removedParts > 0) this.log.info({ removed: removedParts }, 'removed temp files of interrupted blob writes');
    return { removedParts };
  }

  async put(bytes: Uint8Array): Promise<BlobRef> {
    return this.putStream([bytes]);
  }

  async putStream(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobRef> {
    const tmpDir = join(this.root, 'tmp');
    const tmp = join(tmpDir, `${this.pid}-${randomUUID()}.part`);
    let fh: BlobFileHandle | undefined;
    try {
      // Not recursive: a data dir removed under the running service is an error (STORAGE_UNWRITABLE),
      // not silently made again while the database writes elsewhere (issue 12.8).
      fh = await this.inDir(tmpDir, () => this.fs.open(tmp, 'wx+', 0o600));
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.byteLength;
        await writeFully(fh, chunk);
      }
      await fh.sync();
      const sha256 = hash.digest('hex');
      // What the disk holds, not what we meant to write: a file system that dropped bytes fails here.
      const onDisk = await hashHandle(fh);
      if (onDisk.size !== size || onDisk.sha256 !== sha256) {
        throw new AppError('STORAGE_UNWRITABLE', 'The written file does not read back as written.', { expected: size, found: onDisk.size });
      }
      await fh.close();
      fh = undefined;
      if (await this.has(sha256)) {
        await this.fs.rm(tmp, { force: true });
      } else {
        // Atomic: readers see the old (damaged or absent) file or the whole new one.
        await this.inDir(join(this.root, 'sha256', sha256.slice(0, 2)), () => this.fs.rename(tmp, this.pathOf(sha256)));
      }
      return { sha256, size };
    } catch (e) {
      await fh?.close().catch(() => {});
      await this.fs.rm(tmp, { force: true }).catch(() => {});
      rethrowStorageFailure(e);
    }
  }

  /** Absolute path of a blob (whether or not it exists). Rejects anything but a sha256 hex. */
  pathOf(sha256: string): string {
    assertBlobAddress(sha256);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    const fh = await this.openVerified(sha256, 'quiet').catch(() => null);
    await fh?.close();
    return fh !== null;
  }

  async read(sha256: string): Promise<Buffer> {
    const fh = await this.openVerified(sha256);
    try {
      const out: Buffer[] = [];
      for await (const c of readChunks(fh)) out.push(Buffer.from(c));
      return Buffer.concat(out);
    } finally {
      await fh.close();
    }
  }

  /** The stream reads the very file that was verified (one open descriptor), so a swap after the check is not served. */
  async open(sha256: string): Promise<OpenedBlob> {
    const fh = await this.openVerified(sha256);
    const size = (await fh.stat().catch(async (e: unknown) => (await fh.close(), Promise.reject(e)))).size;
    async function* stream() {
      try {
        yield* readChunks(fh);
      } finally {
        await fh.close();
      }
    }
    return { stream: Readable.from(stream(), { objectMode: false }), size };
  }

  async *list(): AsyncIterable<string> {
    const base = join(this.root, 'sha256');
    const dirs = await this.fs.readdir(base).catch(() => [] as string[]);
    for (const d of dirs.sort()) {
      if (!/^[0-9a-f]{2}$/.test(d)) continue;
      for (const name of (await this.fs.readdir(join(base, d))).sort()) if (/^[0-9a-f]{64}$/.test(name) && name.startsWith(d)) yield name;
    }
  }

  /** Opens a blob and checks that its bytes hash to its name; NOT_FOUND (reported) otherwise. */
  private async openVerified(sha256: string, report: 'report' | 'quiet' = 'report'): Promise<BlobFileHandle> {
    const path = this.pathOf(sha256);
    let fh: BlobFileHandle;
    try {
      fh = await this.fs.open(path, 'r');
    } catch (e) {
      throw blobNotFound(sha256, e);
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new Error('not a regular file');
      const found = await hashHandle(fh);
      if (found.sha256 !== sha256 || found.size !== st.size) throw new Error('content does not match its address');
      return fh;
    } catch (e) {
      await fh.close().catch(() => {});
      if (report === 'report') {
        this.log.warn(
          { sha256, reason: (e as Error).message },
          'a stored FIT file is damaged; treated as missing until a full sync stores it again',
        );
      }
      throw blobNotFound(sha256, e);
    }
  }

  /**
   * Runs `op` (which creates a file in `dir`) once `dir` exists: made (not recursively) on first
   * use, and again when `op` finds it gone (ENOENT) — as often as a mkdir per write would, so a
   * data dir removed under the service still fails STORAGE_UNWRITABLE instead of being made again.
   */
  private async inDir<T>(dir: string, op: () => Promise<T>): Promise<T> {
    if (!this.known.has(dir)) {
      await this.ensureDir(dir, false);
      this.known.add(dir);
      return op();
    }
    try {
      return await op();
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
      this.known.delete(dir);
      return this.inDir(dir, op);
    }
  }

  /** mkdir 0700 (`recursive`: with its parents), and an existing directory with group/other bits is tightened to 0700. */
  private async ensureDir(dir: string, recursive = true): Promise<void> {
    await this.fs.mkdir(dir, { recursive, mode: DIR_MODE }).catch((e: unknown) => {
      if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
    });
    const st = await this.fs.stat(dir);
    if ((st.mode & 0o077) !== 0) await this.fs.chmod(dir, DIR_MODE);
  }
}

/** Writes all of `chunk`: a short write (a filling disk) is continued; a write of 0 bytes is a full disk. */
async function writeFully(fh: BlobFileHandle, chunk: Uint8Array): Promise<void> {
  let off = 0;
  while (off < chunk.byteLength) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off, null);
    if (bytesWritten <= 0) throw Object.assign(new Error('no bytes written'), { code: 'ENOSPC' });
    off += bytesWritten;
  }
}

async function* readChunks(fh: BlobFileHandle): AsyncGenerator<Uint8Array> {
  for (let pos = 0; ;) {
    const buf = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

async function hashHandle(fh: BlobFileHandle): Promise<{ sha256: string; size: number }> {
  const hash: Hash = createHash('sha256');
  // One buffer for the whole file: the hash consumes each chunk before the next read.
  const buf = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, size);
    if (bytesRead === 0) break;
    hash.update(buf.subarray(0, bytesRead));
    size += bytesRead;
  }
  return { sha256: hash.digest('hex'), size };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
