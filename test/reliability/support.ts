/**
 * Shared pieces of the reliability suite (issue 7): the built service as a child process (so it
 * can be SIGKILLed), a ledger of secrets and of everything the suite printed or logged (scanned
 * for those secrets), a `ps`-style argv check, and the default/full size switch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { BIN, REPO, cli, ensureBuilt } from '../e2e/harness.js';
import { freshPgSchema as freshServicePgSchema } from '../service/harness.js';
import { until } from '../support/until.js';
import { apiCall, type ApiResponse } from '../support/api-call.js';

export { BIN, REPO };
/** dist/ holds the current CLI and server (the crash test runs the built server). */
export const ensureBuiltAll = ensureBuilt;

/** `npm run test:full` (GARMINSYNC_TEST_FULL=1) runs the full sizes; `npm test` smaller ones. */
export const FULL = process.env.GARMINSYNC_TEST_FULL === '1';

/** Picks the default-run or full-run value. */
export const size = <T>(normal: T, full: T): T => (FULL ? full : normal);

/** Everything secret the suite handled, and everything it saw printed or logged. */
export class SecretLedger {
  private readonly secrets = new Set<string>();
  private readonly texts: { source: string; text: string }[] = [];
  private readonly argvs: { pid: number; argv: string[] }[] = [];

  secret(...values: (string | undefined | null)[]): void {
    for (const v of values) if (v && v.length >= 6) this.secrets.add(v);
  }

  /** Remembers the secrets in a token response (ours) or a Garmin token set. */
  tokens(doc: unknown): void {
    if (!doc || typeof doc !== 'object') return;
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      if (typeof v === 'string' && /token|secret/i.test(k) && !/type/i.test(k)) this.secret(v);
      else if (v && typeof v === 'object') this.tokens(v);
    }
  }

  record(source: string, text: string): void {
    if (text) this.texts.push({ source, text });
  }

  /** Reads /proc/<pid>/cmdline now (what `ps` shows) and keeps it for the scan. */
  async argvOf(pid: number | undefined): Promise<void> {
    if (!pid) return;
    const raw = await readFile(`/proc/${pid}/cmdline`).catch(() => null);
    if (raw) this.argvs.push({ pid, argv: raw.toString('utf8').split('\0').filter(Boolean) });
  }

  get secretCount(): number {
    return this.secrets.size;
  }

  get textCount(): number {
    return this.texts.length;
  }

  get argvCount(): number {
    return this.argvs.length;
  }

  /** Every (source, secret) pair found; an all-digit secret (MFA code) only as a whole number. */
  hits(): string[] {
    const out: string[] = [];
    const fingerprint = (s: string) => `${s.slice(0, 3)}…(${createHash('sha256').update(s).digest('hex').slice(0, 8)})`;
    for (const secret of this.secrets) {
      const re = /^\d+$/.test(secret) ? new RegExp(`(^|[^0-9.])${secret}([^0-9.]|$)`) : null;
      const has = (t: string) => (re ? re.test(t) : t.includes(secret));
      for (const { source, text } of this.texts) if (has(text)) out.push(`${source}: ${fingerprint(secret)}`);
      for (const { pid, argv } of this.argvs) if (argv.some(has)) out.push(`argv of ${pid}: ${fingerprint(secret)}`);
    }
    return out;
  }

  /** Asserts that no secret was seen anywhere (the hit list names the source, never the secret). */
  expectClean(): void {
    expect(this.secretCount, 'the ledger knows secrets').toBeGreaterThan(0);
    expect(this.textCount, 'the ledger saw output').toBeGreaterThan(0);
    expect(this.hits()).toEqual([]);
  }
}

export interface ServiceProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** stdout+stderr so far (debug logs). */
  output(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `garminsync server` (the built binary) as a child process on 127.0.0.1:0 with debug
 * logs; resolves once it printed its URL.
 */
export async function spawnService(
  args: string[],
  opts: { env?: Record<string, string>; ledger?: SecretLedger; label?: string; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [BIN, 'server', '--host', '127.0.0.1', '--port', '0', '--log-level', 'debug', ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const label = opts.label ?? 'service';
  exited.then(() => opts.ledger?.record(`${label} ${child.pid}`, chunks.join('')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start: ${chunks.join('')}`)), opts.timeoutMs ?? 20_000);
    const onData = (d: Buffer) => {
      chunks.push(d.toString('utf8'));
      const m = /listening on (http:\/\/\S+)/.exec(chunks.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before listening: ${chunks.join('')}`));
    });
  });
  await opts.ledger?.argvOf(child.pid);
  return {
    url,
    pid: child.pid!,
    child,
    output: () => chunks.join(''),
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export type Api = ApiResponse;

/** One JSON API call to a service base URL (`/api/v1` is prefixed to relative API paths). */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; ledger?: SecretLedger } = {},
): Promise<Api> {
  const r = await apiCall(base, method, path, opts);
  // Error bodies are part of what the secrets scan looks at.
  if (r.status >= 400) opts.ledger?.record(`${method} ${path} → ${r.status}`, r.text);
  return r;
}

/** Polls until `fn` returns a truthy value (no fixed sleeps for synchronisation). */
export function poll<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string, everyMs = 50): Promise<T> {
  return until(what, fn, { timeoutMs, everyMs });
}

/** A small seeded PRNG (mulberry32) so "random" kill points are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The dialects this suite runs on: SQLite always, PostgreSQL too when GARMINSYNC_TEST_PG_URL is set. */
export function dialects(): ('sqlite' | 'postgres')[] {
  return process.env.GARMINSYNC_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh PostgreSQL schema for one test (parallel files never share rows); returns its URL and a dropper. */
/** A fresh PostgreSQL schema on GARMINSYNC_TEST_PG_URL; returns its URL and a dropper. */
export const freshPgSchema = () => freshServicePgSchema(process.env.GARMINSYNC_TEST_PG_URL ?? '', 'rel');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI like the e2e harness does (clean environment, file credentials), and hands
 * its output and its `ps`-visible argv to the ledger.
 */
export async function runCli(
  args: string[],
  opts: { home: string; server?: string; input?: string; env?: Record<string, string>; ledger: SecretLedger; timeoutMs?: number },
): Promise<CliRun> {
  const { ledger, ...rest } = opts;
  const r = await cli(args, { ...rest, onSpawn: (pid) => void ledger.argvOf(pid) });
  ledger.record(`garminsync ${args.join(' ')}`, r.stdout + r.stderr);
  return r;
}
