/**
 * End-to-end harness: a REAL emulator and a REAL sync service (started in this process from
 * src/, so that tests can shorten the access-token lifetime), a counting HTTP proxy in front of
 * the service, and the REAL built `garminsync` binary spawned as a child process.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';
import pino from 'pino';
import type { Clock } from '../../src/core/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { LOG_REDACTION, startService, type RunningService } from '../../src/server/main.js';
import { parseServerConfig } from '../../src/server/config.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO, 'bin', 'garminsync.js');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

async function builtIsStale(): Promise<boolean> {
  const built = await Promise.all(
    ['dist/cli/main.js', 'dist/server/main.js', 'dist/.tsbuildinfo', 'dist/cli-bundle/main.js', 'dist/server-bundle/main.js'].map((p) =>
      stat(join(REPO, p)).catch(() => undefined),
    ),
  );
  if (built.some((b) => !b)) return true;
  // The build is incremental (tsconfig.build.json): it rewrites only what changed, but its build
  // info on every build that changed anything, so that file's time is when dist/ was last current.
  // The CLI and server bundles (scripts/bundle-*.mjs) are rewritten whole on every build.
  const newest = await newestMtime(join(REPO, 'src'));
  return newest > built[2]!.mtimeMs || newest > built[3]!.mtimeMs || newest > built[4]!.mtimeMs;
}

/**
 * Makes sure dist/ holds the current CLI and server (`npm test` builds first; a lone
 * `vitest run test/e2e` or `test/reliability` builds here, once, under a lock shared by parallel
 * test files, so that tsc never runs twice at once).
 */
export async function ensureBuilt(): Promise<void> {
  if (!(await builtIsStale())) return;
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  const release = await lockfile.lock(join(REPO, 'package.json'), {
    lockfilePath: join(REPO, '.tmp', 'e2e-build.lock'),
    retries: { retries: 600, minTimeout: 100, maxTimeout: 200 },
    stale: 120_000,
  });
  try {
    if (!(await builtIsStale())) return;
    // tsc emits even when another room has type errors in progress.
    await new Promise<void>((resolve) => execFile('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO }, () => resolve()));
    // …and the CLI and server bundles that bin/garminsync.js runs (npm run build's other steps).
    for (const script of ['scripts/bundle-cli.mjs', 'scripts/bundle-server.mjs'])
      await new Promise<void>((resolve, reject) =>
        execFile(process.execPath, [script], { cwd: REPO }, (e, _out, err) => (e ? reject(new Error(err)) : resolve())),
      );
  } finally {
    await release();
  }
}

/** An HTTP proxy that counts `METHOD /path` and can be told to refuse everything (service down). */
export interface CountingProxy {
  url: string;
  counts: Map<string, number>;
  count(method: string, path: string): number;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const t = new URL(target);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const key = `${req.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const upstream = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    count: (method, path) => counts.get(`${method} ${path}`) ?? 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Stack {
  emu: RunningEmulator;
  service: RunningService;
  proxy: CountingProxy;
  /** The URL the CLI uses (through the proxy). */
  url: string;
  dataDir: string;
  /** The service's log lines (debug level) when `captureLogs` was set. */
  logs: string[];
  close(): Promise<void>;
}

export interface StackOptions {
  accessTtlSeconds?: number;
  /** The service's clock (default: the real one); an OffsetClock lets a test skip a lifetime. */
  clock?: Clock;
  activities?: number;
  days?: number;
  workouts?: number;
  latencyMs?: number;
  /** Keep the service's debug logs in `stack.logs` (to check that no secret reaches them). */
  captureLogs?: boolean;
  /** Extra `garminsync server` flags (e.g. short schedule intervals). */
  serverArgs?: string[];
  /** The service's environment (e.g. GARMINSYNC_DATABASE for PostgreSQL: a URL with a password stays out of argv). */
  env?: Record<string, string>;
  /** The emulator's last day of data (default: today, nothing after now); an archive written for the same day agrees with it. */
  endDate?: string;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const emu = await startEmulator({
    seed: 1,
    activities: opts.activities ?? 12,
    days: opts.days ?? 7,
    workouts: opts.workouts ?? 3,
    latencyMs: opts.latencyMs,
    ...(opts.endDate ? { endDate: opts.endDate } : {}),
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'garminsync-e2e-svc-'));
  const cfg = parseServerConfig(
    [
      ...['--port', '0', '--data-dir', dataDir, '--garmin-url', emu.url, '--log-level', 'silent'],
      ...['--poll-ms', '50', '--sse-heartbeat-ms', '1000', '--garmin-rate', '500', '--garmin-burst', '100'],
      ...(opts.accessTtlSeconds ? ['--access-ttl', `${opts.accessTtlSeconds}s`] : []),
      ...(opts.serverArgs ?? []),
    ],
    opts.env ?? {},
    dataDir,
  );
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const service = await startService(cfg, {
    ...(opts.clock ? { clock: opts.clock } : {}),
    logger: opts.captureLogs ? pino({ level: 'debug', redact: LOG_REDACTION }, sink) : pino({ level: 'silent' }),
  });
  const proxy = await startProxy(service.url!);
  return {
    emu,
    service,
    proxy,
    url: proxy.url,
    dataDir,
    logs,
    close: async () => {
      await proxy.close();
      await service.close();
      await emu.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh XDG_CONFIG_HOME for one test. */
export function tempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'garminsync-e2e-home-'));
}

/** Spawns the built binary with a clean environment (no keyring, no colours unless asked). */
export function cli(
  args: string[],
  opts: {
    home: string;
    server?: string;
    input?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    onSpawn?: (pid: number | undefined) => void;
  },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: opts.home,
        XDG_CONFIG_HOME: opts.home,
        GARMINSYNC_KEYRING: 'off',
        ...(opts.server ? { GARMINSYNC_SERVER: opts.server } : {}),
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    opts.onSpawn?.(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Logs demo@example.com in through the CLI the way a script does: exit 10, then `auth mfa`. */
export async function loginWithMfa(stack: Pick<Stack, 'url' | 'emu'>, home: string): Promise<void> {
  const first = await cli(['auth', 'login', '--username', 'demo@example.com', '--password-stdin'], {
    home,
    server: stack.url,
    input: 'demo-password\n',
  });
  if (first.code !== 10) throw new Error(`login: expected exit 10, got ${first.code}: ${first.stderr}`);
  const code = stack.emu.lastMfaCode('demo@example.com');
  const done = await cli(['auth', 'mfa', '--challenge', first.stdout.trim(), '--code', code!], { home, server: stack.url });
  if (done.code !== 0) throw new Error(`auth mfa: exit ${done.code}: ${done.stderr}`);
}
