import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, systemClock, type Clock } from '../../core/index.js';
import { nodeHttpFetch } from '../adapters/node-http-fetch.js';
import type { Keyring } from '../credentials/keyring.js';
import { runCli } from '../program.js';
import type { Prompter } from '../prompter.js';
import { bufferIO, type BufferIO } from './buffer-io.js';
import { scriptedPrompter } from './scripted-prompter.js';

/** A fresh config home for one test. */
export async function tempConfigHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'garminsync-cli-'));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  io: BufferIO;
}

/** Runs one CLI invocation in-process against buffers, like a spawned binary would run. */
export async function run(
  argv: string[],
  opts: {
    home: string;
    server?: string;
    tty?: boolean;
    stdin?: string;
    prompter?: Prompter;
    env?: Record<string, string>;
    keyring?: Keyring | null;
    clock?: Clock;
    io?: BufferIO;
  },
): Promise<RunResult> {
  const io = opts.io ?? bufferIO({ tty: opts.tty, stdin: opts.stdin });
  const code = await runCli(argv, {
    io,
    env: { XDG_CONFIG_HOME: opts.home, ...(opts.server ? { GARMINSYNC_SERVER: opts.server } : {}), ...opts.env },
    fetch: nodeHttpFetch,
    clock: opts.clock ?? systemClock,
    random: seededRandom(1),
    prompter: opts.prompter ?? scriptedPrompter([]),
    homeDir: opts.home,
    keyring: opts.keyring ?? null,
  });
  return { code, stdout: io.stdoutText(), stderr: io.stderrText(), io };
}
