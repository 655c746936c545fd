import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, systemClock, type Clock } from '../../core/index.js';
import { nodeHttpFetch } from '../../transport/index.js';
import type { Keyring } from '../credentials/keyring.js';
import { createContext, type CliDeps, type CommandContext, type GlobalFlags } from '../context.js';
import { reportError, runCli } from '../program.js';
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

export interface RunOptions {
  home: string;
  server?: string;
  tty?: boolean;
  stdin?: string;
  prompter?: Prompter;
  env?: Record<string, string>;
  keyring?: Keyring | null;
  clock?: Clock;
  io?: BufferIO;
}

/** The outside world of one test invocation: buffer IO, a config home, the real loopback HTTP. */
function testDeps(opts: RunOptions): CliDeps & { io: BufferIO } {
  return {
    io: opts.io ?? bufferIO({ tty: opts.tty, stdin: opts.stdin }),
    env: { XDG_CONFIG_HOME: opts.home, ...(opts.server ? { GARMINSYNC_SERVER: opts.server } : {}), ...opts.env },
    fetch: nodeHttpFetch,
    clock: opts.clock ?? systemClock,
    random: seededRandom(1),
    prompter: opts.prompter ?? scriptedPrompter([]),
    homeDir: opts.home,
    keyring: opts.keyring ?? null,
  };
}

/** Runs one CLI invocation in-process against buffers, like a spawned binary would run. */
export async function run(argv: string[], opts: RunOptions): Promise<RunResult> {
  const deps = testDeps(opts);
  const code = await runCli(argv, deps);
  return { code, stdout: deps.io.stdoutText(), stderr: deps.io.stderrText(), io: deps.io };
}

/**
 * Calls one verb's run function directly (style.md: commands tested through their run functions
 * with buffer IO): the context is built as the program builds it, with `globals` (--json, …), and
 * a thrown error becomes its sentence on stderr and its exit code through the program's one
 * translator (reportError), as it would for the binary.
 */
export async function runVerb(
  verb: (ctx: CommandContext) => Promise<number>,
  opts: RunOptions & { globals?: GlobalFlags },
): Promise<RunResult> {
  const deps = testDeps(opts);
  let code: number;
  try {
    code = await verb(await createContext(deps, opts.globals ?? {}));
  } catch (e) {
    code = reportError(deps, e);
  }
  return { code, stdout: deps.io.stdoutText(), stderr: deps.io.stderrText(), io: deps.io };
}
