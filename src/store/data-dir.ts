import { chmod, mkdir, stat } from 'node:fs/promises';
import type { Logger } from '../core/index.js';
import { rethrowStorageFailure } from './storage-errors.js';

/**
 * Start-up (issue 12.9): creates the data dir 0700, or tightens an existing one that group or
 * others can enter (a dir made by hand, or by an older version under a lax umask) to 0700, and
 * says so in the log once. Returns the mode it found (for the log and tests).
 */
export async function prepareDataDir(dir: string, logger: Logger): Promise<{ tightenedFrom: number | null }> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const mode = (await stat(dir)).mode & 0o777;
    if ((mode & 0o077) === 0) return { tightenedFrom: null };
    await chmod(dir, 0o700);
    logger.warn({ dir, from: `0${mode.toString(8)}`, to: '0700' }, 'the data directory was open to other users; its mode is now 0700');
    return { tightenedFrom: mode };
  } catch (e) {
    rethrowStorageFailure(e);
  }
}
