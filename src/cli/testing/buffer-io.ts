import { PassThrough, Readable } from 'node:stream';
import type { IO } from '../io.js';

/** An IO over buffers for tests, in TTY or non-TTY mode (style.md: test commands against buffers). */
export interface BufferIO extends IO {
  stdoutText(): string;
  stderrText(): string;
  /** Simulates Ctrl-C. */
  interruptNow(): void;
}

export function bufferIO(opts: { tty?: boolean; stdin?: string; columns?: number } = {}): BufferIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  stdout.on('data', (d: Buffer) => outChunks.push(d));
  stderr.on('data', (d: Buffer) => errChunks.push(d));
  const tty = Boolean(opts.tty);
  // cli-progress and friends look at these like on a real terminal stream.
  Object.assign(stderr, {
    isTTY: tty,
    columns: opts.columns ?? 100,
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
  });
  const controller = new AbortController();
  return {
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    stdout,
    stderr,
    stdinIsTTY: tty,
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    columns: opts.columns ?? 100,
    interrupt: controller.signal,
    stdoutText: () => Buffer.concat(outChunks).toString('utf8'),
    stderrText: () => Buffer.concat(errChunks).toString('utf8'),
    interruptNow: () => controller.abort(new DOMException('Interrupted by Ctrl-C.', 'AbortError')),
  };
}
