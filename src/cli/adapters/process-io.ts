import { isatty } from 'node:tty';
import type { IO } from '../io.js';

/**
 * The real terminal. Ctrl-C aborts `interrupt` once, so that waiting commands can detach
 * politely; a second Ctrl-C ends the process at once, as people expect.
 */
export function processIO(): IO {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort(new DOMException('Interrupted by Ctrl-C.', 'AbortError'));
  });
  // `garminsync … | head -1`: the reader went away; that is a normal end, not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
  return {
    // process.stdin is created on first use (a stream over a pipe, file or terminal: a few ms of
    // start-up); most commands never read it, so it is not touched until one does.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: isatty(0),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stdout.columns || process.stderr.columns || 80,
    interrupt: controller.signal,
  };
}
