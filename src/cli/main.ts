import { homedir } from 'node:os';
import { systemClock } from '../core/index.js';
import { inquirerPrompter } from './adapters/inquirer-prompter.js';
import { lazyCryptoRandom } from './adapters/lazy-random.js';
import { nodeHttpFetch } from '../transport/index.js';
import { processIO } from './adapters/process-io.js';
import { findOnPath, secretToolKeyring } from './adapters/secret-tool-keyring.js';
import type { Launcher } from './context.js';
import { runCli } from './program.js';

/**
 * Composition root of the `garminsync` CLI (called by bin/garminsync.js, which exits with the
 * returned code). The only place that reads process.env and wires the real terminal, fetch,
 * clock and keyring.
 */
export async function main(argv: string[], launchers?: Partial<Record<'server' | 'emulator', Launcher>>): Promise<number> {
  const io = processIO();
  const env = { ...process.env };
  // The keyring is optional: used when `secret-tool` exists, unless GARMINSYNC_KEYRING=off.
  const keyringOff = ['off', '0', 'false', 'no'].includes((env.GARMINSYNC_KEYRING ?? '').toLowerCase());
  const secretTool = keyringOff ? undefined : findOnPath('secret-tool', env.PATH);
  return runCli(argv, {
    io,
    env,
    // node:http, not the global fetch: undici's load dominated every command's start-up.
    fetch: nodeHttpFetch,
    clock: systemClock,
    random: lazyCryptoRandom,
    prompter: inquirerPrompter(io),
    homeDir: homedir(),
    keyring: secretTool ? secretToolKeyring(secretTool) : null,
    // The TZ this process's Date was set up with (env is a copy of it, so they agree).
    dateZone: { tz: process.env.TZ },
    launchers,
  });
}
