import { AppError, isAppError } from '../core/index.js';

/** errno / driver codes of a full disk or quota: node (ENOSPC, EDQUOT), SQLite, PostgreSQL (53100). */
const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);
/** The data dir (or database file) cannot be written: removed, read-only, wrong owner, I/O error. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'EIO', 'ENOENT', 'ENOTDIR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR']);

/**
 * THE mapping from low-level write failures to the error catalogue (issue 12.2, 12.8): a full
 * disk is DISK_FULL, a data dir that cannot be written is STORAGE_UNWRITABLE; null when `e` is
 * neither (or already an AppError). The original error travels as `cause` (for the log only).
 */
export function storageFailure(e: unknown): AppError | null {
  if (isAppError(e) || typeof e !== 'object' || e === null) return null;
  const code = String((e as { code?: unknown }).code ?? '');
  if (FULL.has(code)) return new AppError('DISK_FULL', undefined, {}, { cause: e });
  if (UNWRITABLE.has(code) || code.startsWith('SQLITE_IOERR')) return new AppError('STORAGE_UNWRITABLE', undefined, {}, { cause: e });
  return null;
}

/** Rethrows a write failure as its catalogue error (see {@link storageFailure}), anything else as is. */
export function rethrowStorageFailure(e: unknown): never {
  throw storageFailure(e) ?? e;
}
