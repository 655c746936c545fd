import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../exit-codes.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { fakeFit, MORNING_RUN } from '../../testing/fake-data.js';
import { runExport } from './export.js';

const fake = useFakeCli({ fakeClock: true });
const flags = { types: ['activities', 'health', 'workouts'] as const, formats: ['fit', 'csv', 'json'] as const };
const exportTo = (dir: string, extra: { tty?: boolean; json?: boolean } = {}, more: object = {}) =>
  fake.verb((c) => runExport(c, dir, { types: [...flags.types], formats: [...flags.formats], ...more }), extra);

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('export (run function)', () => {
  it('mirrors the FITs and the tables, says what it wrote; again: nothing new; --json the summary', async () => {
    await fake.login();
    const dir = await mkdtemp(join(tmpdir(), 'garminsync-export-'));
    const first = await exportTo(dir);
    expect(first.code).toBe(EXIT.OK);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/Export wrote \d+ files \(.*\), 0 unchanged, in .* \(1 activities, 1 workouts, 1 health days\)\.\n$/);
    const fit = (await files(dir)).find((f) => f.endsWith('.fit') && f.includes('101'));
    expect(fit).toBeDefined();
    expect(await readFile(join(dir, fit!))).toEqual(fakeFit('101'));
    const again = await exportTo(dir, { tty: true });
    expect(again.stderr).toMatch(/Nothing new: \d+ files up to date in .* \(1 activities, 1 workouts, 1 health days\)\./);
    const json = await exportTo(dir, { json: true }, { dryRun: true });
    expect(JSON.parse(json.stdout)).toMatchObject({
      dry_run: true,
      files_written: 0,
      counts: { activities: 1, workouts: 1, health_days: 1 },
    });
    expect(json.stderr).toBe('');
  });

  it('keeps a file the user changed (warns), and a second export into the same folder meanwhile is refused (exit 1)', async () => {
    await fake.login();
    const dir = await mkdtemp(join(tmpdir(), 'garminsync-export-'));
    await exportTo(dir);
    const fit = (await files(dir)).find((f) => f.endsWith('.fit') && f.includes('101'))!;
    await writeFile(join(dir, fit), 'my own edit');
    await fake.restart({ activities: [{ ...MORNING_RUN, name: 'Renamed run' }] });
    const r = await exportTo(dir);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toContain(`Kept ${fit}: changed since the last export (use --force to replace it).\n`);
    expect(r.stderr).toMatch(/Export wrote 1 files \(.*\), 6 unchanged, 1 kept, in /);
    expect(await readFile(join(dir, fit), 'utf8')).toBe('my own edit');
    expect(await readFile(join(dir, 'activities.csv'), 'utf8')).toContain('Renamed run');
    await writeFile(join(dir, '.garminsync-export.lock'), '');
    const locked = await exportTo(dir, { tty: true });
    expect(locked.code).toBe(EXIT.ERROR);
    expect(locked.stderr).toBe(`Another export into ${dir} is running; try again when it has finished.\n`);
  });

  it('not logged in: exit 4 and nothing written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'garminsync-export-'));
    const r = await exportTo(dir, { json: true });
    expect(r.code).toBe(EXIT.LOGIN_REQUIRED);
    expect(r.stdout).toBe('');
    expect((await files(dir)).filter((f) => !f.startsWith('.garminsync'))).toEqual([]);
  });
});
