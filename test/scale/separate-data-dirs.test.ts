import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { DEMO_PASSWORD, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { GarminAuth, GarminConnect, endpointsForBaseUrl, type GarminTokenSet } from '../../src/garmin/index.js';
import { FileBlobStore } from '../../src/store/index.js';
import { BIN, BUILT, freshSchema, spawnServer, until, type ServerProcess } from './cluster-processes.js';
import { apiCall } from '../support/api-call.js';

/**
 * Issue 12.12 "Done when": one `--api-only` and two `--workers-only` processes of the built binary,
 * each with its OWN data dir (no shared file system), shared keys, on PostgreSQL: a full activities
 * sync completes with exact counts and every FIT downloads from the API process byte-identical to
 * the emulator's (the blobs live in the database); a worker with another key refuses to start; and
 * `garminsync server migrate-blobs` copies a file blob store into the database.
 */
const PG_URL = process.env.GARMINSYNC_TEST_PG_URL;
const skip = !PG_URL ? 'set GARMINSYNC_TEST_PG_URL' : !BUILT ? 'run npm run build first (the test runs bin/garminsync.js)' : '';
const ACTIVITIES = 12;
const EMAIL = 'nomfa@example.com';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.skipIf(Boolean(skip))(`scale mode without a shared data dir${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let emu: RunningEmulator;
  let db: Awaited<ReturnType<typeof freshSchema>>;
  const dirs: string[] = [];
  const procs: ServerProcess[] = [];
  let api: string;
  const keys = { GARMINSYNC_JWT_KEY: randomBytes(32).toString('base64'), GARMINSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'garminsync-sep-'));
    dirs.push(d);
    return d;
  };
  const common = () => ['--data-dir', dir(), '--database', db.url, '--garmin-url', emu.url, '--log-level', 'warn'];
  const fail = (p: ServerProcess): never => {
    throw new Error(`${p.name} exited early:\n${p.err().slice(-2000)}`);
  };

  beforeAll(async () => {
    emu = await startEmulator({ seed: 11, activities: ACTIVITIES, days: 2, workouts: 0 });
    db = await freshSchema(PG_URL!);
    const a = spawnServer('api', ['--api-only', '--port', '0', ...common()], keys);
    procs.push(a);
    api = await until(
      'the API to listen',
      () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(a.out())?.[1] ?? (a.child.exitCode !== null && fail(a)),
      90_000,
    );
    for (const n of ['worker-1', 'worker-2']) procs.push(spawnServer(n, ['--workers-only', '--concurrency', '2', ...common()], keys));
    for (const w of procs.slice(1))
      await until(`${w.name} to start`, () => w.out().includes('workers running') || (w.child.exitCode !== null && fail(w)), 90_000);
  }, 200_000);

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await emu?.close();
    await db?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 60_000);

  it('syncs every activity through two workers and serves every FIT byte-identical from the API process', async () => {
    const call = (method: string, path: string, body?: unknown, token?: string) => apiCall(api, method, path, { body, token });
    const login = await call('POST', '/auth/login', { username: EMAIL, password: DEMO_PASSWORD });
    expect(login.status).toBe(200);
    const token = login.body.access_token as string;
    const created = await call('POST', '/sync/jobs', { sync_type: 'activities', full: true }, token);
    expect(created.status).toBe(202);
    const jobId = created.body.job.job_id as string;
    const done = await until(
      'the job to end',
      async () => {
        const j = (await call('GET', `/sync/jobs/${jobId}`, undefined, token)).body;
        return ['completed', 'failed', 'cancelled'].includes(j.status) && j;
      },
      120_000,
      200,
    );
    expect(done).toMatchObject({
      status: 'completed',
      total_items: ACTIVITIES,
      processed_items: ACTIVITIES,
      failed_items: 0,
      error_code: null,
    });

    // The emulator's own bytes, through a Garmin client of our own.
    const endpoints = endpointsForBaseUrl(emu.url);
    const auth = new GarminAuth({ endpoints, clock: systemClock });
    const outcome = await auth.startLogin({ username: EMAIL, password: DEMO_PASSWORD });
    if (outcome.status !== 'authenticated') throw new Error('the no-MFA demo account asked for MFA');
    let tokens: GarminTokenSet = outcome.tokens;
    const garmin = new GarminConnect({
      endpoints,
      auth,
      clock: systemClock,
      tokenStore: { load: async () => tokens, save: async (t) => void (tokens = t) },
    });

    const items: { activity_id: string; fit: { sha256: string; size_bytes: number } | null }[] = [];
    for (let cursor: string | null = null; ;) {
      const page: { items: typeof items; next_cursor?: string | null } = (
        await call('GET', `/activities?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, token)
      ).body;
      items.push(...page.items);
      cursor = page.next_cursor ?? null;
      if (!cursor) break;
    }
    expect(items).toHaveLength(ACTIVITIES);
    for (const a of items) {
      const fit = await call('GET', `/activities/${a.activity_id}/fit`, undefined, token);
      expect([a.activity_id, fit.status]).toEqual([a.activity_id, 200]);
      const original = Buffer.from(await garmin.downloadActivityFit(Number(a.activity_id)));
      expect([a.activity_id, sha(fit.bytes)]).toEqual([a.activity_id, sha(original)]);
      expect(a.fit).toEqual({ sha256: sha(original), size_bytes: original.length });
    }
    // The FITs are in the database, once each; no process wrote a blob file.
    const counted = await db.query<{ n: string }>('select count(*) as n from blobs');
    expect(Number(counted[0]!.n)).toBe(ACTIVITIES);
    for (const d of dirs) expect(readdirSync(d).includes('blobs') ? readdirSync(join(d, 'blobs', 'sha256')) : []).toEqual([]);
  }, 200_000);

  it('a worker with another encryption key refuses to start, naming the variable', async () => {
    const wrong = spawnServer('wrong-key', ['--workers-only', ...common()], {
      ...keys,
      GARMINSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    expect(await wrong.exited).toBe(2);
    expect(wrong.err()).toContain('GARMINSYNC_ENCRYPTION_KEY is not the key this database was set up with');
    expect(wrong.out()).not.toContain('workers running');
  }, 90_000);

  it('garminsync server migrate-blobs copies a file blob store into the database, once', async () => {
    const dataDir = dir();
    const files = new FileBlobStore(join(dataDir, 'blobs'));
    await files.init(Date.now());
    const blobs = [randomBytes(300_000), randomBytes(10)];
    for (const b of blobs) await files.put(b);
    const run = () =>
      promisify(execFile)(process.execPath, [BIN, 'server', 'migrate-blobs', '--data-dir', dataDir, '--database', db.url], {
        env: { ...process.env, ...keys },
      });
    expect((await run()).stdout).toMatch(/^copied 2 blob\(s\) into the database; 0 were there already; 0 damaged/);
    expect((await run()).stdout).toMatch(/^copied 0 blob\(s\) into the database; 2 were there already/);
    const stored = await db.query<{ sha256: string; size: string }>(`select sha256, size from blobs where sha256 = any($1)`, [
      blobs.map(sha),
    ]);
    expect(stored.map((r) => [r.sha256, Number(r.size)]).sort()).toEqual(blobs.map((b) => [sha(b), b.length]).sort());
  }, 90_000);
});
