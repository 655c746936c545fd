import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, ensureBuilt, tempHome } from './harness.js';

const HOOK = join(REPO, 'test/e2e/fixtures/trace-loads.mjs');

/** Runs the binary and returns the project files it loaded (relative to the repository). */
function loads(args: string[], home: string): { code: number | null; files: string[] } {
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home, GARMINSYNC_KEYRING: 'off' },
    encoding: 'utf8',
  });
  const files = [...r.stderr.matchAll(/^\[load\] file:\/\/(.*)$/gm)]
    .map((m) => m[1]!.replace(REPO, ''))
    .filter((f) => !f.includes('node_modules'));
  return { code: r.status, files };
}

describe('start-up', () => {
  let home: string;
  beforeAll(async () => {
    await ensureBuilt();
    home = await tempHome();
  }, 120_000);

  it('--version loads nothing but the entry point', () => {
    const r = loads(['--version'], home);
    expect(r.code).toBe(0);
    expect(r.files.filter((f) => f.startsWith('dist/'))).toEqual([]);
  });

  it('a command loads only the CLI (its own verb), never the server, store, sync, garmin or emulator', () => {
    const r = loads(['sync', 'status', '--help'], home);
    expect(r.code).toBe(0);
    const dist = r.files.filter((f) => f.startsWith('dist/'));
    expect(dist).toContain('dist/cli/commands/sync/status.js');
    expect(dist.filter((f) => /^dist\/(server|store|sync|garmin|emulator|auth)\//.test(f))).toEqual([]);
    expect(
      dist.filter((f) => f.startsWith('dist/cli/commands/') && !/\/(table|types|errors)\.js$/.test(f) && !f.includes('/sync/status.js')),
    ).toEqual([]);
  });
});
