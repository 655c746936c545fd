/**
 * Issue 12.1 — one request froze the service: `POST /sync/jobs {"sync_type":"health",
 * "from":"9999-12-31","to":"9999-12-31"}` made the health syncer walk dates forever
 * (`addDays('9999-12-31', 1)` is `+010000-01-01`, which sorts before `9999-12-31`), the event loop
 * stopped and /healthz timed out. The built service runs as a child process (a frozen event loop
 * in this process would freeze the test too): the exact request is refused, /healthz keeps
 * answering, and a job row with such dates written behind the API's back fails instead of looping.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { SyncStore, openDatabase } from '../../src/store/index.js';
import { SecretLedger, call, dialects, ensureBuiltAll, freshPgSchema, poll, spawnService, type ServiceProcess } from './support.js';

const USER = { username: 'nomfa@example.com', password: 'demo-password' };
const ledger = new SecretLedger();
ledger.secret(USER.password);

let emu: RunningEmulator;
beforeAll(async () => {
  await ensureBuiltAll();
  emu = await startEmulator({ seed: 3, activities: 2, days: 3, workouts: 1 });
}, 180_000);
afterAll(async () => {
  await emu?.close();
});

/** /healthz answers within 2 s, five times over a second (a frozen loop answers none). */
async function expectAlive(url: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 200));
  }
}

// The dialects run side by side (own service process, data dir and schema each): most of a run is
// a process starting and /healthz being watched for a second. Inside each, the steps stay in order.
describe.concurrent.each(dialects())('dates outside the sync window (%s)', (dialect) => {
  let dataDir: string;
  let pgSchema: Awaited<ReturnType<typeof freshPgSchema>> | null = null;
  let svc: ServiceProcess | null = null;
  let database: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'garminsync-dates-'));
    if (dialect === 'postgres') {
      pgSchema = await freshPgSchema();
      ledger.secret(decodeURIComponent(new URL(pgSchema.url).password));
    }
    database = pgSchema?.url ?? join(dataDir, 'garminsync.db');
    svc = await spawnService(['--data-dir', dataDir, '--garmin-url', emu.url], {
      ledger,
      label: `dates service (${dialect})`,
      env: { GARMINSYNC_DATABASE: database },
    });
  }, 30_000);
  afterAll(async () => {
    await svc?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    await pgSchema?.drop();
  });

  it.sequential(
    'refuses the request that froze the service, and /healthz still answers',
    async () => {
      const login = await call(svc!.url, 'POST', '/auth/login', { body: USER, ledger });
      expect(login.status).toBe(200);
      ledger.tokens(login.body);
      const token = login.body.access_token as string;
      // The exact request first: whatever it answers, the service must keep answering.
      const exact = await call(svc!.url, 'POST', '/sync/jobs', {
        token,
        raw: '{"sync_type":"health","from":"9999-12-31","to":"9999-12-31"}',
        ledger,
      });
      await expectAlive(svc!.url);
      expect(exact.status).toBe(400);
      const bodies = [
        { sync_type: 'health', from: '9999-12-31', to: '9999-12-31' },
        { sync_type: 'health', to: '9999-12-31' },
        { sync_type: 'health', from: '1999-12-31' },
        { sync_type: 'activities', from: '2030-01-01' },
        { sync_type: 'health', from: '0000-01-01', to: '2026-01-01' },
      ];
      for (const body of bodies) {
        const r = await call(svc!.url, 'POST', '/sync/jobs', { token, body, ledger });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.headers.get('content-type')).toContain('application/problem+json');
        expect(r.body.code).toBe('VALIDATION_FAILED');
      }
      // Tomorrow (UTC) is the last day accepted; the day after is refused with the window named.
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const after = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const late = await call(svc!.url, 'POST', '/sync/jobs', { token, body: { sync_type: 'health', from: after }, ledger });
      expect(late.status).toBe(400);
      expect(late.body.detail).toBe(`from must be a day from 2000-01-01 to ${tomorrow} (tomorrow).`);
      const ok = await call(svc!.url, 'POST', '/sync/jobs', { token, body: { sync_type: 'health', from: tomorrow, to: tomorrow }, ledger });
      expect(ok.status).toBe(202);
      await expectAlive(svc!.url);
    },
    30_000,
  );

  it.sequential(
    'a job stored with such dates behind the API fails with VALIDATION_FAILED instead of looping',
    async () => {
      const login = await call(svc!.url, 'POST', '/auth/login', { body: USER, ledger });
      ledger.tokens(login.body);
      const token = login.body.access_token as string;
      const db = await openDatabase({ url: database, migrate: false });
      let jobId: string;
      try {
        const { job } = await new SyncStore(db).jobs.createOrGetActive(
          {
            job_id: `legacy-${dialect}`,
            user_id: login.body.user_id,
            session_id: login.body.session_id,
            sync_type: 'health',
            params: { from: '9999-12-31', to: '9999-12-31', full: false },
          },
          Date.now(),
        );
        jobId = job.job_id;
      } finally {
        await db.destroy();
      }
      const ended = await poll(
        async () => {
          const r = await call(svc!.url, 'GET', `/sync/jobs/${jobId}`, { token, ledger });
          return ['failed', 'completed'].includes(r.body?.status) ? r.body : null;
        },
        15_000,
        'the stored job to end',
      );
      expect(ended.status).toBe('failed');
      expect(ended.error_code).toBe('VALIDATION_FAILED');
      expect(ended.error_message).toMatch(/to 20\d\d-\d\d-\d\d \(tomorrow\)/);
      await expectAlive(svc!.url);
    },
    30_000,
  );

  it.sequential('leaks no secret', () => {
    ledger.record(`dates service (${dialect})`, svc!.output());
    expect(ledger.hits()).toEqual([]);
  });
});
