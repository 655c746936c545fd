import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../src/server/config.js';
import { startService, type RunningService } from '../../src/server/main.js';
import { nodeBlobFs, type BlobFs } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';
import { canMountTmpfs } from '../../src/store/testing/tmpfs.js';

/** A disk that can be made full (every write fails ENOSPC) or short of space (statfs), and back. */
function switchableDisk() {
  const state = { full: false, freeBytes: null as number | null };
  const fs: BlobFs = {
    ...nodeBlobFs,
    open: async (path, flags, mode) => {
      const fh = await nodeBlobFs.open(path, flags, mode);
      return {
        get fd() {
          return fh.fd;
        },
        write: async (buffer, offset, length, position) => {
          if (state.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
          return fh.write(buffer, offset, length, position);
        },
        read: (b, o, l, p) => fh.read(b, o, l, p),
        stat: () => fh.stat(),
        sync: () => fh.sync(),
        close: () => fh.close(),
      };
    },
    statfs: async (path) => (state.freeBytes === null ? nodeBlobFs.statfs(path) : { bsize: 1, bavail: state.freeBytes }),
  };
  return { fs, state };
}

const canMount = canMountTmpfs();

/** Issue 12.8: GET /readyz checks the data dir (there, writable, not full) and the database; /healthz stays 200. */
describe.each(testDialects())('readiness of the data dir and the database ($name)', (dialect) => {
  let t: TestDatabase | undefined;
  let service: RunningService | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await t?.close();
    t = undefined;
    for (const c of cleanups.splice(0).reverse()) c();
  });

  /** Starts the real service (HTTP on 127.0.0.1); its log lines are kept. */
  async function start(dataDir: string, o: { fs?: BlobFs; args?: string[]; dbInDataDir?: boolean } = {}) {
    t = await dialect.open();
    const database = t.url ?? (o.dbInDataDir ? join(dataDir, 'garminsync.db') : join(t.dir, 'garminsync.db'));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    const args = ['--port', '0', '--data-dir', dataDir, '--database', database, '--garmin-url', 'http://127.0.0.1:9', ...(o.args ?? [])];
    service = await startService(parseServerConfig(args, {}, dataDir), { logger, ...(o.fs ? { fs: o.fs } : {}) });
    const url = service.url!;
    const probe = async (path: '/readyz' | '/healthz') => {
      const r = await fetch(`${url}${path}`);
      return { status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as Record<string, unknown> };
    };
    const logged = (msg: string) => lines.map((l) => JSON.parse(l) as { msg: string; level: number }).filter((l) => l.msg.startsWith(msg));
    return { probe, logged };
  }

  const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'garminsync-ready-'));
    cleanups.push(() => rmSync(d, { recursive: true, force: true }));
    return d;
  };

  async function expectNotReady(s: Awaited<ReturnType<typeof start>>, want: { check: string; reason: string; detail: string | RegExp }) {
    for (let i = 0; i < 3; i++) {
      const r = await s.probe('/readyz');
      expect(r.status).toBe(503);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ status: 503, code: 'NOT_READY', check: want.check, reason: want.reason });
      expect(r.body.detail).toMatch(want.detail);
      expect((await s.probe('/healthz')).status).toBe(200);
    }
    // Logged as an error once, however often it is probed.
    const errors = s.logged('Not ready:').filter((l) => l.level === 50);
    expect(errors.filter((l) => (typeof want.detail === 'string' ? l.msg === want.detail : want.detail.test(l.msg)))).toHaveLength(1);
    return errors;
  }

  it('a disk whose writes fail ENOSPC, then one short of --min-free-bytes: 503 with the reason, logged once; 200 again when space is back', async () => {
    const disk = switchableDisk();
    const s = await start(freshDir(), { fs: disk.fs, args: ['--min-free-bytes', String(1024 ** 2)] });
    expect((await s.probe('/readyz')).status).toBe(200);

    disk.state.full = true;
    const full = await expectNotReady(s, {
      check: 'data_dir',
      reason: 'full',
      detail: 'Not ready: the disk of the data directory (--data-dir) is full.',
    });
    expect(full).toHaveLength(1);
    disk.state.full = false;
    expect((await s.probe('/readyz')).status).toBe(200);
    expect(s.logged('ready again')).toHaveLength(1);

    disk.state.freeBytes = 1000;
    const low = await expectNotReady(s, {
      check: 'data_dir',
      reason: 'full',
      detail: 'Not ready: the disk of the data directory (--data-dir) has 0.0 MiB free, less than --min-free-bytes (1.0 MiB).',
    });
    expect(low).toHaveLength(2);
    disk.state.freeBytes = 2 * 1024 ** 2;
    expect((await s.probe('/readyz')).body).toEqual({ status: 'ok' });
    expect(s.logged('ready again')).toHaveLength(2);
  }, 60_000);

  it('a data dir removed under the running service: 503 missing; made again it is ready only if the database survived', async () => {
    const dir = freshDir();
    const s = await start(dir, { dbInDataDir: true });
    expect((await s.probe('/readyz')).status).toBe(200);
    rmSync(dir, { recursive: true, force: true });
    const errors = await expectNotReady(s, {
      check: 'data_dir',
      reason: 'missing',
      detail: 'Not ready: the data directory (--data-dir) is missing.',
    });
    expect(errors).toHaveLength(1);
    mkdirSync(dir, { mode: 0o700 });
    if (dialect.name === 'postgres') {
      expect((await s.probe('/readyz')).status).toBe(200);
    } else {
      // SQLite still writes into the removed file, which vanishes at the next restart: not ready until restarted.
      await expectNotReady(s, {
        check: 'database',
        reason: 'replaced',
        detail: /^Not ready: the SQLite database file \(--database\) was removed/,
      });
    }
  }, 60_000);

  it.skipIf(!canMount)(
    'a data dir on a real tmpfs: read-only, then full, each 503 until the cause is gone',
    async () => {
      const dir = freshDir();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir]);
      cleanups.push(() => execFileSync('umount', ['-l', dir]));
      const s = await start(dir, { args: ['--min-free-bytes', String(1024 ** 2)] });
      expect((await s.probe('/readyz')).status).toBe(200);

      execFileSync('mount', ['-o', 'remount,ro', dir]);
      await expectNotReady(s, {
        check: 'data_dir',
        reason: 'unwritable',
        detail: 'Not ready: the data directory (--data-dir) cannot be written (read-only file system).',
      });
      execFileSync('mount', ['-o', 'remount,rw', dir]);
      expect((await s.probe('/readyz')).status).toBe(200);

      writeFileSync(join(dir, 'ballast'), Buffer.alloc(3.5 * 1024 ** 2));
      await expectNotReady(s, {
        check: 'data_dir',
        reason: 'full',
        detail: /^Not ready: the disk of the data directory \(--data-dir\) has 0\.\d MiB free/,
      });
      rmSync(join(dir, 'ballast'));
      expect((await s.probe('/readyz')).status).toBe(200);
      expect(s.logged('ready again')).toHaveLength(2);
    },
    60_000,
  );
});
