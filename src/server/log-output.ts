import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { LOG_REDACTION } from './log-redaction.js';
import type { LOG_FORMATS, LOG_LEVELS } from './settings.js';

/** Where the service's log goes and whether a person is reading it there. */
export interface LogSink {
  /** A pino destination; else lines are handed to `stderr`. */
  logs?: pino.DestinationStream;
  stderr: (s: string) => void;
  stderrIsTTY: boolean;
}

/**
 * The process's stderr as a pino destination for JSON lines. Asynchronous: a line is handed to
 * the kernel after the log call returns, and lines written while a write is under way go out
 * together (bench row 5: a synchronous write per line cost a quarter of the API's requests/s).
 * Nothing is lost on the way out: pino flushes this destination synchronously on `exit` (also
 * after `process.exit()` and an uncaught exception), and `run` flushes it after shutdown.
 */
export function stderrDestination(): ReturnType<typeof pino.destination> {
  return pino.destination({ dest: 2, sync: false });
}

/** `auto` is readable lines for a person at a terminal, and JSON (one object per line) for everything else. */
export function resolvedLogFormat(format: (typeof LOG_FORMATS)[number], stderrIsTTY: boolean): 'pretty' | 'json' {
  return format === 'auto' ? (stderrIsTTY ? 'pretty' : 'json') : format;
}

/**
 * The service's logger. Redaction happens in pino before either format writes, so a secret is
 * `[redacted]` in readable lines exactly as in JSON. The readable lines are made in this thread
 * (no transport worker), so a crash loses none of them. Colours only on a terminal without NO_COLOR.
 */
export function createServiceLogger(
  opts: { level: (typeof LOG_LEVELS)[number]; format: (typeof LOG_FORMATS)[number]; noColor: boolean; pid: number },
  sink: LogSink,
): Logger {
  const destination =
    sink.logs ??
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        sink.stderr(chunk.toString());
        done();
      },
    });
  const base = { level: opts.level, redact: LOG_REDACTION, base: { pid: opts.pid } };
  if (resolvedLogFormat(opts.format, sink.stderrIsTTY) === 'json') return pino(base, destination);
  const pretty = pinoPretty({
    destination,
    sync: true,
    colorize: sink.stderrIsTTY && !opts.noColor,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
  });
  return pino(base, pretty);
}
