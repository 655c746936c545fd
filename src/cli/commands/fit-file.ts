import { createWriteStream } from 'node:fs';
import { lstat, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../../core/index.js';
import type { HttpResponse } from '../api/http.js';
import type { CommandContext } from '../context.js';
import { usage } from './errors.js';

/**
 * Streams one FIT answer of the service to `target` (via `<target>.part` and a rename, so a
 * broken download never leaves a truncated file under the real name) or to stdout for `-`.
 * An existing file is kept unless `force`: FILE_EXISTS (exit 1) says so before anything is
 * downloaded. Returns the number of bytes written.
 */
export async function saveFit(
  ctx: CommandContext,
  download: (signal: AbortSignal) => Promise<HttpResponse>,
  target: string,
  force: boolean,
): Promise<number> {
  if (target === '-' && ctx.io.stdoutIsTTY) throw usage('Refusing to write a binary FIT file to the terminal; use --out <file> or a pipe.');
  if (target !== '-' && !force && (await exists(target))) {
    throw new AppError('FILE_EXISTS', `${target} already exists; add --force to overwrite it.`, { path: target });
  }
  const res = await download(ctx.io.interrupt);
  if (!res.body) throw new AppError('INTERNAL', 'The service sent an empty FIT file.');
  const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  let size = 0;
  body.on('data', (chunk: Buffer) => (size += chunk.length));
  if (target === '-') {
    await pipeline(body, ctx.io.stdout, { end: false });
    return size;
  }
  const tmp = `${target}.part`;
  try {
    await pipeline(body, createWriteStream(tmp, { mode: 0o644 }));
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return size;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
