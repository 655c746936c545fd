import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { run, type ServerIO } from '../../src/server/main.js';
import { until } from '../support/until.js';

/** run() against buffers, as `garminsync server` would run in a process, but without one. */
function bufferIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: ServerIO = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), stderrIsTTY: false };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/** A port something else holds: 127.0.0.1 only. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('garminsync server run(argv, {env, io})', () => {
  let emu: RunningEmulator;
  let root: string;
  const dirs: string[] = [];
  const freshDir = () => {
    const d = mkdtempSync(join(root, 'd-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    emu = await startEmulator({ seed: 1, activities: 2, days: 2, workouts: 1 });
    root = mkdtempSync(join(tmpdir(), 'garminsync-run-'));
  });
  afterAll(async () => {
    await emu.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs a start that must fail; returns the exit code, what it wrote, and how long it took. */
  async function failedStart(args: string[], env: Record<string, string> = {}) {
    const b = bufferIO();
    const started = Date.now();
    const code = await run(['--garmin-url', emu.url, '--poll-ms', '20', ...args], { env, io: b.io });
    const tookMs = Date.now() - started;
    const errAtExit = b.err();
    // Nothing keeps running: no claim loop, no listener, nothing that logs afterwards.
    await new Promise((r) => setTimeout(r, 300));
    expect(b.err()).toBe(errAtExit);
    expect(b.out()).toBe('');
    // One sentence on stderr, no stack trace, no log line.
    expect(errAtExit.split('\n').filter(Boolean)).toHaveLength(1);
    expect(errAtExit).not.toMatch(/\n\s+at /);
    return { code, err: errAtExit, tookMs };
  }

  it('serves, writes its URL to stdout and its log to stderr, and stops on its signal with 0', async () => {
    const b = bufferIO();
    const stop = new AbortController();
    const exited = run(['--port', '0', '--data-dir', freshDir(), '--garmin-url', emu.url], { env: {}, io: b.io, stop: stop.signal });
    const url = await until('the URL on stdout', () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(b.out())?.[1]);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    stop.abort();
    expect(await exited).toBe(0);
    expect(b.err()).toContain('"msg":"started"');
  }, 60_000);

  it('settings come from the injected env, not the process', async () => {
    const r = await failedStart(['--data-dir', freshDir()], { GARMINSYNC_PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('GARMINSYNC_PORT: must be a whole number');
  }, 30_000);

  it('a port in use: one sentence naming --port, exit 1, nothing left running', async () => {
    const { port, server } = await occupiedPort();
    try {
      const r = await failedStart(['--port', String(port), '--data-dir', freshDir()]);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`garminsync server: port ${port} on 127.0.0.1 is in use; use --port with another port (0 picks a free one).\n`);
    } finally {
      server.close();
    }
  }, 30_000);

  it('a database that cannot be reached: names --database, never shows the password', async () => {
    const r = await failedStart(['--port', '0', '--data-dir', freshDir(), '--database', 'postgres://u:hunter2secret@127.0.0.1:1/nodb']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the database 127\.0\.0\.1:1\/nodb cannot be opened \(connection refused\); check --database/);
    expect(r.err).not.toContain('hunter2secret');
  }, 30_000);

  it('an unreadable key file: names the file and GARMINSYNC_JWT_KEY', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'jwt.key'), { mode: 0o700 }); // a directory where the key file should be
    const r = await failedStart(['--port', '0', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `the key file ${join(dir, 'jwt.key')} cannot be read (it is a directory); fix or remove it, or set GARMINSYNC_JWT_KEY.`,
    );
  }, 30_000);

  it('a data dir that cannot be created: names --data-dir', async () => {
    const file = join(freshDir(), 'a-file');
    writeFileSync(file, 'x');
    const r = await failedStart(['--port', '0', '--data-dir', join(file, 'data')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the data directory .*a-file\/data cannot be used \(a path component is not a directory\); use --data-dir/);
  }, 30_000);
});
