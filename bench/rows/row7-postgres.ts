// Row 7: scale mode on PostgreSQL — one API process and 4 worker processes on one database.
// Claims/s: a backlog of jobs is created while no worker runs, then the 4 workers start and the
// spread of the jobs' start_time gives the claim rate. Pickup latency: with the workers idle,
// jobs arrive one at a time (20 per second) and start_time − created_at is taken per job. The
// jobs are ranged activity syncs over days without activities: each costs one upstream list
// request, so the row measures the job machinery, not Garmin.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { cliAccessToken, cliEnv, cliLogin } from '../lib/cli.js';
import { ACCOUNT, startEmulatorChild } from '../lib/emulator.js';
import { missingParts, tempDir } from '../lib/paths.js';
import { createBenchDatabase, pgServerUrl } from '../lib/postgres.js';
import type { Profile } from '../lib/profile.js';
import { MachineCpuSampler, pidsByComm } from '../lib/proc.js';
import { notRun, type RowResult } from '../lib/result.js';
import { rateBudgetSetting, startServiceChild, type ServiceChild } from '../lib/service.js';
import { fmt, summarize } from '../lib/stats.js';

const TITLE = 'PostgreSQL with 4 worker processes: job claims/s and pickup latency';
const TARGETS = ['≥500 claims/s', 'pickup p50 ≤50 ms'];
const WORKERS = 4;
/** The processes whose CPU per job the row reports, by what they are. */
const GROUPS = {
  workers: 'the 4 worker processes',
  postgres: 'PostgreSQL (every postgres process)',
  api: 'the API process',
  emulator: 'the emulator',
  bench: 'this bench (creating and polling jobs, sampling)',
} as const;

interface Job {
  job_id: string;
  status: string;
  created_at: string;
  start_time: string | null;
}

class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async createJob(day: string): Promise<Job> {
    const res = await fetch(`${this.base}/api/v1/sync/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sync_type: 'activities', from: day, to: day }),
    });
    if (res.status !== 202 && res.status !== 200)
      throw new Error(`POST /sync/jobs: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    return ((await res.json()) as { job: Job }).job;
  }

  async list(query: string): Promise<{ items: Job[]; next_cursor: string | null }> {
    const res = await fetch(`${this.base}/api/v1/sync/jobs?${query}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`GET /sync/jobs: HTTP ${res.status}`);
    return (await res.json()) as { items: Job[]; next_cursor: string | null };
  }

  /** Polls until no job is pending or running (bounded). */
  async drain(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const [p, r] = await Promise.all([this.list('status=pending&limit=1'), this.list('status=running&limit=1')]);
      if (p.items.length === 0 && r.items.length === 0) return;
      if (Date.now() > until) throw new Error(`jobs still pending/running after ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  async byIds(ids: Set<string>): Promise<Job[]> {
    const found: Job[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Job[]; next_cursor: string | null } = await this.list(
        `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const j of page.items) if (ids.has(j.job_id)) found.push(j);
      cursor = page.next_cursor;
    } while (cursor && found.length < ids.size);
    return found;
  }
}

/** Distinct days long before any emulated activity (inside the 2000-01-01 sync window), so ranged jobs are never deduplicated. */
function day(i: number): string {
  return new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

async function createMany(api: Api, first: number, count: number, inFlight: number): Promise<Job[]> {
  const jobs: Job[] = [];
  let next = first;
  const worker = async (): Promise<void> => {
    while (next < first + count) jobs.push(await api.createJob(day(next++)));
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return jobs;
}

export async function row7(p: Profile['row7'], log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const missing = missingParts(['emulator', 'server', 'cli']);
  if (missing) return notRun(7, TITLE, missing, TARGETS);
  const server = pgServerUrl();
  if (!server)
    return notRun(7, TITLE, 'no PostgreSQL server configured (set GARMINSYNC_BENCH_PG_URL, or GARMINSYNC_TEST_PG_URL as CI does)', TARGETS);
  const budget = await rateBudgetSetting();
  const db = await createBenchDatabase(server);
  const emu = await startEmulatorChild({ activities: 5 });
  const dataDir = await tempDir('pg-data');
  // Every process must share the keys; passing them avoids a race on creating the key files.
  const env = { GARMINSYNC_JWT_KEY: randomBytes(32).toString('base64'), GARMINSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  // One bench user queues the whole backlog: lift the per-user limit of active jobs.
  const common = ['--database', db.url, '--log-level', 'warn', '--max-jobs-per-user', '10000', ...(budget ? budget.flags(1000) : [])];
  const children: ServiceChild[] = [];
  const startWorkers = async (): Promise<ServiceChild[]> =>
    Promise.all(
      Array.from({ length: WORKERS }, () => startServiceChild({ garminUrl: emu.url, dataDir, env, flags: [...common, '--workers-only'] })),
    );
  try {
    const apiProc = await startServiceChild({ garminUrl: emu.url, dataDir, env, flags: [...common, '--api-only'] });
    children.push(apiProc);
    const cfg = await tempDir('pg-config');
    const cenv = cliEnv(apiProc.url, cfg);
    await cliLogin(cenv, ACCOUNT.email, ACCOUNT.password);
    const api = new Api(apiProc.url, await cliAccessToken(cenv, cfg));

    const claimRates: number[] = [];
    const failedJobs: number[] = [];
    // What bounds the rate: the whole machine's CPU per claimed job inside the claim window
    // (our API and workers, PostgreSQL, the emulator and this bench's polling together).
    const cpuPerJob: number[] = [];
    const busyShare: number[] = [];
    // Where that CPU goes, per job: each group of processes sampled with the machine.
    const groupPerJob: Record<string, number[]> = {};
    const cores = os.availableParallelism();
    let dayIndex = 0;
    for (let rep = 0; rep < p.reps; rep++) {
      const backlog = await createMany(api, dayIndex, p.backlog, 8);
      dayIndex += p.backlog;
      let workers: ServiceChild[] = [];
      const cpu = new MachineCpuSampler(100, {
        [GROUPS.workers]: () => workers.map((w) => w.pid),
        [GROUPS.postgres]: () => pidsByComm('postgres'),
        [GROUPS.api]: () => [apiProc.pid],
        [GROUPS.emulator]: () => [emu.proc.pid],
        [GROUPS.bench]: () => [process.pid],
      });
      cpu.start();
      workers = await startWorkers();
      try {
        await api.drain(p.timeoutMs);
      } finally {
        cpu.stop();
        await Promise.all(workers.map((w) => w.stop()));
      }
      const done = await api.byIds(new Set(backlog.map((j) => j.job_id)));
      const starts = done.map((j) => (j.start_time ? Date.parse(j.start_time) : Number.NaN)).filter(Number.isFinite);
      const spanSec = (Math.max(...starts) - Math.min(...starts)) / 1000;
      claimRates.push(starts.length / Math.max(spanSec, 0.001));
      failedJobs.push(done.filter((j) => j.status !== 'completed').length);
      const busy = cpu.busyBetween(Math.min(...starts), Math.max(...starts));
      if (busy) {
        // Jobs claimed inside the sampled part of the window, at the window's mean claim rate.
        const claimedInside = ((claimRates[rep] ?? 0) * busy.wallMs) / 1000;
        cpuPerJob.push(busy.busyMs / Math.max(1, claimedInside));
        for (const [group, ms] of Object.entries(busy.groupMs)) (groupPerJob[group] ??= []).push(ms / Math.max(1, claimedInside));
        busyShare.push(busy.busyMs / (busy.wallMs * cores));
      }
      log(
        `  row 7 rep ${rep + 1}: ${starts.length} claims in ${fmt(spanSec)} s (${fmt(claimRates[rep] ?? 0)}/s), ${failedJobs[rep]} not completed${
          busy
            ? `; machine CPU ${fmt(cpuPerJob[cpuPerJob.length - 1] ?? 0)} ms per job, ${fmt((busyShare[busyShare.length - 1] ?? 0) * 100)} % of ${cores} cores busy (${Object.entries(
                groupPerJob,
              )
                .map(([g, v]) => `${g} ${fmt(v[v.length - 1] ?? 0)} ms`)
                .join(', ')})`
            : ''
        }`,
      );
    }

    // Pickup latency: idle workers, jobs arriving one by one.
    const workers = await startWorkers();
    children.push(...workers);
    const arrivals: Job[] = [];
    for (let i = 0; i < p.pickupJobs; i++) {
      arrivals.push(await api.createJob(day(dayIndex++)));
      await new Promise((res) => setTimeout(res, 50));
    }
    await api.drain(p.timeoutMs);
    const picked = await api.byIds(new Set(arrivals.map((j) => j.job_id)));
    const pickup = picked.filter((j) => j.start_time).map((j) => Date.parse(j.start_time as string) - Date.parse(j.created_at));
    const s = summarize(pickup);
    const p99 =
      pickup.length > 0
        ? ([...pickup].sort((a, b) => a - b)[Math.min(pickup.length - 1, Math.ceil(pickup.length * 0.99) - 1)] ?? Number.NaN)
        : Number.NaN;
    log(`  row 7: pickup p50 ${fmt(s.median)} ms, p99 ${fmt(p99)} ms over ${pickup.length} jobs`);
    const rate = summarize(claimRates).median;
    const perJob = summarize(cpuPerJob).median;
    const ceiling = (cores * 1000) / perJob;
    const groupMedian = (group: string): number => summarize(groupPerJob[group] ?? []).median;
    return {
      id: 7,
      title: TITLE,
      params: `1 API process + ${WORKERS} worker processes (\`--workers-only\`, default --max-jobs) on a fresh PostgreSQL database; claims: backlog of ${p.backlog} jobs, ${p.reps} runs; pickup: ${p.pickupJobs} jobs arriving 50 ms apart; ${budget ? 'budget set never to bind' : 'the built-in budget (no setting)'}; each job is a ranged activities sync of an empty day (one upstream request).`,
      figures: [
        { label: 'claims/s (backlog, 4 workers started together)', unit: 'claims/s', values: claimRates },
        { label: 'backlog jobs not completed', unit: 'jobs', values: failedJobs },
        { label: 'pickup latency start_time − created_at', unit: 'ms', values: pickup },
        { label: 'pickup latency p99', unit: 'ms', values: [p99] },
        ...(cpuPerJob.length > 0
          ? [
              { label: 'machine CPU per claimed job (all processes, claim window)', unit: 'ms', values: cpuPerJob },
              { label: `machine CPU busy in the claim window (${cores} cores = 100 %)`, unit: '%', values: busyShare.map((b) => b * 100) },
              ...Object.entries(groupPerJob).map(([group, values]) => ({ label: `of it: ${group}`, unit: 'ms', values })),
              { label: `claims/s ceiling at that CPU per job (${cores} cores × 1000 ÷ ms per job)`, unit: 'claims/s', values: [ceiling] },
            ]
          : []),
      ],
      targets: [
        { text: TARGETS[0] as string, measured: `${fmt(rate)} claims/s`, met: rate >= 500 },
        { text: TARGETS[1] as string, measured: `${fmt(s.median)} ms`, met: s.median <= 50 },
      ],
      notes: [
        'Claims/s is the number of backlog jobs over the spread of their start_time (first to last claim); it includes running each job (one list request, its checkpoint and completion), since a worker process takes new jobs only as its slots free up.',
        ...(rate < 500 && cpuPerJob.length > 0
          ? [
              `What bounds it (measured above): the machine is ${fmt(summarize(busyShare).median * 100)} % busy while claiming, at ${fmt(perJob)} ms CPU per job across everything on the machine, so ${cores} cores allow at most ~${fmt(ceiling)} jobs/s; 500/s needs ≤ ${fmt((cores * 1000) / 500)} ms of CPU per job. Of it (medians, per job): ${GROUPS.workers} ${fmt(groupMedian(GROUPS.workers))} ms, PostgreSQL ${fmt(groupMedian(GROUPS.postgres))} ms, the emulator ${fmt(groupMedian(GROUPS.emulator))} ms, the API ${fmt(groupMedian(GROUPS.api))} ms, this bench ${fmt(groupMedian(GROUPS.bench))} ms. A job costs ~5.6 statements (one-statement claim and completion; the account read, the rate-budget write and a shared NOTIFY) and one upstream request; a system-wide perf profile of this row (bench/findings.md) puts a third of all CPU in the kernel (loopback TCP: each statement and each response wakes the other side) and the workers' JavaScript mostly in baseline code and inline-cache builtins, with TurboFan still compiling (each worker process of the row lives ~10 s). What would move it: fewer round trips per job — the account read shared by the jobs of one account within a bound, the rate-budget write taken for several requests at once, several jobs' completions in one statement — each at most one of the ~6.6 round trips a job makes (bench/findings.md, row 7).`,
            ]
          : []),
        "Timestamps are the service's own (millisecond resolution); all processes share one clock. A negative pickup latency means the worker took its claim timestamp before its claim query ran (e.g. while waiting for a database connection), so start_time can be early by that much.",
      ],
      wallMs: Date.now() - t0,
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await emu.stop();
    await db.drop().catch((e: unknown) => log(`  row 7: could not drop the bench database: ${String(e)}`));
  }
}
