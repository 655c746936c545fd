import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../src/emulator/accounts.js';
import { writeArchive } from '../../src/emulator/archive/archive.writer.js';
import { cli, ensureBuilt, startStack, tempHome, type Stack } from './harness.js';

// An archive of the no-MFA account; nothing is synced from the stack's emulator, so everything comes from the archive.
const OPTS = { seed: 3, activities: 20, days: 15, workouts: 1, endDate: '2026-10-31', account: 'nomfa@example.com', partSize: 25 };

let stack: Stack;
let dir: string;
let home: string;
let archive: string;

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ activities: 1, days: 1, workouts: 1 });
  dir = await mkdtemp(join(tmpdir(), 'gs-import-e2e-'));
  archive = join(dir, 'export.zip');
  await writeArchive({ ...OPTS, out: archive });
  home = await tempHome();
  const login = await cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], {
    home,
    server: stack.url,
    input: 'demo-password',
  });
  expect(login.code).toBe(0);
}, 180_000);
afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('garminsync import archive (real binary, real service)', () => {
  it('imports every activity with its original FIT, byte for byte, and health days; a re-import changes nothing', async () => {
    const r = await cli(['import', 'archive', archive, '--wait', '--json'], { home, server: stack.url });
    expect(r.stderr).not.toMatch(/Error|at /);
    expect(r.code, r.stdout.slice(0, 1500)).toBe(0);
    const job = JSON.parse(r.stdout).jobs[0];
    expect(job).toMatchObject({ sync_type: 'archive', status: 'completed', failed_items: 0 });

    const list = await cli(['activities', 'list', '--limit', '100', '--json'], { home, server: stack.url });
    const items = JSON.parse(list.stdout).items as { activity_id: string; fit: { sha256: string } | null }[];
    expect(items).toHaveLength(20);
    const data = new AccountRegistry(OPTS.seed, OPTS).byEmail(OPTS.account)!.data;
    for (const a of items.slice(0, 5)) {
      const out = join(dir, `${a.activity_id}.fit`);
      const d = await cli(['activities', 'download', a.activity_id, '--out', out], { home, server: stack.url });
      expect(d.code).toBe(0);
      const { readFile } = await import('node:fs/promises');
      expect((await readFile(out)).equals(Buffer.from(data.fitBytes(Number(a.activity_id))!))).toBe(true);
    }
    const token = (await cli(['auth', 'token'], { home, server: stack.url })).stdout.trim();
    const health = await fetch(`${stack.url}/api/v1/health/daily?from=2026-10-17&to=2026-10-31`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(health.status).toBe(200);
    const days = ((await health.json()) as { items: unknown[] }).items as { calendar_date: string; steps: number | null }[];
    expect(days).toHaveLength(15);
    expect(days.find((d) => d.calendar_date === '2026-10-20')!.steps).toBe(data.dailySummary('2026-10-20').totalSteps);

    const again = await cli(['import', 'archive', archive, '--wait', '--json'], { home, server: stack.url });
    expect(again.code).toBe(0);
    const after = JSON.parse((await cli(['activities', 'list', '--limit', '100', '--json'], { home, server: stack.url })).stdout).items;
    expect(after).toHaveLength(20);
    expect(after.map((a: { fit: unknown }) => a.fit)).toEqual(items.map((a) => a.fit));
  }, 240_000);

  it('refuses a file that is not a ZIP with one sentence, and leaves no job behind', async () => {
    const bad = join(dir, 'notes.zip');
    await writeFile(bad, 'these are my notes, not an archive');
    const before = JSON.parse((await cli(['sync', 'list', '--json'], { home, server: stack.url })).stdout).items.length;
    const r = await cli(['import', 'archive', bad], { home, server: stack.url });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not a ZIP/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const after = JSON.parse((await cli(['sync', 'list', '--json'], { home, server: stack.url })).stdout).items.length;
    expect(after).toBe(before);
  }, 60_000);
});
