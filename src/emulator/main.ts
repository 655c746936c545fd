import { CommanderError } from 'commander';
import { pino } from 'pino';
import { isAppError, silentLogger, systemClock, type Logger } from '../core/index.js';
import { runArchiveCommand } from './archive/archive.command.js';
import { parseEmulatorCommand } from './command.js';
import { startEmulator } from './emulator.js';
import { DEFAULT_CONSUMER } from './state.js';
import type { RunningEmulator } from './types.js';

export interface EmulatorRunIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Stops the emulator like SIGTERM (tests); the process signals are always honoured too. */
  signal?: AbortSignal;
}

const processIO: EmulatorRunIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

function describe(emu: RunningEmulator, consumer: { key: string; secret: string }) {
  const base = emu.url;
  const hosts = emu.caPath
    ? Object.fromEntries(['sso', 'connectapi', 'diauth', 'connect'].map((h) => [h, `https://${h}.${emu.domain}:${emu.port}`]))
    : { sso: base, connectapi: base, diauth: base, connect: base };
  return {
    url: base,
    domain: emu.domain,
    port: emu.port,
    tls: emu.caPath !== undefined,
    ...(emu.caPath ? { ca_path: emu.caPath } : {}),
    hosts,
    accounts: emu.accounts,
    oauth_consumer: { consumer_key: consumer.key, consumer_secret: consumer.secret },
    control: `${base}/__emulator`,
  };
}

/**
 * Composition root of `garminsync emulator`: parses flags, starts the emulator, prints its URL
 * and demo accounts (stdout: data; stderr: logs with --verbose), and serves until SIGINT (→ 130)
 * or SIGTERM (→ 0), closing the server first.
 */
export async function run(argv: string[], io: EmulatorRunIO = processIO): Promise<number> {
  if (argv[0] === 'archive')
    return runArchiveCommand(argv.slice(1), { ...io, today: new Date(systemClock.now()).toISOString().slice(0, 10) });
  let parsed;
  try {
    parsed = parseEmulatorCommand(argv, { out: io.stdout, err: io.stderr });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    throw e;
  }
  const logger: Logger = parsed.verbose ? pino({ level: 'debug', base: { name: 'emulator' } }, pino.destination(2)) : silentLogger;
  let emu: RunningEmulator;
  try {
    emu = await startEmulator({ ...parsed.options, clock: systemClock, logger });
    emu.setFaults(parsed.faults);
  } catch (e) {
    if (isAppError(e)) {
      io.stderr(`garminsync emulator: ${e.message}\n`);
      return 2;
    }
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.stderr(`garminsync emulator: cannot listen on ${parsed.options.host}:${parsed.options.port} (${code}). Try --port 0.\n`);
      return 1;
    }
    throw e;
  }

  const consumer = {
    key: parsed.options.consumerKey ?? DEFAULT_CONSUMER.key,
    secret: parsed.options.consumerSecret ?? DEFAULT_CONSUMER.secret,
  };
  const info = describe(emu, consumer);
  if (parsed.json) {
    io.stdout(`${JSON.stringify(info)}\n`);
  } else {
    const lines = [`Garmin Connect emulator listening on ${emu.url} (plays ${emu.domain})`];
    if (emu.caPath) {
      lines.push(
        `  TLS: trust ${emu.caPath} and resolve ${Object.values(info.hosts)
          .map((h) => new URL(h).hostname)
          .join(', ')} to ${parsed.options.host}`,
      );
    }
    lines.push('  accounts (password demo-password):');
    for (const a of emu.accounts) {
      const note = a.mfa
        ? `MFA by e-mail code: GET ${info.control}/mfa-code?username=${a.email}`
        : a.email.startsWith('locked')
          ? 'locked'
          : 'no MFA';
      lines.push(`    ${a.email}  (${note})`);
    }
    lines.push(`  OAuth1 consumer: ${consumer.key} / ${consumer.secret}`);
    lines.push(`  control API: ${info.control}/{stats,faults,mfa-code,activities}`);
    io.stdout(`${lines.join('\n')}\n`);
  }

  const code = await new Promise<number>((resolve) => {
    const onInt = () => finish(130);
    const onTerm = () => finish(0);
    const onAbort = () => finish(0);
    function finish(c: number) {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      io.signal?.removeEventListener('abort', onAbort);
      resolve(c);
    }
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (io.signal?.aborted) finish(0);
    else io.signal?.addEventListener('abort', onAbort, { once: true });
  });
  await emu.close();
  if (parsed.verbose) io.stderr('garminsync emulator: stopped\n');
  return code;
}
