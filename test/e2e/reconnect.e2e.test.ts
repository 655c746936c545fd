/**
 * Issue 15: `sync start --wait` and `sync watch` survive a restart of the service. The REAL
 * `garminsync server` binary runs as a child process and is stopped (SIGTERM) while the REAL
 * `garminsync` binary follows a running job; started again on the same port and data dir, it
 * resumes the job and the CLI follows that same job to its end. A service that never comes back
 * ends in exit 7 with the job id to watch again.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { spawnService, type ServiceProcess } from '../reliability/support.js';
import { until } from '../support/until.js';
import { BIN, REPO, cli, ensureBuilt, tempHome } from './harness.js';
import { TmuxPane } from './tmux.js';

/** New upstream activities per test, so that every job has downloads to do while the service stops. */
const ACTIVITIES = 30;
let emu: RunningEmulator;
let dataDir: string;
let home: string;
let svc: ServiceProcess | undefined;
let port = 0;
const panes: TmuxPane[] = [];

/** The service binary on the data dir, on the port of the first start (so the CLI's URL stays). */
async function startServiceProcess(): Promise<ServiceProcess> {
  svc = await spawnService([
    ...['--data-dir', dataDir, '--garmin-url', emu.url, '--poll-ms', '50', '--sse-heartbeat-ms', '1000'],
    ...['--garmin-rate', '500', '--garmin-burst', '100', '--recheck-days', '0', '--port', String(port)],
  ]);
  port = Number(new URL(svc.url).port);
  return svc;
}
const url = () => `http://127.0.0.1:${port}`;

beforeAll(async () => {
  await ensureBuilt();
  // Slow enough that a job of 30 activities is still running when the service is stopped.
  emu = await startEmulator({ seed: 4, activities: 3, days: 2, workouts: 1, latencyMs: 60 });
  dataDir = await mkdtemp(join(tmpdir(), 'garminsync-e2e-reconnect-'));
  home = await tempHome();
  await startServiceProcess();
  const login = await cli(['auth', 'login', '--username', 'nomfa@example.com', '--password-stdin'], {
    home,
    server: url(),
    input: 'demo-password\n',
  });
  expect(login.code, login.stderr).toBe(0);
  // The account's first sync, so that each test's job is exactly the activities it added.
  const first = await cli(['sync', 'start', '--type', 'activities', '--wait'], { home, server: url() });
  expect(first.code, first.stderr).toBe(0);
}, 120_000);
beforeEach(async () => {
  if (svc && (svc.child.exitCode !== null || svc.child.signalCode !== null)) await startServiceProcess();
  emu.addActivities('nomfa@example.com', ACTIVITIES);
});
afterEach(async () => {
  for (const p of panes.splice(0)) await p.kill();
});
afterAll(async () => {
  await svc?.kill('SIGKILL');
  await emu?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** The binary as a child whose stderr can be read while it runs (GARMINSYNC_DEBUG traces each request). */
function follow(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: home,
      GARMINSYNC_KEYRING: 'off',
      GARMINSYNC_SERVER: url(),
      GARMINSYNC_DEBUG: '1',
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

const requestsIn = (text: string) => (text.match(/^\[http\] /gm) ?? []).length;

/** The account's jobs (every page). */
async function jobs(): Promise<{ job_id: string; status: string }[]> {
  const r = await cli(['sync', 'list', '--all', '--json'], { home, server: url() });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { items: { job_id: string; status: string }[] }).items;
}

/** A job to follow: it downloads the activities added for this test. */
async function startJob(): Promise<string> {
  const r = await cli(['sync', 'start', '--type', 'activities', '--json'], { home, server: url() });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { jobs: { job_id: string }[] }).jobs[0]!.job_id;
}

describe('following a job across a service restart (real binaries)', () => {
  it(
    '`sync start --wait`, piped: rides out a SIGTERM + restart, follows the same job to the end, prints no notice',
    { timeout: 120_000 },
    async () => {
      const run = follow(['sync', 'start', '--type', 'activities', '--wait']);
      const running = await until('the job running with items done', () =>
        /activities (\S+) running \d+% [1-9]\d*\/\d+/.exec(run.stderr()),
      );
      const jobId = running[1]!;
      const stoppedAt = Date.now();
      expect(await svc!.kill('SIGTERM')).toBe(0);
      // The CLI tried while nothing listened (each try is one traced request), then the service comes back.
      const tracedWhenDown = requestsIn(run.stderr());
      await until('a request of the CLI while the service is down', () => requestsIn(run.stderr()) > tracedWhenDown);
      await startServiceProcess();
      const code = await run.exit;
      const outage = Date.now() - stoppedAt;
      expect(code, run.stderr()).toBe(0);
      expect(run.stderr()).toMatch(new RegExp(`activities ${jobId} completed 100% ${ACTIVITIES}/${ACTIVITIES}`));
      expect(run.stdout()).toContain(jobId); // the final table names the job it followed
      expect(run.stderr()).not.toMatch(/Lost the sync service|reconnecting|Cannot reach/);
      const final = await cli(['sync', 'status', jobId, '--json'], { home, server: url() });
      expect(JSON.parse(final.stdout)).toMatchObject({ job_id: jobId, status: 'completed', processed_items: ACTIVITIES, failed_items: 0 });
      console.info(`reconnect e2e: service down→up→job done in ${outage} ms`);
    },
  );

  it('`sync watch` on a terminal says so in one line, and carries on with the same job', { timeout: 120_000 }, async () => {
    const jobId = await startJob();
    const socket = `garminsync-reconnect-${process.pid}`;
    const env = `env -i PATH="${process.env.PATH}" HOME="${home}" XDG_CONFIG_HOME="${home}" GARMINSYNC_KEYRING=off GARMINSYNC_SERVER="${url()}" TERM=xterm-256color`;
    const pane = await TmuxPane.start(socket, `${env} "${process.execPath}" "${BIN}" sync watch ${jobId}; echo "EXIT=$?"; sleep 120`);
    panes.push(pane);
    await pane.waitFor(/activities .*\d+% (?:[1-9]|[12]\d)\/30\b/); // under way, not done
    await svc!.kill('SIGTERM');
    const lost = await pane.waitFor(/Lost the sync service/);
    expect(lost).toContain(`Lost the sync service at ${url()}; reconnecting for up to 60 s (job ${jobId} goes on).`);
    expect(lost.match(/Lost the sync service/g)).toHaveLength(1);
    await startServiceProcess();
    const done = await pane.waitFor(/EXIT=\d+/, 60_000);
    expect(done).toContain('EXIT=0');
    expect(done.match(/Lost the sync service/g)).toHaveLength(1);
    expect(done).toMatch(new RegExp(`activities █+\\s+100% ${ACTIVITIES}/${ACTIVITIES}`));
    expect(done).not.toContain('reconnecting…');
  });

  it(
    'a service that never comes back: exit 7 after --reconnect-for, one sentence naming the job; --json stdout stays NDJSON',
    { timeout: 60_000 },
    async () => {
      const jobId = await startJob();
      const run = follow(['sync', 'watch', jobId, '--json', '--reconnect-for', '2s']);
      await until('the first event', () => run.stdout().includes('"type":"progress"'));
      const stoppedAt = Date.now();
      // Counted from the stop: a closing service may already refuse some tries before it exits.
      const tracedAtStop = requestsIn(run.stderr());
      await svc!.kill('SIGTERM');
      const code = await run.exit;
      const took = Date.now() - stoppedAt;
      expect(code).toBe(7);
      expect(took).toBeGreaterThanOrEqual(2000);
      expect(took).toBeLessThan(15_000);
      const lines = run
        .stderr()
        .split('\n')
        .filter((l) => l && !l.startsWith('[http] '));
      expect(lines).toEqual([
        `The sync service at ${url()} did not come back within 2 s (ECONNREFUSED); job ${jobId} goes on when it runs again. Follow again with: garminsync sync watch ${jobId}`,
      ]);
      for (const line of run.stdout().split('\n').filter(Boolean)) expect(JSON.parse(line)).toMatchObject({ type: 'progress' });
      // It tried again and again in those 2 s, spread by the back-off (delays < 0.5 s, < 1 s, …).
      const tries = requestsIn(run.stderr()) - tracedAtStop;
      expect(tries).toBeGreaterThanOrEqual(2);
      expect(tries).toBeLessThan(20);
      console.info(`reconnect e2e: gave up ${took} ms after the stop, after ${tries} tries`);
    },
  );

  it(
    '`sync start --wait` while the service is down before the job exists: waits, creates exactly one job when it is back, follows it',
    { timeout: 120_000 },
    async () => {
      // The job an earlier test left to the restarted service ends first (else the POST joins it).
      await until('no active job', async () => (await jobs()).every((j) => !['pending', 'running'].includes(j.status)), {
        timeoutMs: 60_000,
        everyMs: 250,
      });
      emu.addActivities('nomfa@example.com', 5);
      const jobsBefore = (await jobs()).length;
      expect(await svc!.kill('SIGTERM')).toBe(0);
      const run = follow(['sync', 'start', '--type', 'activities', '--wait', '--json']);
      await until('2 tries of the CLI while the service is down', () => requestsIn(run.stderr()) >= 2);
      await startServiceProcess();
      const code = await run.exit;
      expect(code, run.stderr()).toBe(0);
      const [job] = (JSON.parse(run.stdout()) as { jobs: { job_id: string; status: string; processed_items: number }[] }).jobs;
      expect(job).toMatchObject({ status: 'completed', processed_items: 5 });
      expect((await jobs()).length).toBe(jobsBefore + 1); // the re-sent POST made one job, no second
      // Piped and --json: no notice, only the traced requests.
      expect(
        run
          .stderr()
          .split('\n')
          .filter((l) => l && !l.startsWith('[http] ')),
      ).toEqual([]);
    },
  );

  it(
    '`sync start --wait` when the service stays down: exit 7 after --reconnect-for, one sentence, no job made',
    { timeout: 60_000 },
    async () => {
      const jobsBefore = (await jobs()).length;
      expect(await svc!.kill('SIGTERM')).toBe(0);
      const t0 = Date.now();
      const r = await cli(['sync', 'start', '--type', 'activities', '--wait', '--reconnect-for', '1s'], { home, server: url() });
      expect(r.code).toBe(7);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      expect(r.stderr.trim()).toBe(
        `The sync service at ${url()} did not come back within 1 s (ECONNREFUSED); no activities sync job was started.`,
      );
      await startServiceProcess();
      expect((await jobs()).length).toBe(jobsBefore);
    },
  );
});
