import { constants } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../core/index.js';
import { lazyCryptoRandom } from '../adapters/lazy-random.js';

/** Group/other permission bits: any of them makes a secret file unsafe. */
const GROUP_OTHER = 0o077;

/**
 * Creates the directory (and parents) with mode 0700, and tightens an existing one of ours
 * that is group/other accessible (mkdir's mode does not apply to existing directories).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await stat(dir);
  if ((st.mode & GROUP_OTHER) !== 0) await chmod(dir, 0o700);
}

/** Why a secret file is not safe to use: a symbolic link, or readable/writable by others. */
export interface ExposedFile {
  path: string;
  reason: 'symlink' | 'mode';
  /** The permission bits, e.g. 0o644 (for reason 'mode'). */
  mode?: number;
}

/**
 * Reads a secret file, refusing one that group or others could read or write, with the exact
 * command that fixes it. Returns undefined when the file does not exist. With `onExposed`, an
 * unsafe file is read anyway and reported there instead (for `auth logout`, which must revoke
 * and delete such a file, not refuse it).
 */
export async function readPrivateFile(path: string, onExposed?: (e: ExposedFile) => void): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') {
      if (!onExposed) {
        throw new AppError('CREDENTIALS_INSECURE', `The credential file ${path} is a symbolic link; replace it with a regular file.`, {
          path,
        });
      }
      onExposed({ path, reason: 'symlink' });
      return readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    }
    throw e;
  }
  try {
    // fstat on the opened handle: no window between the check and the read.
    const st = await handle.stat();
    if ((st.mode & GROUP_OTHER) !== 0) {
      if (!onExposed) {
        throw new AppError(
          'CREDENTIALS_INSECURE',
          `The credential file ${path} is readable by other users (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); run \`chmod 600 ${path}\` and try again.`,
          { path, fix: `chmod 600 ${path}` },
        );
      }
      onExposed({ path, reason: 'mode', mode: st.mode & 0o777 });
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a file atomically with mode 0600: write a temp file in the same directory, fsync it,
 * rename it over the target, fsync the directory. A crash leaves the old or the new file, never
 * a torn one, and readers never see a partial write.
 */
export async function writePrivateFileAtomic(path: string, content: string): Promise<void> {
  await ensurePrivateDir(dirname(path));
  await writeFileAtomic(path, content, 0o600);
}

/**
 * The atomic replace itself (temp file, fsync, rename, fsync of the directory), with the given
 * mode; the directory must exist. Also used for the config file, which is not a secret.
 */
export async function writeFileAtomic(path: string, content: string, mode: number): Promise<void> {
  const dir = dirname(path);
  const tmp = `${path}.${process.pid}.${lazyCryptoRandom.bytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode); // the umask cannot widen it, but an odd one could narrow it oddly
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const dirHandle = await open(dir, constants.O_RDONLY);
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
