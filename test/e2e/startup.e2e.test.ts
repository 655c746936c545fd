import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { filesUnder } from './export-support.js';
import { BIN, REPO, ensureBuilt, tempHome } from './harness.js';

const HOOK = join(REPO, 'test/e2e/fixtures/trace-loads.mjs');

/** Runs the binary and returns the project files it loaded (relative to the repository). */
function loads(args: string[], home: string): { code: number | null; files: string[]; packages: string[] } {
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home, GARMINSYNC_KEYRING: 'off' },
    encoding: 'utf8',
  });
  const urls = [...r.stderr.matchAll(/^\[load\] file:\/\/(.*)$/gm)].map((m) => m[1]!);
  const files = urls.map((u) => u.replace(REPO, '')).filter((f) => !f.includes('node_modules'));
  const packages = [...new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []))];
  return { code: r.status, files, packages };
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

  it('a command loads only the CLI bundle (its own verb), never the server, store, sync, garmin or emulator', () => {
    const r = loads(['sync', 'status', '--help'], home);
    expect(r.code).toBe(0);
    const dist = r.files.filter((f) => f.startsWith('dist/'));
    // A `<noun> <verb>` command runs from its own self-contained file: no module of tsc's output,
    // no chunk, no other verb.
    expect(dist).toEqual(['dist/cli-bundle/verbs/sync/status.js']);
    // The rooms the CLI must not import would show as their packages (bundled code has no file of its own).
    expect(r.packages.filter((p) => /^(fastify|better-sqlite3|kysely|pg|typebox|pino|jose|@garmin\/fitsdk)$/.test(p))).toEqual([]);
  });

  it('a command without a verb file loads main.js and only its own command module', () => {
    const r = loads(['coverage', '--help'], home);
    expect(r.code).toBe(0);
    const dist = r.files.filter((f) => f.startsWith('dist/'));
    expect(dist).toContain('dist/cli-bundle/main.js');
    expect(dist).toContain('dist/cli-bundle/commands/coverage/coverage.js');
    expect(dist.filter((f) => !f.startsWith('dist/cli-bundle/') || f.startsWith('dist/cli-bundle/verbs/'))).toEqual([]);
    expect(dist.filter((f) => f.includes('/commands/') && !f.endsWith('/coverage/coverage.js'))).toEqual([]);
    expect(r.packages.filter((p) => /^(fastify|better-sqlite3|kysely|pg|typebox|pino|jose|@garmin\/fitsdk)$/.test(p))).toEqual([]);
  });

  it('the bundle does not contain the server, store, sync, garmin, auth or emulator rooms', async () => {
    const bundled = await filesUnder(join(REPO, 'dist/cli-bundle'));
    const sources = new Set<string>();
    for (const f of bundled.filter((b) => b.endsWith('.js.map'))) {
      const map = JSON.parse(await readFile(join(REPO, 'dist/cli-bundle', f), 'utf8')) as { sources: string[] };
      for (const s of map.sources) sources.add(s.replace(/^(\.\.\/)+/, ''));
    }
    expect([...sources].filter((s) => s.startsWith('src/cli/')).length).toBeGreaterThan(40);
    expect([...sources].filter((s) => /^src\/(server|store|sync|garmin|emulator|auth)\//.test(s))).toEqual([]);
  });

  it('every bundled file is ASCII-only, so V8 keeps its source at one byte per character', async () => {
    const files: string[] = [];
    for (const dir of ['dist/cli-bundle', 'dist/server-bundle'])
      for (const f of await filesUnder(join(REPO, dir))) if (f.endsWith('.js')) files.push(join(dir, f));
    expect(files.length).toBeGreaterThan(20);
    const notAscii: string[] = [];
    // eslint-disable-next-line no-control-regex
    for (const f of files) if (/[^\x00-\x7f]/.test(await readFile(join(REPO, f), 'utf8'))) notAscii.push(f);
    expect(notAscii).toEqual([]);
  });
});
