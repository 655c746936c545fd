import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, ensureBuilt } from '../e2e/harness.js';
import { untilDefined } from '../support/until.js';

/** Runs the built `garminsync server` in a child process, as an operator would. */
function spawnServer(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, 'server', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

function until<T>(fn: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  return untilDefined('the condition', fn, { timeoutMs, everyMs: 25 });
}

describe('garminsync server (main.ts run)', () => {
  let emu: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    emu = await startEmulator({ seed: 1, activities: 3, days: 3, workouts: 1 });
    dir = mkdtempSync(join(tmpdir(), 'garminsync-main-'));
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its URL, serves, creates 0600 key files and stops cleanly on SIGTERM', async () => {
    const s = spawnServer(['--port', '0', '--data-dir', dir, '--garmin-url', emu.url, '--log-level', 'info']);
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(s.out())?.[1]);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nomfa@example.com', password: 'demo-password' }),
    });
    expect(login.status).toBe(200);
    for (const f of ['jwt.key', 'encryption.key']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    // Logs go to stderr as JSON; the password never appears.
    expect(s.err()).toContain('"msg":"started"');
    expect(s.err()).not.toContain('demo-password');
  }, 60_000);

  it('runs from the one-file bundle: a started service has loaded a few module files, not thousands', async () => {
    const trace = join(process.cwd(), 'test/e2e/fixtures/trace-loads.mjs');
    const child = spawn(process.execPath, ['--import', trace, BIN, 'server', '--port', '0', '--data-dir', dir, '--garmin-url', emu.url], {
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await until(() => (/listening on http:\/\/127\.0\.0\.1:\d+/.test(stdout) ? true : undefined));
    child.kill('SIGTERM');
    await exited;
    const files = stderr.split('\n').filter((l) => l.startsWith('[load] file:'));
    // Unbundled, typebox's and kysely's one-module-per-file builds alone are ~2,400 files.
    expect(files.some((l) => l.includes('/dist/server-bundle/main.js'))).toBe(true);
    expect(files.length).toBeLessThan(40);
  }, 60_000);

  it('server migrate-blobs --help prints its usage and exits 0', async () => {
    const s = spawnServer(['migrate-blobs', '--help']);
    expect(await s.exited).toBe(0);
    expect(s.out()).toContain('Usage: garminsync server migrate-blobs [--data-dir DIR] [--database URL]');
    expect(s.err()).toBe('');
  }, 30_000);

  it('refuses a non-loopback bind without an allow-list, naming the setting', async () => {
    const s = spawnServer(['--host', '0.0.0.0', '--port', '0', '--data-dir', dir, '--garmin-url', emu.url]);
    expect(await s.exited).toBe(2);
    expect(s.err()).toMatch(/--host: refusing to listen on 0\.0\.0\.0.*--allow-users/);
  }, 30_000);

  it('refuses an invalid setting from the environment, naming it', async () => {
    const s = spawnServer(['--data-dir', dir], { GARMINSYNC_PORT: 'eighty' });
    expect(await s.exited).toBe(2);
    expect(s.err()).toContain('GARMINSYNC_PORT: must be a whole number');
  }, 30_000);

  it('the real binary on a port in use: one sentence, exit 1 within a second of the failure, no stack trace', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const child = spawn(
        process.execPath,
        [BIN, 'server', '--port', String(port), '--data-dir', dir, '--garmin-url', emu.url, '--poll-ms', '20'],
        {
          env: { ...process.env, NODE_OPTIONS: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      let saidAt = 0;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!saidAt && stderr.includes('is in use')) saidAt = Date.now();
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      const exitedAfterMs = Date.now() - saidAt;
      expect(code).toBe(1);
      expect(stderr).toBe(`garminsync server: port ${port} on 127.0.0.1 is in use; use --port with another port (0 picks a free one).\n`);
      expect(saidAt).toBeGreaterThan(0);
      expect(exitedAfterMs).toBeLessThan(1000);
    } finally {
      holder.close();
    }
  }, 120_000);
});
