import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { parseServerConfig } from '../../src/server/config.js';
import { startService, type RunningService } from '../../src/server/main.js';
import { openDatabase } from '../../src/store/index.js';
import { waitFor } from './harness.js';
import { apiCall } from '../support/api-call.js';

describe('graceful shutdown', () => {
  let emu: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 3, activities: 40, days: 3, workouts: 1, latencyMs: 30 });
    dir = mkdtempSync(join(tmpdir(), 'garminsync-stop-'));
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (): Promise<RunningService> =>
    startService(
      parseServerConfig(
        [
          '--port',
          '0',
          '--data-dir',
          dir,
          '--garmin-url',
          emu.url,
          '--lease-ms',
          '60000',
          '--poll-ms',
          '50',
          '--garmin-rate',
          '200',
          '--garmin-burst',
          '50',
        ],
        {},
        dir,
      ),
      { logger: pino({ level: 'silent' }) },
    );

  it('releases the lease of a running job on stop; the next start resumes it without duplicates', async () => {
    let svc = await start();
    // `svc` is read at each call: the test restarts the service on the same data.
    const call = async (method: string, path: string, token?: string, body?: unknown) =>
      (await apiCall(String(svc.url), method, path, { token, body })).body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const t = await call('POST', '/auth/login', undefined, { username: 'nomfa@example.com', password: 'demo-password' });
    const { job } = await call('POST', '/sync/jobs', t.access_token, { sync_type: 'activities' });
    await waitFor(async () => {
      const j = await call('GET', `/sync/jobs/${job.job_id}`, t.access_token);
      return j.status === 'running' && j.processed_items >= 3 ? j : undefined;
    });
    // An open SSE stream must not hold the shutdown: it ends when the service closes.
    const sse = await fetch(`${svc.url}/api/v1/sync/jobs/${job.job_id}/events`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(sse.status).toBe(200);
    const streamText = sse.text();
    await svc.close();
    expect(await streamText).toContain('event: progress');

    const db = await openDatabase({ file: join(dir, 'garminsync.db') });
    const row = await db.selectFrom('sync_jobs').selectAll().where('job_id', '=', job.job_id).executeTakeFirstOrThrow();
    await db.destroy();
    expect(row.status).toBe('running');
    expect(row.lease_owner).toBeNull(); // released, not left to expire (lease is 60 s here)

    svc = await start();
    try {
      const done = await waitFor(async () => {
        const j = await call('GET', `/sync/jobs/${job.job_id}`, t.access_token);
        return j.status === 'completed' ? j : undefined;
      });
      expect(done.processed_items).toBe(40);
      const list = await call('GET', '/activities?limit=100', t.access_token);
      expect(list.items).toHaveLength(40);
      expect(new Set(list.items.map((a: { activity_id: string }) => a.activity_id)).size).toBe(40);
    } finally {
      await svc.close();
    }
  }, 60_000);
});
