import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, utcDate } from '../../src/core/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { AccountRegistry } from '../../src/emulator/accounts.js';
import { writeArchive, type ArchiveSummary } from '../../src/emulator/archive/archive.writer.js';
import { dialects, freshPgSchema, poll, spawnService, type ServiceProcess } from '../reliability/support.js';
import { cli, ensureBuilt, tempHome } from './harness.js';

/**
 * Issue 16's done-when: killing the service mid-import and restarting it completes the import
 * with nothing duplicated. The built service runs as a child process and is SIGKILLed twice — in
 * the pass over the JSON families and in the pass over the FIT files, each time as soon as the API
 * shows that pass under way (observed progress, no timing, no throttle) — and restarted on the same
 * data; the job then finishes with exact counts, byte-identical FITs, an exact report, no
 * duplicate rows, no upload chunks and no scratch copy left. Upload through the real CLI.
 */
const END = addDays(utcDate(Date.now()), -1);
const OPTS = { seed: 6, activities: 80, days: 40, workouts: 1, endDate: END, account: 'nomfa@example.com', partSize: 40 };
const data = new AccountRegistry(OPTS.seed, OPTS).byEmail(OPTS.account)!.data;

type Job = { job_id: string; status: string; processed_items: number; failed_items: number; attempts: number };

let emu: RunningEmulator;
let dir: string;
let archive: string;
let summary: ArchiveSummary;

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ seed: OPTS.seed, activities: 1, days: 1, workouts: 1 });
  dir = await mkdtemp(join(tmpdir(), 'gs-archive-crash-'));
  archive = join(dir, 'export.zip');
  summary = await writeArchive({ ...OPTS, out: archive });
}, 120_000);
afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(dialects())('archive import survives SIGKILL (real binary; %s)', (dialect) => {
  let dataDir: string;
  let pgSchema: Awaited<ReturnType<typeof freshPgSchema>> | null = null;
  let svc: ServiceProcess | null = null;

  let port = 0;
  beforeAll(async () => {
    // One port for every process, so that the CLI's login (kept per service URL) stays valid across restarts.
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    dataDir = await mkdtemp(join(tmpdir(), 'gs-archive-crash-svc-'));
    if (dialect === 'postgres') pgSchema = await freshPgSchema();
  });
  afterAll(async () => {
    await svc?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    await pgSchema?.drop();
  });

  // A short lease, so that the restarted process takes the dead one's job over quickly.
  const start = () =>
    spawnService(
      ['--port', String(port), '--data-dir', dataDir, '--garmin-url', emu.url, '--lease-ms', '1500', '--max-job-attempts', '6'],
      {
        label: `archive crash service (${dialect})`,
        ...(pgSchema ? { env: { GARMINSYNC_DATABASE: pgSchema.url } } : {}),
      },
    );

  it('is killed in each pass, restarted, and completes with exact counts, identical FITs and nothing duplicated', async () => {
    svc = await start();
    const home = await tempHome();
    // The CLI talks to whichever process is running now.
    const run = (args: string[]) => cli(args, { home, server: svc!.url, timeoutMs: 120_000 });
    const login = await cli(['auth', 'login', '-u', OPTS.account, '--password-stdin'], { home, server: svc.url, input: 'demo-password' });
    expect(login.code, login.stderr).toBe(0);
    // One access token (signed with the data dir's key, so it outlives a restart) instead of a CLI
    // run per request: the kill points below are polled every few milliseconds.
    let token = (await run(['auth', 'token'])).stdout.trim();
    const api = async <T>(path: string): Promise<T> => {
      let r = await fetch(`${svc!.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (r.status === 401) {
        token = (await run(['auth', 'token'])).stdout.trim();
        r = await fetch(`${svc!.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
      }
      expect(r.status, path).toBe(200);
      return (await r.json()) as T;
    };
    const up = await run(['import', 'archive', archive, '--json']);
    expect(up.code, up.stderr).toBe(0);
    const { job: created, import: imp } = JSON.parse(up.stdout) as { job: Job; import: { import_id: string } };
    const job = () => api<Job>(`/sync/jobs/${created.job_id}`);
    const withFit = async () =>
      (await api<{ items: { fit: unknown }[] }>('/activities?limit=1000')).items.filter((a) => a.fit !== null).length;

    // The kills follow the import's observed progress, not the clock: the service is SIGKILLed as
    // soon as the API shows the job running with some but not all of a pass done — kill 1 in the
    // JSON pass (items written, no FIT attached yet), kill 2 in the FIT pass (some FITs attached).
    // Polled every 5 ms between answers (two local requests), far shorter than either pass.
    type Seen = { job: Job; fits: number };
    const kills: { pass: string; inPass: (s: Seen) => boolean }[] = [
      { pass: 'the JSON pass', inPass: (s) => s.job.status === 'running' && s.job.processed_items > 0 && s.fits === 0 },
      { pass: 'the FIT pass', inPass: (s) => s.job.status === 'running' && s.fits > 0 && s.fits < OPTS.activities },
    ];
    for (const { pass, inPass } of kills) {
      const seen = await poll(
        async () => {
          const s: Seen = { job: await job(), fits: await withFit() };
          expect(['pending', 'running'], `the job ended before the kill in ${pass}`).toContain(s.job.status);
          expect(s.fits, `the FIT pass ended before the kill in ${pass}`).toBeLessThan(OPTS.activities);
          return inPass(s) ? s : undefined;
        },
        120_000,
        `the import to reach ${pass}`,
        5,
      );
      await svc.kill('SIGKILL');
      // What the API showed just before the kill: running, part of the pass done.
      expect(seen.job.status).toBe('running');
      svc = await start();
    }

    const done = await poll(
      async () => {
        const j = await job();
        return ['completed', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
      },
      180_000,
      'the import to finish',
    );
    expect(done).toMatchObject({ status: 'completed', failed_items: 0 });
    expect(done.attempts).toBe(3);

    // Exact counts: every activity once, every day once, every FIT byte for byte.
    const acts = (await api<{ items: { activity_id: string; fit: unknown }[] }>('/activities?limit=1000')).items;
    expect(acts.map((a) => a.activity_id).sort()).toEqual(
      data
        .searchActivities({ start: 0, limit: 1000, sortOrder: 'asc' })
        .map((a) => String(a.activityId))
        .sort(),
    );
    for (const a of acts) {
      const r = await fetch(`${svc.url}/api/v1/activities/${a.activity_id}/fit`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).equals(Buffer.from(data.fitBytes(Number(a.activity_id))!)), a.activity_id).toBe(true);
    }
    const days = (await api<{ items: { calendar_date: string }[] }>('/health/daily?limit=3660')).items.map((d) => d.calendar_date);
    expect(new Set(days).size).toBe(days.length);
    expect(days).toHaveLength(OPTS.days);

    // The report counts the work of all three attempts once.
    const report = (await api<{ state: string; report: Record<string, unknown> }>(`/imports/${imp.import_id}`)).report;
    expect(report).toMatchObject({
      activities: OPTS.activities,
      activities_stored: OPTS.activities,
      fit_files: summary.activity_fits + summary.other_fits,
      other_fits: summary.other_fits,
      activity_fits_matched: OPTS.activities,
      activity_fits_unmatched: 0,
      health_days: OPTS.days,
      skipped_entries: [],
      unmatched_fits: [],
    });

    const running = svc;
    expect(await running.kill('SIGTERM'), running.output().slice(-2000)).toBe(0);
    svc = null;
    // No scratch copy of the archive is left behind.
    expect((await readdir(join(dataDir, 'tmp')).catch(() => [])).filter((f) => f.startsWith('import-'))).toEqual([]);
    const checks = {
      activities: 'SELECT count(*) AS n FROM activities',
      dupActivities:
        'SELECT count(*) AS n FROM (SELECT user_id, activity_id FROM activities GROUP BY user_id, activity_id HAVING count(*) > 1) d',
      dupHealth:
        'SELECT count(*) AS n FROM (SELECT user_id, calendar_date, family FROM health_metrics GROUP BY user_id, calendar_date, family HAVING count(*) > 1) d',
      chunks: 'SELECT count(*) AS n FROM import_chunks',
      unmatched: 'SELECT count(*) AS n FROM import_unmatched_fits',
    };
    const expected = { activities: OPTS.activities, dupActivities: 0, dupHealth: 0, chunks: 0, unmatched: 0 };
    const got: Record<string, number> = {};
    if (dialect === 'sqlite') {
      const db = new Database(join(dataDir, 'garminsync.db'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        for (const [k, q] of Object.entries(checks)) got[k] = (db.prepare(q).get() as { n: number }).n;
      } finally {
        db.close();
      }
    } else {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: pgSchema!.url });
      await c.connect();
      try {
        for (const [k, q] of Object.entries(checks)) got[k] = Number((await c.query(q)).rows[0].n);
      } finally {
        await c.end();
      }
    }
    expect(got).toEqual(expected);
  }, 480_000);
});
