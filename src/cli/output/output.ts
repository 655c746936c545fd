import pc from 'picocolors';
import type { IO } from '../io.js';
import { timeFormatter, type DateZone, type TimeFormatter } from './time.js';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * How a command talks: data to stdout, people to stderr (style.md rule 3). `json` means stdout
 * carries exactly one JSON document and nothing else; `quiet` silences the people channel except
 * for warnings and errors.
 */
export interface Output {
  readonly io: IO;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly color: Colors;
  /** How times are written for people (local time, or UTC with --utc). */
  readonly fmt: TimeFormatter;
  /** A line of data on stdout (human mode only). */
  data(line?: string): void;
  /** One JSON document on stdout. */
  document(value: unknown): void;
  /** A line for people on stderr; dropped by --quiet. */
  info(line: string): void;
  /** A success summary for people on stderr; dropped by --quiet. */
  success(line: string): void;
  /** A warning on stderr; always shown. */
  warn(line: string): void;
}

/** Colours are on only for a TTY, and never with NO_COLOR or --no-color. */
export function colorEnabled(io: IO, env: Record<string, string | undefined>, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return io.stderrIsTTY;
}

export function createOutput(
  io: IO,
  opts: { json: boolean; quiet: boolean; color: boolean; utc?: boolean; timeZone?: string; dateZone?: DateZone },
): Output {
  const color = pc.createColors(opts.color);
  return {
    io,
    json: opts.json,
    quiet: opts.quiet,
    color,
    fmt: timeFormatter({ utc: Boolean(opts.utc), timeZone: opts.timeZone, dateZone: opts.dateZone }),
    data: (line = '') => void io.stdout.write(`${line}\n`),
    document: (value) => void io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (line) => {
      if (!opts.quiet) io.stderr.write(`${line}\n`);
    },
    success: (line) => {
      if (!opts.quiet) io.stderr.write(`${color.green('✓')} ${line}\n`);
    },
    warn: (line) => void io.stderr.write(`${color.yellow('!')} ${line}\n`),
  };
}
