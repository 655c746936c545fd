import { open, readFile, stat } from 'node:fs/promises';
import { AppError, type Random } from '../core/index.js';

/**
 * Parses a 256-bit key given as base64, base64url or hex (from an environment variable).
 * `setting` names the variable in the error, so a bad value says what to fix.
 */
export function parseKey(value: string, setting: string): Buffer {
  const v = value.trim();
  const candidates = [/^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : null, Buffer.from(v, 'base64url'), Buffer.from(v, 'base64')];
  const key = candidates.find((b) => b !== null && b.length === 32);
  if (!key) throw new AppError('CONFIG_INVALID', `${setting} must be a 256-bit key (32 bytes as base64 or 64 hex digits).`, { setting });
  return key;
}

/**
 * Loads a 256-bit key from `path`, creating it (mode 0600, exclusive create so two processes
 * starting together agree on one key) when it does not exist. A key file readable by group or
 * others is refused: it protects every user's Garmin tokens or the service's token signatures.
 */
export async function loadOrCreateKeyFile(path: string, random: Random, setting: string): Promise<Buffer> {
  try {
    const fh = await open(path, 'wx', 0o600);
    try {
      await fh.writeFile(`${random.bytes(32).toString('base64url')}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = await stat(path);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new AppError('CONFIG_INVALID', `The key file ${path} is readable by other users; run: chmod 600 ${path}`, { setting, path });
  }
  return parseKey(await readFile(path, 'utf8'), `${setting} (${path})`);
}
