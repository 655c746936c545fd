import { PassThrough, Readable } from 'node:stream';
import { seededRandom, systemClock } from '../../core/index.js';
import type { CliDeps } from '../context.js';
import { LAUNCHED_COMMANDS } from '../commands/table.js';
import { buildProgram } from '../program.js';
import { allCommands, manName, manPage } from './man.js';

/** Where the man pages live in the package (package.json "man" lists each file). */
export const MAN_DIR = 'man';

/**
 * Every command's man page, `man/garminsync-sync-start.1` → roff, made from the same commander
 * definitions as `--help` (and `help --man`), at a fixed width and without a date so that the
 * files only change when a definition does. `server` and `emulator` have their own `--help`.
 */
export async function manPages(version: string): Promise<Map<string, string>> {
  const sink = new PassThrough().resume();
  const deps: CliDeps = {
    io: {
      stdin: Readable.from([]),
      stdout: sink,
      stderr: sink,
      stdinIsTTY: false,
      stdoutIsTTY: false,
      stderrIsTTY: false,
      columns: 80,
      interrupt: new AbortController().signal,
    },
    env: {},
    fetch: () => Promise.reject(new Error('no network while writing man pages')),
    clock: systemClock,
    random: seededRandom(1),
    prompter: { input: () => Promise.reject(new Error('no prompts')), password: () => Promise.reject(new Error('no prompts')) },
    homeDir: '/nonexistent',
    keyring: null,
  };
  const program = await buildProgram(deps, [], { bindRun: async () => {}, setExitCode: () => {} }, true);
  const pages = new Map<string, string>();
  for (const cmd of allCommands(program)) {
    if (cmd.parent === program && cmd.name() in LAUNCHED_COMMANDS) continue;
    if (cmd.name() === 'help' && cmd.parent === program) continue;
    pages.set(`${MAN_DIR}/${manName(cmd)}.1`, manPage(cmd, version, ''));
  }
  return pages;
}
