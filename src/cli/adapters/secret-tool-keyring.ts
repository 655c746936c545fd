import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Keyring } from '../credentials/keyring.js';

/** A keyring call that takes longer than this is treated as unavailable (a locked or absent D-Bus). */
const DEFAULT_TIMEOUT_MS = 3000;

/** Finds an executable on PATH, without running a shell. */
export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function run(bin: string, args: string[], timeoutMs: number, stdin?: string): Promise<string> {
  // Loaded when the keyring is used: node:child_process costs every other command start-up.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    // The secret only ever travels on stdin, never in argv (visible in `ps`).
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`secret-tool did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => errOut.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(Buffer.concat(errOut).toString('utf8').trim().split('\n')[0] || `secret-tool exited with ${code}`));
    });
    child.stdin.end(stdin ?? '');
  });
}

/** The freedesktop Secret Service through `secret-tool` (libsecret), when it is installed. */
export function secretToolKeyring(bin: string, timeoutMs = DEFAULT_TIMEOUT_MS): Keyring {
  const attrs = (account: string) => ['service', 'garminsync', 'server', account];
  return {
    name: 'keyring (secret-tool)',
    async get(account) {
      const value = await run(bin, ['lookup', ...attrs(account)], timeoutMs);
      return value ? value : undefined;
    },
    async set(account, secret) {
      await run(bin, ['store', '--label', `garminsync ${account}`, ...attrs(account)], timeoutMs, secret);
    },
    async remove(account) {
      await run(bin, ['clear', ...attrs(account)], timeoutMs);
    },
  };
}
