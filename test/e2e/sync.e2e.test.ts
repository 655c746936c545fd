import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, loginWithMfa, startProxy, startStack, tempHome, type Stack } from './harness.js';

let stack: Stack;
let home: string;
const run = (args: string[], extra: { env?: Record<string, string>; server?: string } = {}) =>
  cli(args, { home, server: stack.url, ...extra });

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ activities: 12, days: 7, workouts: 3 });
  home = await tempHome();
  await loginWithMfa(stack, home);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe('garminsync sync (real binary, real service, real emulator)', () => {
  it('sync start --type all --wait --json exits 0 with the three finished jobs as one JSON document', async () => {
    const r = await run(['sync', 'start', '--type', 'all', '--wait', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { jobs: { sync_type: string; status: string; processed_items: number; progress: number }[] };
    expect(doc.jobs.map((j) => [j.sync_type, j.status, j.progress])).toEqual([
      ['activities', 'completed', 100],
      ['health', 'completed', 100],
      ['workouts', 'completed', 100],
    ]);
    expect(doc.jobs[0]!.processed_items).toBe(12);
    expect(doc.jobs[2]!.processed_items).toBe(3);

    const list = await run(['activities', 'list', '--limit', '100', '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { items: unknown[] }).items).toHaveLength(12);

    const status = await run(['sync', 'status', '--json'], { env: { GARMINSYNC_DEBUG: '1' } });
    expect(
      (JSON.parse(status.stdout) as { jobs: { sync_type: string; status: string }[] }).jobs.map((j) => [j.sync_type, j.status]),
    ).toEqual([
      ['activities', 'completed'],
      ['health', 'completed'],
      ['workouts', 'completed'],
    ]);
    // The latest job of every type from one request (it was one request per type).
    expect(status.stderr.split('\n').filter((l) => l.startsWith('[http] '))).toEqual(['[http] GET /api/v1/sync/jobs']);
  });

  it('sync cancel stops a running job; watching it then exits 6; cancelling again says it already is (exit 0)', async () => {
    stack.emu.setFaults({ latencyMs: 300 });
    try {
      const started = await run(['sync', 'start', '--type', 'activities', '--full', '--json']);
      expect(started.code).toBe(0);
      const jobId = (JSON.parse(started.stdout) as { jobs: { job_id: string }[] }).jobs[0]!.job_id;
      const cancel = await run(['sync', 'cancel', jobId, '--json']);
      expect(cancel.code).toBe(0);
      expect(JSON.parse(cancel.stdout)).toMatchObject({ job_id: jobId });
      const watch = await run(['sync', 'watch', jobId, '--json']);
      expect(watch.code).toBe(6);
      const last = JSON.parse(watch.stdout.trim().split('\n').at(-1)!) as { type: string; job: { status: string } };
      expect(last).toMatchObject({ type: 'end', job: { status: 'cancelled' } });
      const again = await run(['sync', 'cancel', jobId]);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain(`Job ${jobId} was already cancelled; nothing to do.`);
    } finally {
      stack.emu.setFaults({ latencyMs: 0 });
    }
  });

  it('an unknown job is exit 3', async () => {
    for (const verb of ['status', 'watch', 'cancel']) {
      const r = await run(['sync', verb, '00000000-0000-4000-8000-000000000000']);
      expect(r.code, verb).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a service that is down is exit 7 with one sentence', async () => {
    const proxy = await startProxy(stack.service.url!);
    const h = await tempHome();
    const login = await cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], {
      home: h,
      server: proxy.url,
      input: 'demo-password',
    });
    expect(login.code).toBe(0);
    await proxy.close();
    const r = await cli(['sync', 'status'], { home: h, server: proxy.url });
    expect(r.code).toBe(7);
    expect(r.stderr.trim()).toBe(
      `Cannot reach the sync service at ${proxy.url} (ECONNREFUSED); start it with \`garminsync server\` or pass --server.`,
    );
  });

  // Last: it breaks this account's Garmin tokens for good.
  it('a job that fails (Garmin tokens can no longer be refreshed) is exit 5 with the reason and the next command', async () => {
    stack.emu.expireTokens('demo@example.com');
    stack.emu.revokeRefreshTokens('demo@example.com');
    const r = await run(['sync', 'start', '--type', 'workouts', '--full', '--wait']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      /Sync failed: workouts: Garmin login required.*\. Next: garminsync auth login, then garminsync sync retry [0-9a-f-]{36}/,
    );
    expect(r.stdout).toMatch(/workouts\s+failed/);
    // --json carries the code scripts branch on.
    const j = await run(['sync', 'start', '--type', 'workouts', '--full', '--wait', '--json']);
    expect(j.code).toBe(5);
    expect((JSON.parse(j.stdout) as { jobs: { error_code: string }[] }).jobs[0]?.error_code).toBe('GARMIN_REAUTH_REQUIRED');
  });
});
