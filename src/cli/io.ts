import type { Readable, Writable } from 'node:stream';

/**
 * Everything a command may touch of the terminal (style.md: the GitHub CLI's IOStreams). Commands
 * receive an IO instead of using `process`, so tests drive them with buffers in both TTY and
 * non-TTY modes.
 */
export interface IO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width (tables on stdout, progress bars on stderr); 80 when unknown. */
  columns: number;
  /** Aborts on Ctrl-C (SIGINT). Commands that wait pass it on and detach when it fires. */
  interrupt: AbortSignal;
}

/** Writes one line to stdout (data). */
export function out(io: IO, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Writes one line to stderr (people). */
export function err(io: IO, line = ''): void {
  io.stderr.write(`${line}\n`);
}

/** Prints exactly one JSON document on stdout. */
export function outJson(io: IO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reads stdin to its end (for `--password-stdin`), without echoing anything. */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
