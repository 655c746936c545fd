import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { apiCall } from '../support/api-call.js';
import { BUILT, freshSchema, spawnServer, until, type ServerProcess } from './cluster-processes.js';

/**
 * Issue 15 "Done when": two worker processes on PostgreSQL run each due schedule once. Processes
 * of the built binary — one `--api-only`, two `--workers-only` (each looks for due schedules four
 * times a second) — and two users with a schedule of every type (six schedules, every 2 s). Each
 * worker logs every due time it claims; across both processes no due time is claimed twice, both
 * claim some, and the jobs in the database are exactly the claimed ones, one per slot of the
 * schedule's grid.
 */
const PG_URL = process.env.GARMINSYNC_TEST_PG_URL;
const skip = !PG_URL ? 'set GARMINSYNC_TEST_PG_URL' : !BUILT ? 'run npm run build first (the test runs bin/garminsync.js)' : '';
const EVERY_S = 2;
/** Due times per schedule the test waits for. */
const CLAIMS = 4;

interface Claim {
  user_id: string;
  sync_type: string;
  job_id: string;
  deduplicated: boolean;
  next_run_at: number;
  worker: string;
}

describe.skipIf(Boolean(skip))(`schedules on 2 worker processes + 1 API process on PostgreSQL${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let emu: RunningEmulator;
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let dataDir: string;
  let api: ServerProcess & { url: string };
  const workers: ServerProcess[] = [];

  // The room's one JSON call (test/support/api-call.ts), with this file's argument order.
  const call = (method: string, path: string, body?: unknown, token?: string) => apiCall(api.url, method, path, { body, token });
  const fail = (p: ServerProcess): never => {
    throw new Error(`${p.name} exited early:\n${p.err().slice(-2000)}`);
  };
  const claims = (): Claim[] =>
    workers.flatMap((w) =>
      w
        .logs()
        .filter((l) => l.msg === 'scheduled sync job created' || l.msg === 'schedule due; an identical job is already active')
        .map((l) => ({ ...(l as unknown as Claim), worker: w.name })),
    );

  beforeAll(async () => {
    emu = await startEmulator({ seed: 21, activities: 3, days: 3, workouts: 1 });
    db = await freshSchema(PG_URL!);
    dataDir = mkdtempSync(join(tmpdir(), 'garminsync-scale-schedules-'));
    const env = { GARMINSYNC_JWT_KEY: randomBytes(32).toString('base64'), GARMINSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const common = [
      ...['--data-dir', dataDir, '--database', db.url, '--garmin-url', emu.url, '--log-level', 'info'],
      ...['--schedule-min-interval', '1s', '--poll-ms', '50', '--garmin-rate', '500', '--garmin-burst', '100'],
    ];
    const a = spawnServer('api', ['--api-only', '--port', '0', ...common], env);
    workers.push(...['worker-1', 'worker-2'].map((n) => spawnServer(n, ['--workers-only', ...common], env)));
    const url = await until(
      'the API to listen',
      () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(a.out())?.[1] ?? (a.child.exitCode !== null && fail(a)),
    );
    api = { ...a, url };
    for (const w of workers)
      await until(`${w.name} to start`, () => w.out().includes('workers running') || (w.child.exitCode !== null && fail(w)));
  }, 60_000);

  afterAll(async () => {
    const all = [api, ...workers].filter(Boolean);
    for (const p of all) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(all.map((p) => p.exited));
    await emu?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it(
    'each due time of 6 schedules (2 users × 3 types) makes exactly one job, claimed by one of the two workers',
    { timeout: 120_000 },
    async () => {
      const started = await call('POST', '/auth/login', { username: 'demo@example.com', password: 'demo-password' });
      const demo = await call('POST', '/auth/mfa', { challenge_id: started.body.challenge_id, code: emu.lastMfaCode('demo@example.com') });
      const nomfa = await call('POST', '/auth/login', { username: 'nomfa@example.com', password: 'demo-password' });
      const users = [demo.body, nomfa.body] as { access_token: string; user_id: string }[];
      for (const u of users) {
        const set = await call('PUT', '/sync/schedules', { sync_type: 'all', every_seconds: EVERY_S }, u.access_token);
        expect(set.status).toBe(200);
        expect(set.body.items).toHaveLength(3);
      }
      const schedules = await db.query<{ user_id: string; sync_type: string; created_at: string; jitter_ms: string; every_ms: string }>(
        'select user_id, sync_type, created_at, jitter_ms, every_ms from sync_schedules',
      );
      expect(schedules).toHaveLength(6);
      const key = (c: { user_id: string; sync_type: string }) => `${c.user_id}/${c.sync_type}`;
      await until(
        `${CLAIMS} claimed due times of every schedule`,
        () => schedules.every((s) => claims().filter((c) => key(c) === key(s)).length >= CLAIMS),
        90_000,
        100,
      );
      for (const u of users) expect((await call('DELETE', '/sync/schedules', undefined, u.access_token)).body.items).toEqual([]);
      // A tick that read a due schedule just before the clear can no longer claim it (the row is gone).
      const jobs = await until(
        'every scheduled job ended',
        async () => {
          const rows = await db.query<{ job_id: string; user_id: string; sync_type: string; status: string; created_at: string }>(
            "select job_id, user_id, sync_type, status, created_at from sync_jobs where trigger = 'schedule'",
          );
          return rows.every((r) => ['completed', 'failed', 'cancelled'].includes(r.status)) && rows;
        },
        60_000,
        100,
      );
      const all = claims();
      // No due time was claimed twice: every claim moved its schedule to a different next due time.
      for (const s of schedules) {
        const mine = all.filter((c) => key(c) === key(s));
        expect(new Set(mine.map((c) => c.next_run_at)).size, key(s)).toBe(mine.length);
      }
      // Both processes did claim (the race was real), and the jobs are exactly the created claims.
      expect(new Set(all.map((c) => c.worker))).toEqual(new Set(['worker-1', 'worker-2']));
      const created = all.filter((c) => !c.deduplicated);
      expect(new Set(created.map((c) => c.job_id)).size).toBe(created.length);
      expect(jobs.map((j) => j.job_id).sort()).toEqual(created.map((c) => c.job_id).sort());
      for (const j of jobs) expect(j.status).toBe('completed');
      // From the database's side: one job per slot of each schedule's grid (anchor = set time + jitter).
      for (const s of schedules) {
        const anchor = Number(s.created_at) + Number(s.jitter_ms);
        const slots = jobs.filter((j) => key(j) === key(s)).map((j) => Math.floor((Number(j.created_at) - anchor) / Number(s.every_ms)));
        expect(slots.length, key(s)).toBeGreaterThanOrEqual(1);
        expect(new Set(slots).size, key(s)).toBe(slots.length);
      }
      const per = Object.fromEntries(['worker-1', 'worker-2'].map((w) => [w, all.filter((c) => c.worker === w).length]));
      console.info(
        `schedule processes: ${all.length} claims (${JSON.stringify(per)}), ${jobs.length} jobs, ${all.length - created.length} joined an active job`,
      );
    },
  );
});
