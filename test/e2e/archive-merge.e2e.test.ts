import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, utcDate } from '../../src/core/index.js';
import { writeArchive } from '../../src/emulator/archive/archive.writer.js';
import { cli, ensureBuilt, startStack, tempHome, type Stack } from './harness.js';

/**
 * Issue 16's done-when: an emulator archive of 200 activities and 120 days imports with exact
 * counts; import + API sync in both orders yields exactly 200 distinct activities and 120 days;
 * a re-import changes nothing; the API sync reuses the archive's verified FITs (no download).
 * Emulator and archive share seed, account and an explicit end date, so they hold the same data.
 */
const END = addDays(utcDate(Date.now()), -1);
const FROM = addDays(END, -119);
const OPTS = { seed: 1, activities: 200, days: 120, workouts: 1, endDate: END, account: 'nomfa@example.com', partSize: 60 };

let dir: string;
let archive: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'gs-merge-e2e-'));
  archive = join(dir, 'export.zip');
  await writeArchive({ ...OPTS, out: archive });
}, 240_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<{ stack: Stack; run: (args: string[]) => ReturnType<typeof cli>; counts: () => Promise<[number, number]> }> {
  const stack = await startStack({ activities: OPTS.activities, days: OPTS.days, workouts: 1, endDate: END });
  const home = await tempHome();
  const run = (args: string[]) => cli(args, { home, server: stack.url, timeoutMs: 240_000 });
  const login = await cli(['auth', 'login', '-u', OPTS.account, '--password-stdin'], { home, server: stack.url, input: 'demo-password' });
  expect(login.code, login.stderr).toBe(0);
  // One access token for the test (it outlives it); the counts need no CLI process of their own.
  const token = (await run(['auth', 'token'])).stdout.trim();
  const counts = async (): Promise<[number, number]> => {
    const get = async (path: string) =>
      (await (await fetch(`${stack.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        items: { activity_id?: string; calendar_date?: string }[];
      };
    const acts = (await get('/activities?limit=1000')).items.map((a) => a.activity_id);
    const days = (await get('/health/daily?limit=3660')).items.map((d) => d.calendar_date);
    expect(new Set(acts).size).toBe(acts.length);
    return [acts.length, days.length];
  };
  return { stack, run, counts };
}

const ok = async (p: ReturnType<typeof cli>) => {
  const r = await p;
  expect(r.code, r.stderr + r.stdout.slice(0, 500)).toBe(0);
  return r;
};

// The two orders run side by side, each on its own emulator and service: most of their time is
// spent waiting on commits and the emulator, so together they take little more than the longer one.
describe.concurrent('archive import and API sync merge to one copy (real binary, service, emulator)', () => {
  it('import first: exact counts, re-import is a no-op, then the API sync adds nothing and downloads no FIT', async () => {
    const { stack, run, counts } = await open();
    try {
      const job = JSON.parse((await ok(run(['import', 'archive', archive, '--wait', '--json']))).stdout).jobs[0];
      expect(job).toMatchObject({ sync_type: 'archive', status: 'completed', failed_items: 0 });
      expect(await counts()).toEqual([200, 120]);
      const listed = async () => (await ok(run(['activities', 'list', '--limit', '1000', '--json']))).stdout;
      const before = await listed();
      await ok(run(['import', 'archive', archive, '--wait', '--json']));
      expect(await counts()).toEqual([200, 120]);
      expect(JSON.parse(await listed()).items.map((a: { fit: unknown }) => a.fit)).toEqual(
        JSON.parse(before).items.map((a: { fit: unknown }) => a.fit),
      );

      stack.emu.resetStats();
      await ok(run(['sync', 'start', '--type', 'activities', '--wait', '--json']));
      await ok(run(['sync', 'start', '--type', 'health', '--from', FROM, '--to', END, '--wait', '--json']));
      expect(await counts()).toEqual([200, 120]);
      // The archive's FITs are byte-identical to Garmin's and verified in the blob store: none is downloaded again.
      expect(stack.emu.stats().byEndpoint['connect.downloadActivity'] ?? 0).toBe(0);
      const cov = JSON.parse((await ok(run(['coverage', '--from', FROM, '--to', END, '--json']))).stdout) as {
        totals: { metric: string; missing: number }[];
      };
      expect(cov.totals.find((t) => t.metric === 'summary')!.missing).toBe(0);
    } finally {
      await stack.close();
    }
  }, 600_000);

  it('API sync first, then the import: still exactly 200 activities and 120 days', async () => {
    const { stack, run, counts } = await open();
    try {
      await ok(run(['sync', 'start', '--type', 'activities', '--wait', '--json']));
      await ok(run(['sync', 'start', '--type', 'health', '--from', FROM, '--to', END, '--wait', '--json']));
      expect(await counts()).toEqual([200, 120]);
      await ok(run(['import', 'archive', archive, '--wait', '--json']));
      expect(await counts()).toEqual([200, 120]);
      // Where both have a value the API's wins: coverage reports every stored summary as from the API.
      const cov = JSON.parse((await ok(run(['coverage', '--from', FROM, '--to', END, '--json']))).stdout) as {
        totals: { metric: string; present: number; from_archive: number }[];
      };
      const summary = cov.totals.find((t) => t.metric === 'summary')!;
      expect(summary).toMatchObject({ present: 120, from_archive: 0 });
    } finally {
      await stack.close();
    }
  }, 600_000);
});
