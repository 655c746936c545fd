import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { run } from './main.js';
import { untilDefined } from '../../test/support/until.js';
import { BIN, ensureBuilt } from '../../test/e2e/harness.js';

function bufferIO(signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), ...(signal ? { signal } : {}) },
    out,
    err,
  };
}

function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  return untilDefined('the condition', probe, { timeoutMs });
}

describe('garminsync emulator (run)', () => {
  it('prints one JSON document with --json, serves, and stops on abort with 0', async () => {
    const ac = new AbortController();
    const { io, out } = bufferIO(ac.signal);
    const done = run(['--port', '0', '--json', '--activities', '2', '--days', '2', '--workouts', '1', '--seed', '3'], io);
    const line = await waitFor(() => (out.length > 0 ? out.join('') : undefined));
    const info = JSON.parse(line);
    expect(info.domain).toBe('garmin.com');
    expect(info.accounts.map((a: { email: string }) => a.email)).toEqual(['demo@example.com', 'nomfa@example.com', 'locked@example.com']);
    expect(out).toHaveLength(1);
    const stats = await fetch(`${info.url}/__emulator/stats`);
    expect(stats.status).toBe(200);
    ac.abort();
    expect(await done).toBe(0);
    await expect(fetch(`${info.url}/__emulator/stats`)).rejects.toThrow();
  });

  it('prints help with examples and exits 0; a bad flag exits 2', async () => {
    const help = bufferIO();
    expect(await run(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('Examples:');
    const bad = bufferIO();
    expect(await run(['--fault-5xx', '2'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('probability');
  });

  it('runs as a process (the built binary), prints URL and accounts, and exits 0 on SIGTERM and 130 on SIGINT', async () => {
    await ensureBuilt();
    const launch = () => {
      const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--activities', '1', '--days', '1', '--workouts', '0'], {
        cwd: new URL('../../', import.meta.url),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      return { child, out: () => stdout };
    };
    // Both at once: spawning is the slow part of this test.
    const term = launch();
    const int = launch();
    const url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(term.out())?.[1], 30_000);
    expect(term.out()).toContain('demo@example.com');
    expect(term.out()).toContain('nomfa@example.com');
    expect((await fetch(`${url}/__emulator/stats`)).status).toBe(200);
    await waitFor(() => (int.out().includes('listening on') ? true : undefined), 30_000);
    const termExit = once(term.child, 'exit');
    const intExit = once(int.child, 'exit');
    term.child.kill('SIGTERM');
    int.child.kill('SIGINT');
    expect((await termExit)[0]).toBe(0);
    expect((await intExit)[0]).toBe(130);
  });
});
