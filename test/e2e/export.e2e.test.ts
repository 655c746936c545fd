import { appendFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorOriginals, filesUnder, gpxSchemaErrors, positionRecords } from './export-support.js';
import { REPO, cli, ensureBuilt, loginWithMfa, startStack, tempHome, type Stack } from './harness.js';

/** Issue 14: `garminsync export DIR` (real binary, real service, real emulator). */
let stack: Stack;
let home: string;
let dir: string;
const run = (args: string[], env?: Record<string, string>) => cli(args, { home, server: stack.url, timeoutMs: 120_000, env });
/** Every module the process loads is reported on stderr as `[load] URL` (startup.e2e.test.ts's hook). */
const TRACE_LOADS = { NODE_OPTIONS: `--import=${join(REPO, 'test/e2e/fixtures/trace-loads.mjs')}` };
/** The GPX path's packages among the modules a traced run loaded. */
const gpxPackages = (stderr: string) =>
  [...new Set([...stderr.matchAll(/^\[load\] .*\/node_modules\/(@garmin\/fitsdk|fast-xml-parser)\//gm)].map((m) => m[1]))].sort();
type Summary = {
  files_written: number;
  files_unchanged: number;
  bytes_written: number;
  kept: { path: string; reason: string }[];
  counts: { activities: number; workouts: number };
};
const exportJson = async (...extra: string[]): Promise<Summary> => (await exportTraced(...extra)).summary;
const exportTraced = async (...extra: string[]): Promise<{ summary: Summary; stderr: string }> => {
  const r = await run(['export', dir, '--json', ...extra], TRACE_LOADS);
  expect(r.code, r.stderr).toBe(0);
  return { summary: JSON.parse(r.stdout) as Summary, stderr: r.stderr };
};
const csvRows = async (rel: string) => (await readFile(join(dir, rel), 'utf8')).trimEnd().split('\n').length - 1;
const listJson = async <T>(args: string[]): Promise<T[]> =>
  (JSON.parse((await run([...args, '--limit', '1000', '--json'])).stdout) as { items: T[] }).items;

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ activities: 8, days: 3, workouts: 3 });
  home = await tempHome();
  dir = join(home, 'mirror');
  await loginWithMfa(stack, home);
  const synced = await run(['sync', 'start', '--type', 'all', '--wait', '--json']);
  if (synced.code !== 0) throw new Error(`sync: ${synced.stderr}`);
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

describe('garminsync export DIR', { timeout: 240_000 }, () => {
  it('writes one byte-identical FIT per activity and workout, a valid GPX per activity with positions, and CSVs with the API’s counts', async () => {
    const originals = await emulatorOriginals(stack.emu);
    const { summary: first, stderr } = await exportTraced();
    // Writing a GPX is what loads the FIT decoder and the XML builder.
    expect(gpxPackages(stderr)).toEqual(['@garmin/fitsdk', 'fast-xml-parser']);
    const files = await filesUnder(dir);
    const fits = files.filter((f) => f.startsWith('activities/') && f.endsWith('.fit'));
    expect(fits).toHaveLength(originals.activities.size);
    let withTrack = 0;
    for (const f of fits) {
      expect(f).toMatch(/^activities\/\d{4}\/\d{4}-\d{2}-\d{2}_\d{4}_[a-z_]+_\d+\.fit$/);
      const id = /_(\d+)\.fit$/.exec(f)![1]!;
      const bytes = await readFile(join(dir, f));
      expect(bytes.equals(originals.activities.get(id)!), f).toBe(true);
      const points = positionRecords(bytes);
      const gpx = f.replace(/\.fit$/, '.gpx');
      if (points === 0) {
        expect(files).not.toContain(gpx);
        continue;
      }
      withTrack++;
      expect((await readFile(join(dir, gpx), 'utf8')).match(/<trkpt /g)?.length, gpx).toBe(points);
    }
    expect(withTrack).toBeGreaterThan(0);
    const gpxFiles = files.filter((f) => f.endsWith('.gpx'));
    expect(gpxFiles).toHaveLength(withTrack);
    expect(await gpxSchemaErrors(gpxFiles.map((f) => join(dir, f)))).toBe('');

    const workoutFits = files.filter((f) => f.startsWith('workouts/'));
    expect(workoutFits).toHaveLength(originals.workouts.size);
    for (const f of workoutFits)
      expect((await readFile(join(dir, f))).equals(originals.workouts.get(/^workouts\/(\d+)_/.exec(f)![1]!)!), f).toBe(true);

    expect(await csvRows('activities.csv')).toBe((await listJson(['activities', 'list'])).length);
    expect(await csvRows('workouts.csv')).toBe((await listJson(['workouts', 'list'])).length);

    // Health: one row per synced day in daily.csv, one JSON per day, one CSV per stored family.
    const healthDays = await listJson<{ calendar_date: string }>(['health', 'list']);
    expect(healthDays.length).toBeGreaterThan(0);
    expect(await csvRows('health/daily.csv')).toBe(healthDays.length);
    const dayFiles = files.filter((f) => /^health\/\d{4}\/\d{4}-\d{2}-\d{2}\.json$/.test(f));
    expect(dayFiles.map((f) => f.slice(-15, -5)).sort()).toEqual(healthDays.map((d) => d.calendar_date).sort());
    const docs = await Promise.all(
      dayFiles.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as { metrics: Record<string, unknown> }),
    );
    const api = JSON.parse((await run(['health', 'show', healthDays[0]!.calendar_date, '--json'])).stdout) as unknown;
    expect(
      JSON.parse(
        await readFile(join(dir, `health/${healthDays[0]!.calendar_date.slice(0, 4)}/${healthDays[0]!.calendar_date}.json`), 'utf8'),
      ),
    ).toEqual(api);
    for (const family of ['summary', 'sleep', 'hrv']) {
      const days = docs.filter((d) => d.metrics[family]).length;
      expect(days, family).toBeGreaterThan(0);
      expect(await csvRows(`health/${family}.csv`), family).toBe(days);
    }
    expect((await readFile(join(dir, 'health/summary.csv'), 'utf8')).split('\n')[0]).toMatch(
      /^calendar_date,state,complete,source,fetched_at_utc,calendarDate,totalSteps,.*totalDistanceMeters_m/,
    );
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      tool: { version: string };
      files: Record<string, { sha256: string; source: { type: string; id: string } }>;
    };
    expect(manifest.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(manifest.files).sort()).toEqual(files.filter((f) => f !== 'manifest.json' && !f.startsWith('.')).sort());
    expect(first.files_written).toBe(Object.keys(manifest.files).length);
  });

  it('a second run writes nothing and says so', async () => {
    const before = await readFile(join(dir, 'manifest.json'), 'utf8');
    const r = await run(['export', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Nothing new: \d+ files up to date in /);
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(before);
    // Nothing to write: neither the FIT decoder nor the XML builder is loaded.
    const traced = await exportTraced();
    expect(traced.summary.files_written).toBe(0);
    expect(gpxPackages(traced.stderr)).toEqual([]);
  });

  it('after 3 new activities upstream and a sync, writes exactly those 3 (+ their GPX) and the updated CSV', async () => {
    const before = new Set(await filesUnder(dir));
    stack.emu.addActivities('demo@example.com', 3);
    expect((await run(['sync', 'start', '--type', 'activities', '--wait'])).code).toBe(0);
    const s = await exportJson();
    const added = (await filesUnder(dir)).filter((f) => !before.has(f));
    const newFits = added.filter((f) => f.endsWith('.fit'));
    expect(newFits).toHaveLength(3);
    const newGpx = added.filter((f) => f.endsWith('.gpx'));
    let expectedGpx = 0;
    for (const f of newFits) if (positionRecords(await readFile(join(dir, f))) > 0) expectedGpx++;
    expect(newGpx).toHaveLength(expectedGpx);
    expect(added).toHaveLength(3 + expectedGpx);
    // The new files and activities.csv, nothing else.
    expect(s.files_written).toBe(3 + expectedGpx + 1);
    expect(await csvRows('activities.csv')).toBe(11);
  });

  it('leaves a file the user changed alone and reports it; --force replaces it', async () => {
    const fit = (await filesUnder(dir)).find((f) => f.startsWith('activities/') && f.endsWith('.fit'))!;
    const original = await readFile(join(dir, fit));
    await appendFile(join(dir, fit), 'my notes');
    await appendFile(join(dir, 'activities.csv'), 'my,own,row\n');
    const r = await run(['export', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Kept ${fit}: changed since the last export (use --force to replace it).`);
    expect(r.stderr).toContain('Kept activities.csv: changed since the last export');
    expect((await readFile(join(dir, fit))).subarray(-8).toString()).toBe('my notes');
    const forced = await exportJson('--force');
    expect(forced.kept).toEqual([]);
    expect(forced.files_written).toBe(2);
    expect((await readFile(join(dir, fit))).equals(original)).toBe(true);
  });

  it('resumes without rewriting what is already there (manifest lost, as after a kill)', async () => {
    await rm(join(dir, 'manifest.json'));
    const s = await exportJson();
    expect(s.files_written).toBe(0);
    expect(s.kept).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).files).not.toEqual({});
  });

  it('--dry-run writes nothing; bad flags are usage errors', async () => {
    const fresh = join(home, 'dry');
    const r = await run(['export', fresh, '--dry-run', '--types', 'workouts', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Summary).files_written).toBe(3 + 1);
    await expect(readFile(join(fresh, 'manifest.json'))).rejects.toThrow();
    for (const bad of [
      ['--types', 'activities,bogus'],
      ['--formats', 'pdf'],
      ['--since', '2026-02-30'],
    ]) {
      const u = await run(['export', fresh, ...bad]);
      expect(u.code, bad.join(' ')).toBe(2);
      expect(u.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });
});
