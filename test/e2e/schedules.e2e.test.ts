/**
 * Issue 15's schedule scenarios through the REAL binaries: `garminsync server` (the built binary,
 * a child process, with a 1 s `--schedule-min-interval`), the real emulator on loopback (changed
 * and counted through its control API, as an operator would), and the built `garminsync` CLI.
 * After `sync schedule set` the test types no sync command: it only watches the emulator's
 * counters and then reads what the CLI shows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { spawnService, type ServiceProcess } from '../reliability/support.js';
import { until } from '../support/until.js';
import { cli, ensureBuilt, loginWithMfa, tempHome } from './harness.js';

const EMAIL = 'demo@example.com';
/** The schedule's interval: the service's minimum here (1 s), so its ticks come every 250 ms. */
const EVERY_S = 1;

interface Job {
  job_id: string;
  sync_type: string;
  status: string;
  trigger: string;
  total_items: number;
  processed_items: number;
  error_code: string | null;
  created_at: string;
  start_time: string | null;
  end_time: string | null;
  probe: { changed: boolean; upload_time: number | null; previous_upload_time: number | null } | null;
}
interface Stats {
  total: number;
  byEndpoint: Record<string, number>;
  logins: number;
}

let emu: RunningEmulator;
let svc: ServiceProcess;
let dataDir: string;
let home: string;
const ctx = { url: '', emu: undefined as unknown as RunningEmulator };

/** The emulator's control API over HTTP (never counted in its stats). */
async function control<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emu.url}/__emulator/${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}
const stats = () => control<Stats>('GET', 'stats');
const probes = async () => (await stats()).byEndpoint['connect.lastUsedDevice'] ?? 0;

const run = async (args: string[]) => cli(args, { home, server: ctx.url, timeoutMs: 60_000 });
async function json<T>(args: string[]): Promise<T> {
  const r = await run([...args, '--json']);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}
const scheduledJobs = async () =>
  (await json<{ items: Job[] }>(['sync', 'list', '--type', 'activities', '--all'])).items.filter((j) => j.trigger === 'schedule');

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ seed: 15, activities: 6, days: 2, workouts: 1 });
  dataDir = await mkdtemp(join(tmpdir(), 'garminsync-e2e-schedules-'));
  home = await tempHome();
  svc = await spawnService([
    ...['--data-dir', dataDir, '--garmin-url', emu.url, '--schedule-min-interval', '1s'],
    ...['--poll-ms', '50', '--garmin-rate', '500', '--garmin-burst', '100'],
  ]);
  Object.assign(ctx, { url: svc.url, emu });
  await loginWithMfa(ctx, home);
  // The account's first sync, by hand: scheduled runs start from its watermark.
  const first = await run(['sync', 'start', '--type', 'activities', '--wait']);
  expect(first.code, first.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await svc?.kill('SIGTERM');
  await emu?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

describe('schedules in the service (real server binary, real emulator, real CLI)', () => {
  it('`sync schedule set --every 1s` picks up 2 new upstream activities with no further command', { timeout: 90_000 }, async () => {
    const set = await run(['sync', 'schedule', 'set', '--type', 'activities', '--every', `${EVERY_S}s`]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr + set.stdout).toMatch(/activities syncs every 1s/);
    // The first scheduled run sets the probe's baseline; wait for it, then upload 2 activities.
    await until('the first scheduled probe', async () => (await probes()) >= 1, { timeoutMs: 30_000, everyMs: 100 });
    const downloadsBefore = (await stats()).byEndpoint['connect.downloadActivity'] ?? 0;
    const { ids } = await control<{ ids: number[] }>('POST', 'activities', { username: EMAIL, count: 2 });
    expect(ids).toHaveLength(2);
    await until(
      'the 2 new FITs downloaded by a scheduled run',
      async () => ((await stats()).byEndpoint['connect.downloadActivity'] ?? 0) - downloadsBefore >= 2,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    const picked = await until('the scheduled job that took them, completed', async () =>
      (await scheduledJobs()).find((j) => j.status === 'completed' && j.processed_items === 2),
    );
    expect(picked).toMatchObject({ trigger: 'schedule', total_items: 2, error_code: null, probe: { changed: true } });
    const listed = (await json<{ items: { activity_id: string }[] }>(['activities', 'list', '--limit', '100'])).items;
    for (const id of ids) expect(listed.map((a) => a.activity_id)).toContain(String(id));
    expect(listed).toHaveLength(8);
  });

  it('with nothing new upstream, each scheduled activities run costs exactly 1 upstream request', { timeout: 90_000 }, async () => {
    // Reset the counters just after a run's probe: a quiet run asks nothing more, and the next run
    // is a whole interval away, so every request counted belongs to a run started after the reset.
    const seen = await probes();
    await until('a scheduled probe', async () => (await probes()) > seen, { timeoutMs: 30_000, everyMs: 20 });
    await control('POST', 'reset-stats');
    const resetAt = Date.now();
    await until('3 more scheduled runs', async () => (await probes()) >= 3, { timeoutMs: 30_000, everyMs: 100 });
    const cleared = await run(['sync', 'schedule', 'clear', '--type', 'activities']);
    expect(cleared.code, cleared.stderr).toBe(0);
    const quiet = await until('the runs since the reset, all ended', async () => {
      const jobs = (await scheduledJobs()).filter((j) => Date.parse(j.created_at) > resetAt);
      return jobs.length >= 3 && jobs.every((j) => j.end_time !== null) && jobs;
    });
    const after = await stats();
    for (const j of quiet) expect(j).toMatchObject({ status: 'completed', total_items: 0, processed_items: 0, probe: { changed: false } });
    expect(after.byEndpoint['connect.lastUsedDevice']).toBe(quiet.length);
    expect(after.total).toBe(quiet.length); // one request per run: the probe, nothing else
    console.info(`schedules e2e: ${quiet.length} quiet scheduled runs, ${after.total} upstream requests`);
  });

  it(
    'Garmin invalid_grant → reauth_required in auth status (exit 8), schedule show and the job; paused; 0 logins; a new login resumes',
    { timeout: 120_000 },
    async () => {
      const loginsBefore = (await stats()).logins;
      await control('POST', 'expire-tokens', { username: EMAIL });
      await control('POST', 'revoke-refresh-tokens', { username: EMAIL });
      const jobsBefore = new Set((await scheduledJobs()).map((j) => j.job_id));
      expect((await run(['sync', 'schedule', 'set', '--type', 'activities', '--every', `${EVERY_S}s`])).code).toBe(0);
      const failed = await until('a scheduled job that failed', async () =>
        (await scheduledJobs()).find((j) => !jobsBefore.has(j.job_id) && j.status === 'failed'),
      );
      expect(failed.error_code).toBe('GARMIN_REAUTH_REQUIRED');
      const status = await run(['auth', 'status', '--json']);
      expect(status.code).toBe(8);
      expect(JSON.parse(status.stdout)).toMatchObject({ session: { garmin: { status: 'reauth_required' } } });
      const human = await run(['auth', 'status']);
      expect(human.code).toBe(8);
      expect(human.stderr).toMatch(/garminsync auth login/);
      const shown = await json<{ items: { sync_type: string; paused: string | null }[] }>(['sync', 'schedule', 'show']);
      expect(shown.items).toEqual([expect.objectContaining({ sync_type: 'activities', paused: 'reauth_required' })]);
      const shownHuman = await run(['sync', 'schedule', 'show']);
      expect(shownHuman.code).toBe(0);
      expect(shownHuman.stdout + shownHuman.stderr).toMatch(/paused/i);
      // Paused: 3 intervals pass (the service's workers tick every 250 ms) without a new job or request.
      const requestsPaused = (await stats()).total;
      const jobsPaused = (await scheduledJobs()).length;
      await new Promise((r) => setTimeout(r, 3 * EVERY_S * 1000));
      expect((await scheduledJobs()).length).toBe(jobsPaused);
      expect((await stats()).total).toBe(requestsPaused);
      expect((await stats()).logins).toBe(loginsBefore); // nothing ever fell back to a credential login

      await loginWithMfa(ctx, home); // a person logs in again (password + e-mailed MFA code)
      expect((await stats()).logins).toBe(loginsBefore + 1);
      const resumed = await until('a scheduled job after the login, completed', async () =>
        (await scheduledJobs()).find((j) => !jobsBefore.has(j.job_id) && j.status === 'completed'),
      );
      expect(resumed).toMatchObject({ error_code: null, trigger: 'schedule' });
      const ok = await run(['auth', 'status', '--json']);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ session: { garmin: { status: 'connected' } } });
      expect((await json<{ items: { paused: string | null }[] }>(['sync', 'schedule', 'show'])).items[0]?.paused).toBeNull();
    },
  );
});
