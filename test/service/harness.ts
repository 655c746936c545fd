import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { LOG_REDACTION, startService, type RunningService } from '../../src/server/main.js';
import { parseServerConfig, type ServerConfig } from '../../src/server/config.js';
import { OffsetClock } from '../support/offset-clock.js';
import { until } from '../support/until.js';
import { apiCall, type ApiResponse } from '../support/api-call.js';

export interface Harness {
  emu: RunningEmulator;
  svc: RunningService;
  url: string;
  /** The service's database setting (share it with `database`). */
  database: string;
  clock: OffsetClock;
  dataDir: string;
  /** Every log line the service wrote (to check that no secret was logged). */
  logs: string[];
  api: (
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ) => Promise<ApiResponse>;
  close(): Promise<void>;
}

export type { ApiResponse } from '../support/api-call.js';

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  /** Extra `garminsync server` flags. */
  args?: string[];
  /** Share an emulator / data dir with another harness (they stay open on close). */
  emu?: RunningEmulator;
  dataDir?: string;
  /** Database of the service (default sqlite in the data dir); postgres needs GARMINSYNC_TEST_PG_URL. */
  dialect?: ServiceDialect;
  /** Share another harness's database (its `database` setting). */
  database?: string;
}

export type ServiceDialect = 'sqlite' | 'postgres';

/** The dialects the service tests run on: SQLite always, PostgreSQL when GARMINSYNC_TEST_PG_URL is set. */
export function serviceDialects(): ServiceDialect[] {
  return process.env.GARMINSYNC_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh PostgreSQL schema (so parallel test files never share rows); returns its URL and a dropper. */
export async function freshPgSchema(baseUrl: string, prefix = 'svc'): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => run(`DROP SCHEMA ${schema} CASCADE`) };
}

/** Starts the real emulator and the real service (SQLite in a temp dir) on 127.0.0.1:0. */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const emu = o.emu ?? (await startEmulator({ seed: 1, activities: 12, days: 10, workouts: 3, ...o.emulator }));
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'garminsync-svc-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = pino({ level: 'debug', redact: LOG_REDACTION }, sink);
  const clock = new OffsetClock();
  const pgSchema = !o.database && o.dialect === 'postgres' ? await freshPgSchema(process.env.GARMINSYNC_TEST_PG_URL ?? '') : null;
  const database = o.database ?? pgSchema?.url;
  const cfg: ServerConfig = parseServerConfig(
    [
      ...['--port', '0', '--data-dir', dataDir, '--garmin-url', emu.url, ...(database ? ['--database', database] : [])],
      // Fast leases and polls, a generous Garmin budget; `o.args` come last and win.
      ...['--lease-ms', '3000', '--poll-ms', '50', '--sse-heartbeat-ms', '1000', '--garmin-rate', '200', '--garmin-burst', '50'],
      ...(o.args ?? []),
    ],
    {},
    dataDir,
  );
  const svc = await startService(cfg, {
    logger,
    clock,
  });
  const url = svc.url ?? '';
  const api: Harness['api'] = (method, path, opts = {}) => apiCall(url, method, path, opts);

  return {
    emu,
    svc,
    url,
    database: cfg.database,
    clock,
    dataDir,
    logs,
    api,
    async close() {
      await svc.close();
      if (!o.emu) await emu.close();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
      await pgSchema?.drop();
    },
  };
}

/** Logs in an account without MFA; returns the token response. */
export async function loginNoMfa(h: Harness, username = 'nomfa@example.com') {
  const r = await h.api('POST', '/auth/login', { body: { username, password: 'demo-password' } });
  if (r.status !== 200 || r.body.status !== 'authenticated') throw new Error(`login failed: ${r.status} ${r.text}`);
  return r.body as {
    access_token: string;
    refresh_token: string;
    session_id: string;
    user_id: string;
    mfa_verified: boolean;
    expires_at: string;
    refresh_expires_at: string;
    session_absolute_expires_at: string;
  };
}

/** Logs in the MFA demo account with the code from the emulator's outbox. */
export async function loginWithMfa(h: Harness, username = 'demo@example.com') {
  const r = await h.api('POST', '/auth/login', { body: { username, password: 'demo-password' } });
  if (r.status !== 200 || r.body.status !== 'mfa_required') throw new Error(`expected mfa_required: ${r.status} ${r.text}`);
  const code = h.emu.lastMfaCode(username);
  const done = await h.api('POST', '/auth/mfa', { body: { challenge_id: r.body.challenge_id, code } });
  if (done.status !== 200) throw new Error(`mfa failed: ${done.status} ${done.text}`);
  return done.body as { access_token: string; refresh_token: string; session_id: string; user_id: string; mfa_verified: boolean };
}

/** Polls until `fn` returns a truthy value (no fixed sleeps). */
export function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  return until('the condition', fn, { timeoutMs, everyMs });
}
