import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, type Logger } from '../core/index.js';
import { nodeBlobFs } from './blob-fs.js';
import { FileBlobStore, type FileBlobStoreOptions } from './index.js';
import { fullDiskFs } from './testing/full-disk-fs.js';
import { canMountTmpfs } from './testing/tmpfs.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isAppError(e) ? e.code : String(e)),
  );

function recordingLogger(): Logger & { warnings: object[] } {
  const warnings: object[] = [];
  const l: Logger & { warnings: object[] } = {
    warnings,
    debug: () => {},
    info: () => {},
    warn: (o) => void warnings.push(o),
    error: () => {},
    child: () => l,
  };
  return l;
}

describe('FileBlobStore', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'garminsync-blobs-'));
    dirs.push(d);
    return d;
  };
  const fresh = async (o: FileBlobStoreOptions = {}, root = join(tmp(), 'blobs')) => {
    const store = new FileBlobStore(root, o);
    await store.init(Date.now());
    return store;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('stores content under its sha256 once, atomically, and reads it back', async () => {
    const store = await fresh();
    const bytes = Buffer.from('a FIT file, honestly');
    expect(await store.put(bytes)).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(await store.put(bytes)).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(await store.has(sha(bytes))).toBe(true);
    expect(await store.read(sha(bytes))).toEqual(bytes);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]); // no temp file left behind
    const { stream, size } = await store.open(sha(bytes));
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(size).toBe(bytes.length);
    expect(Buffer.concat(chunks)).toEqual(bytes);
    const listed: string[] = [];
    for await (const s of store.list()) listed.push(s);
    expect(listed).toEqual([sha(bytes)]);
  });

  it('a data dir removed after start-up is not made again: a write fails STORAGE_UNWRITABLE (issue 12.8)', async () => {
    const dataDir = tmp();
    const store = await fresh({}, join(dataDir, 'blobs'));
    rmSync(dataDir, { recursive: true, force: true });
    expect(await codeOf(store.put(Buffer.from('written into nothing')))).toBe('STORAGE_UNWRITABLE');
    expect(() => statSync(dataDir)).toThrow(/ENOENT/);
  });

  it('makes its directories once, not per write, and again when one was removed (issue 17)', async () => {
    const mkdirs: string[] = [];
    const fs = { ...nodeBlobFs, mkdir: (p: string, o: { recursive: boolean; mode: number }) => (mkdirs.push(p), nodeBlobFs.mkdir(p, o)) };
    const root = join(tmp(), 'blobs');
    const store = await fresh({ fs }, root);
    const atStart = mkdirs.length;
    const blobs = Array.from({ length: 40 }, (_, i) => Buffer.from(`blob ${i}`));
    for (const b of blobs) await store.put(b);
    const shards = new Set(blobs.map((b) => sha(b).slice(0, 2))).size;
    expect(mkdirs.length - atStart).toBe(shards);
    // A removed temp dir and a removed shard dir are made again (as a mkdir per write would).
    rmSync(join(root, 'tmp'), { recursive: true });
    const first = blobs[0]!;
    rmSync(join(root, 'sha256', sha(first).slice(0, 2)), { recursive: true });
    expect(await store.put(first)).toEqual({ sha256: sha(first), size: first.length });
    expect((await store.read(sha(first))).equals(first)).toBe(true);
    expect(statSync(join(root, 'tmp')).mode & 0o777).toBe(0o700);
  });

  it('hashes a stream of chunks while writing', async () => {
    const store = await fresh();
    async function* gen() {
      yield* [Buffer.from('abc'), Buffer.from('def')];
    }
    expect(await store.putStream(gen())).toEqual({ sha256: sha(Buffer.from('abcdef')), size: 6 });
  });

  it('answers NOT_FOUND for a missing blob and refuses non-sha256 addresses', async () => {
    const store = await fresh();
    const missing = 'f'.repeat(64);
    expect(await store.has(missing)).toBe(false);
    expect(await codeOf(store.read(missing))).toBe('NOT_FOUND');
    expect(await codeOf(store.open(missing))).toBe('NOT_FOUND');
    expect(() => store.pathOf('../../etc/passwd')).toThrow();
  });

  describe('a full disk (issue 12.2)', () => {
    const big = Buffer.alloc(300_000, 7);

    it('continues short writes and fails DISK_FULL on ENOSPC, leaving nothing under any name', async () => {
      const fs = fullDiskFs(100_000);
      const store = await fresh({ fs });
      expect(await codeOf(store.put(big))).toBe('DISK_FULL');
      expect(fs.written()).toBe(100_000); // the short write was continued up to the limit
      expect(await store.has(sha(big))).toBe(false);
      expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
      expect(readdirSync(join(store.root, 'sha256'))).toEqual([]);
    });

    it('stores a blob whose writes are all short but complete', async () => {
      const root = join(tmp(), 'blobs');
      let calls = 0;
      const base = fullDiskFs(Number.MAX_SAFE_INTEGER);
      // Every write(2) takes at most 1000 bytes: the store must keep writing until all is written.
      const store = await fresh(
        {
          fs: {
            ...base,
            open: async (p, f, m) => {
              const fh = await base.open(p, f, m);
              return { ...fh, fd: fh.fd, write: (b, o, l, pos) => (calls++, fh.write(b, o, Math.min(l, 1000), pos)) };
            },
          },
        },
        root,
      );
      expect(await store.put(big)).toEqual({ sha256: sha(big), size: big.length });
      expect(calls).toBe(300);
      expect(sha(await new FileBlobStore(root).read(sha(big)))).toBe(sha(big));
    });

    it('refuses a file system that drops bytes silently (size and hash checked before the rename)', async () => {
      const store = await fresh({ fs: fullDiskFs(1000, { lie: true }) });
      expect(await codeOf(store.put(big))).toBe('STORAGE_UNWRITABLE');
      expect(readdirSync(join(store.root, 'sha256'))).toEqual([]);
      expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
    });

    it('treats a truncated blob at its name as missing (reported) and the next put repairs it', async () => {
      const logger = recordingLogger();
      const store = await fresh({ logger });
      const path = store.pathOf(sha(big));
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(path, big.subarray(0, 1000), { mode: 0o600 }); // what the old store left after ENOSPC
      expect(await store.has(sha(big))).toBe(false);
      expect(await codeOf(store.open(sha(big)))).toBe('NOT_FOUND');
      expect(await codeOf(store.read(sha(big)))).toBe('NOT_FOUND');
      expect(logger.warnings).toContainEqual(expect.objectContaining({ sha256: sha(big), reason: 'content does not match its address' }));
      await store.put(big);
      expect(sha(await store.read(sha(big)))).toBe(sha(big));
    });

    const canMount = canMountTmpfs();

    it.skipIf(!canMount)('on a real 1 MiB tmpfs: DISK_FULL, nothing half-written, and smaller blobs still fit afterwards', async () => {
      const mnt = tmp();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
      try {
        const store = await fresh({}, join(mnt, 'blobs'));
        const huge = Buffer.alloc(2 * 1024 * 1024, 3);
        expect(await codeOf(store.put(huge))).toBe('DISK_FULL');
        expect(await store.has(sha(huge))).toBe(false);
        expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
        expect(readdirSync(join(store.root, 'sha256'))).toEqual([]);
        const small = Buffer.from('still room for this');
        await store.put(small);
        expect(await store.read(sha(small))).toEqual(small);
      } finally {
        execFileSync('umount', [mnt]);
      }
    });
  });

  describe('start-up and file modes (issue 12.2, 12.9)', () => {
    it('creates every directory 0700 even under a lax umask, and tightens existing 0755 ones', async () => {
      const old = process.umask(0);
      try {
        const root = join(tmp(), 'blobs');
        mkdirSync(join(root, 'sha256', 'ab'), { recursive: true, mode: 0o755 });
        chmodSync(root, 0o755);
        const store = await fresh({}, root);
        const bytes = Buffer.from('mode check');
        await store.put(bytes);
        const modeOf = (p: string) => statSync(p).mode & 0o777;
        for (const d of [root, join(root, 'sha256'), join(root, 'tmp'), join(root, 'sha256', 'ab'), join(store.pathOf(sha(bytes)), '..')]) {
          expect([d, modeOf(d)]).toEqual([d, 0o700]);
        }
        expect(modeOf(store.pathOf(sha(bytes)))).toBe(0o600);
      } finally {
        process.umask(old);
      }
    });

    it('removes orphaned *.part files: a dead process, its own pid, or older than an hour; keeps a live writer', async () => {
      const root = join(tmp(), 'blobs');
      mkdirSync(join(root, 'tmp'), { recursive: true });
      const part = (name: string) => (writeFileSync(join(root, 'tmp', name), 'half'), name);
      part('111-dead.part');
      part('4242-mine.part');
      part('222-live.part');
      const old = part('222-live-but-old.part');
      const hourAgo = (Date.now() - 2 * 3_600_000) / 1000;
      utimesSync(join(root, 'tmp', old), hourAgo, hourAgo);
      part('not-a-temp-file');
      const store = new FileBlobStore(root, { pid: 4242, isAlive: (pid) => pid === 222 });
      expect(await store.init(Date.now())).toEqual({ removedParts: 3 });
      expect(readdirSync(join(root, 'tmp')).sort()).toEqual(['222-live.part', 'not-a-temp-file']);
    });
  });
});
