import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { AppError, type Logger } from '../core/index.js';
import type { BlobFileHandle, BlobFileStat, BlobFs } from './blob-fs.js';
import type { Database } from './schema.js';

/** Which part of the store is not ready, and why (the `check` and `reason` of a NOT_READY answer). */
export type ReadinessCheck = 'data_dir' | 'database';
export type NotReadyReason = 'missing' | 'unwritable' | 'full' | 'unreachable' | 'read_only' | 'replaced';

export interface ReadinessOptions {
  db: Kysely<Database>;
  dataDir: string;
  /** The SQLite database file, or null (PostgreSQL, `:memory:`). */
  sqliteFile: string | null;
  /** The server can turn read-only (capability serverMayBeReadOnly: PostgreSQL): one that only reads (a replica, recovery) is not ready. */
  askReadOnly: boolean;
  fs: BlobFs;
  /** Free bytes the data dir's (and a SQLite file's) disk must keep; 0 = no free-space check. */
  minFreeBytes: number;
  logger: Logger;
}

/** Fixed words for the errno of a failed probe write (the answer never carries an OS message). */
const ERRNO_WORDS: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'a directory is missing',
  ENOTDIR: 'not a directory',
  EIO: 'I/O error',
};
const FULL = new Set(['ENOSPC', 'EDQUOT']);
const PROBE = Buffer.from('garminsync readiness probe\n');

const errno = (e: unknown) => String((e as { code?: unknown } | null)?.code ?? '');
const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;

/**
 * NOT_READY: its message is built here from fixed sentences (and byte counts) only, so the probe
 * answer can say what is wrong without leaking a path or an OS message.
 */
function notReady(check: ReadinessCheck, reason: NotReadyReason, sentence: string, cause?: unknown): AppError {
  return new AppError('NOT_READY', `Not ready: ${sentence}`, { check, reason }, cause === undefined ? undefined : { cause });
}

/** The directory is there, a small file can be written and fsynced in it, and its disk has room. */
async function checkDirectory(o: ReadinessOptions, dir: string, check: ReadinessCheck, label: string): Promise<void> {
  let st: BlobFileStat;
  try {
    st = await o.fs.stat(dir);
  } catch (e) {
    throw notReady(
      check,
      errno(e) === 'ENOENT' ? 'missing' : 'unwritable',
      `${label} is ${errno(e) === 'ENOENT' ? 'missing' : 'not readable'}.`,
      e,
    );
  }
  if (!st.isDirectory()) throw notReady(check, 'missing', `${label} is not a directory.`);
  const probe = join(dir, `.readyz-${randomUUID()}.probe`);
  let fh: BlobFileHandle | undefined;
  try {
    fh = await o.fs.open(probe, 'wx', 0o600);
    const { bytesWritten } = await fh.write(PROBE, 0, PROBE.byteLength, null);
    if (bytesWritten < PROBE.byteLength) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
    await fh.sync();
  } catch (e) {
    if (FULL.has(errno(e))) throw notReady(check, 'full', `the disk of ${label} is full.`, e);
    const words = ERRNO_WORDS[errno(e)];
    throw notReady(check, 'unwritable', `${label} cannot be written${words ? ` (${words})` : ''}.`, e);
  } finally {
    await fh?.close().catch(() => {});
    await o.fs.rm(probe, { force: true }).catch(() => {});
  }
  if (o.minFreeBytes <= 0) return;
  const space = await o.fs.statfs(dir).catch((e: unknown) => {
    throw notReady(check, 'unwritable', `the free space of ${label} cannot be read.`, e);
  });
  const free = space.bavail * space.bsize;
  if (free < o.minFreeBytes) {
    throw notReady(check, 'full', `the disk of ${label} has ${mib(free)} free, less than --min-free-bytes (${mib(o.minFreeBytes)}).`);
  }
}

/**
 * The store's readiness (issue 12.8), what `GET /readyz` answers: the data dir is there, writable
 * (a probe file is written, fsynced and removed) and its disk keeps `--min-free-bytes`; the
 * database answers and takes writes — PostgreSQL is not read-only; a SQLite file is still the one
 * that was opened (a removed data dir leaves SQLite writing into a deleted file that vanishes at
 * the next restart) and its directory passes the same checks. Throws NOT_READY naming the check
 * and the reason. A failure is logged once (with its OS error) until the store is ready again,
 * which is logged too; concurrent calls share one check. `opened` is the SQLite file's identity
 * at open.
 */
export function createReadiness(o: ReadinessOptions, opened: Pick<BlobFileStat, 'dev' | 'ino'> | null): () => Promise<void> {
  const dataDir = resolve(o.dataDir);
  const check = async () => {
    await checkDirectory(o, dataDir, 'data_dir', 'the data directory (--data-dir)');
    try {
      await o.db.selectFrom('users').select('user_id').limit(1).execute();
    } catch (e) {
      throw notReady('database', 'unreachable', 'the database (--database) does not answer.', e);
    }
    if (o.askReadOnly) {
      const r = await sql<{ transaction_read_only: string }>`show transaction_read_only`.execute(o.db);
      if (r.rows[0]?.transaction_read_only === 'on') throw notReady('database', 'read_only', 'the database (--database) is read-only.');
    }
    if (o.sqliteFile === null) return;
    const replaced = 'the SQLite database file (--database) was removed or replaced while the service ran; restart the service.';
    const now = await o.fs.stat(o.sqliteFile).catch((e: unknown) => {
      throw notReady('database', 'replaced', replaced, e);
    });
    if (opened && (now.dev !== opened.dev || now.ino !== opened.ino)) throw notReady('database', 'replaced', replaced);
    const dbDir = dirname(resolve(o.sqliteFile));
    if (dbDir !== dataDir) await checkDirectory(o, dbDir, 'database', "the SQLite database's directory (--database)");
  };
  let inFlight: Promise<void> | null = null;
  let failing: string | null = null;
  const once = async () => {
    try {
      await check();
    } catch (e) {
      const err =
        e instanceof AppError && e.code === 'NOT_READY'
          ? e
          : notReady('database', 'unreachable', 'the database (--database) does not answer.', e);
      if (failing !== err.message) o.logger.error({ err: err.cause, ...err.details }, err.message);
      failing = err.message;
      throw err;
    }
    if (failing !== null) o.logger.info({}, 'ready again: the data directory and the database can be written');
    failing = null;
  };
  return () => (inFlight ??= once().finally(() => (inFlight = null)));
}
