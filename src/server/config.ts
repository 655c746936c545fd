import { isIP } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, parseDuration } from '../core/index.js';

/** The validated settings of `garminsync server` (flags win over GARMINSYNC_* variables). */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** A PostgreSQL URL, a sqlite: URL or a SQLite file path. */
  database: string;
  garmin: { kind: 'url'; url: string; domain: string } | { kind: 'domain'; domain: string };
  /** Lower-cased Garmin e-mails allowed to log in; null = anyone (loopback only). */
  allowUsers: string[] | null;
  concurrency: number;
  /** Jobs one worker process runs at once. */
  maxJobs: number;
  /** Pending + running jobs one user may have at once (issue 12.6). */
  maxJobsPerUser: number;
  /** Job lease length in ms (a dead worker's job is resumed elsewhere after this). */
  leaseMs: number;
  /** Claims a job may take before it fails JOB_ATTEMPTS_EXHAUSTED (a job that keeps crashing its worker, issue 12.1). */
  maxJobAttempts: number;
  /** PostgreSQL connections per process. */
  dbPoolSize: number;
  /** Garmin requests per second per account, all processes together. */
  garminRatePerSec: number;
  mode: 'both' | 'api' | 'workers';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Keys from the environment (base64/hex); otherwise key files in the data dir. */
  jwtKey: string | null;
  encryptionKey: string | null;
  shutdownTimeoutMs: number;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses/CIDRs, or `loopback`), so that per-address
   * login limits see the real client behind a load balancer; null = the socket address.
   */
  trustProxy: string[] | null;
  /** Sessions (issue 15, 12.4): idle window, maximum lifetime, refresh grace window, in ms. */
  sessionIdleMs: number;
  sessionMaxMs: number;
  refreshGraceMs: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SERVER_USAGE = `Usage: garminsync server [options]
  --host HOST            address to bind (default 127.0.0.1; env GARMINSYNC_HOST)
  --port N               port (default 8787; 0 = any free port; env GARMINSYNC_PORT)
  --data-dir DIR         data directory (default $XDG_DATA_HOME/garminsync; env GARMINSYNC_DATA_DIR)
  --database URL         postgres://… or a SQLite file (default DATA_DIR/garminsync.db; env GARMINSYNC_DATABASE, DATABASE_URL)
  --garmin-url URL       talk to this Garmin emulator base URL (env GARMINSYNC_GARMIN_URL)
  --garmin-domain D      real Garmin domain (default garmin.com; env GARMINSYNC_GARMIN_DOMAIN)
  --allow-users a,b      Garmin e-mails allowed to log in (env GARMINSYNC_ALLOWED_USERS)
  --concurrency N        items in flight per job (default 8; env GARMINSYNC_CONCURRENCY)
  --api-only | --workers-only   run only the API or only the workers (env GARMINSYNC_MODE=api|workers)
  --max-jobs N           jobs a worker process runs at once (default 2; env GARMINSYNC_MAX_JOBS)
  --max-jobs-per-user N  sync jobs one user may have pending or running (default 10; env GARMINSYNC_MAX_JOBS_PER_USER)
  --lease-ms N           job lease; a dead worker's job resumes elsewhere after it (default 30000; env GARMINSYNC_LEASE_MS)
  --max-job-attempts N   claims of one job (crashed or stopped workers) before it fails (default 3; env GARMINSYNC_MAX_JOB_ATTEMPTS)
  --db-pool-size N       PostgreSQL connections per process (default 10; env GARMINSYNC_DB_POOL_SIZE)
  --garmin-rate N        Garmin requests/second per account, shared by all processes (default 5; env GARMINSYNC_GARMIN_RATE)
  --log-level LEVEL      fatal|error|warn|info|debug|trace|silent (default info; env GARMINSYNC_LOG_LEVEL)
  --trust-proxy LIST     proxies whose X-Forwarded-For is believed: addresses, CIDRs or loopback (env GARMINSYNC_TRUST_PROXY)
  --session-idle DUR     a session ends when not refreshed for this long; each refresh extends it (default 30d; env GARMINSYNC_SESSION_IDLE)
  --session-max DUR      a session ends this long after its login at the latest (default 365d; env GARMINSYNC_SESSION_MAX)
  --refresh-grace DUR    the refresh token rotated away last still works this long (lost answers; default 30s; env GARMINSYNC_REFRESH_GRACE)
Durations: a whole number and s, m, h or d (90s, 15m, 6h, 30d).
Keys: GARMINSYNC_JWT_KEY and GARMINSYNC_ENCRYPTION_KEY (256-bit, base64 or hex), else key files in DATA_DIR.`;

function fail(setting: string, message: string): never {
  throw new AppError('CONFIG_INVALID', `${setting}: ${message}`, { setting });
}

function int(setting: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max)
    fail(setting, `must be a whole number from ${min} to ${max} (got "${raw}").`);
  return n;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Parses and validates the server settings once (style.md rule 9). Every error names the
 * setting and what to do. `defaultDataDir` comes from env-paths at the composition root.
 */
export function parseServerConfig(argv: string[], env: Record<string, string | undefined>, defaultDataDir: string): ServerConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        database: { type: 'string' },
        'garmin-url': { type: 'string' },
        'garmin-domain': { type: 'string' },
        'allow-users': { type: 'string' },
        concurrency: { type: 'string' },
        'api-only': { type: 'boolean' },
        'workers-only': { type: 'boolean' },
        'max-jobs': { type: 'string' },
        'max-jobs-per-user': { type: 'string' },
        'lease-ms': { type: 'string' },
        'max-job-attempts': { type: 'string' },
        'db-pool-size': { type: 'string' },
        'garmin-rate': { type: 'string' },
        'log-level': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'session-idle': { type: 'string' },
        'session-max': { type: 'string' },
        'refresh-grace': { type: 'string' },
      },
    }));
  } catch (e) {
    fail('arguments', `${(e as Error).message.replace(/\.$/, '')}. Run garminsync server --help.`);
  }
  const v = (flag: string, ...vars: string[]): string | undefined => {
    const f = values[flag];
    if (typeof f === 'string') return f;
    for (const name of vars) if (env[name] !== undefined && env[name] !== '') return env[name];
    return undefined;
  };

  const host = (v('host', 'GARMINSYNC_HOST') ?? '127.0.0.1').trim();
  if (!host) fail('--host', 'must not be empty.');
  const port = int('--port', v('port', 'GARMINSYNC_PORT') ?? '8787', 0, 65535);
  const dataDir = v('data-dir', 'GARMINSYNC_DATA_DIR') ?? defaultDataDir;
  const database = v('database', 'GARMINSYNC_DATABASE', 'DATABASE_URL') ?? join(dataDir, 'garminsync.db');

  const garminUrl = v('garmin-url', 'GARMINSYNC_GARMIN_URL');
  const garminDomain = v('garmin-domain', 'GARMINSYNC_GARMIN_DOMAIN');
  let garmin: ServerConfig['garmin'];
  if (garminUrl && typeof values['garmin-domain'] === 'string' && typeof values['garmin-url'] === 'string') {
    fail('--garmin-url', 'give either --garmin-url or --garmin-domain, not both.');
  }
  if (garminUrl) {
    let u: URL;
    try {
      u = new URL(garminUrl);
    } catch {
      fail('--garmin-url', `"${garminUrl}" is not a URL (e.g. http://127.0.0.1:9797).`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') fail('--garmin-url', 'must be http:// or https://.');
    garmin = { kind: 'url', url: garminUrl.replace(/\/+$/, ''), domain: garminDomain ?? 'garmin.com' };
  } else {
    const domain = garminDomain ?? 'garmin.com';
    if (!/^[a-z0-9.-]+(:\d+)?$/i.test(domain)) fail('--garmin-domain', `"${domain}" is not a domain (e.g. garmin.com).`);
    garmin = { kind: 'domain', domain };
  }

  const allowRaw = v('allow-users', 'GARMINSYNC_ALLOWED_USERS');
  const allowUsers = allowRaw
    ? allowRaw
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean)
    : null;
  if (allowUsers) {
    for (const u of allowUsers) if (!/^[^\s@]+@[^\s@]+$/.test(u)) fail('--allow-users', `"${u}" is not an e-mail address.`);
  }
  if (!isLoopback(host) && !allowUsers?.length) {
    fail(
      '--host',
      `refusing to listen on ${host} (reachable from other machines) without an allow-list: add --allow-users you@example.com or bind 127.0.0.1.`,
    );
  }

  const concurrency = int('--concurrency', v('concurrency', 'GARMINSYNC_CONCURRENCY') ?? '8', 1, 64);
  const maxJobs = int('--max-jobs', v('max-jobs', 'GARMINSYNC_MAX_JOBS') ?? '2', 1, 64);
  const maxJobsPerUser = int('--max-jobs-per-user', v('max-jobs-per-user', 'GARMINSYNC_MAX_JOBS_PER_USER') ?? '10', 1, 10_000);
  const leaseMs = int('--lease-ms', v('lease-ms', 'GARMINSYNC_LEASE_MS') ?? '30000', 1000, 3_600_000);
  const maxJobAttempts = int('--max-job-attempts', v('max-job-attempts', 'GARMINSYNC_MAX_JOB_ATTEMPTS') ?? '3', 1, 1000);
  const dbPoolSize = int('--db-pool-size', v('db-pool-size', 'GARMINSYNC_DB_POOL_SIZE') ?? '10', 1, 500);
  const garminRatePerSec = int('--garmin-rate', v('garmin-rate', 'GARMINSYNC_GARMIN_RATE') ?? '5', 1, 1000);
  if (values['api-only'] && values['workers-only']) fail('--api-only', 'cannot be combined with --workers-only.');
  const modeEnv = env.GARMINSYNC_MODE;
  let mode: ServerConfig['mode'] = values['api-only'] ? 'api' : values['workers-only'] ? 'workers' : 'both';
  if (!values['api-only'] && !values['workers-only'] && modeEnv) {
    if (modeEnv !== 'api' && modeEnv !== 'workers' && modeEnv !== 'both') fail('GARMINSYNC_MODE', 'must be api, workers or both.');
    mode = modeEnv;
  }
  const logLevel = (v('log-level', 'GARMINSYNC_LOG_LEVEL') ?? 'info') as ServerConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) fail('--log-level', `must be one of ${LOG_LEVELS.join(', ')}.`);

  const trustRaw = v('trust-proxy', 'GARMINSYNC_TRUST_PROXY');
  const trustProxy = trustRaw
    ? trustRaw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  for (const p of trustProxy ?? []) {
    const [addr, bits] = p.split('/');
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= 128);
    if (!(['loopback', 'linklocal', 'uniquelocal'].includes(p) || (addr && isIP(addr) && okBits))) {
      fail('--trust-proxy', `"${p}" is not an address, a CIDR or loopback.`);
    }
  }

  const duration = (setting: string, raw: string, minMs: number): number => {
    const ms = parseDuration(raw);
    if (ms === null) fail(setting, `must be a duration such as 90s, 15m, 6h or 30d (got "${raw}").`);
    if (ms < minMs) fail(setting, `must be at least ${minMs / 1000}s (got "${raw}").`);
    return ms;
  };
  const sessionIdleMs = duration('--session-idle', v('session-idle', 'GARMINSYNC_SESSION_IDLE') ?? '30d', 60_000);
  const sessionMaxMs = duration('--session-max', v('session-max', 'GARMINSYNC_SESSION_MAX') ?? '365d', 60_000);
  if (sessionMaxMs < sessionIdleMs) fail('--session-max', 'must not be shorter than --session-idle.');
  const refreshGraceMs = duration('--refresh-grace', v('refresh-grace', 'GARMINSYNC_REFRESH_GRACE') ?? '30s', 0);
  if (refreshGraceMs > 600_000)
    fail('--refresh-grace', 'must be at most 10m (a longer window lets a stolen refresh token be replayed unnoticed).');

  return {
    host,
    port,
    dataDir,
    database,
    garmin,
    allowUsers,
    concurrency,
    maxJobs,
    maxJobsPerUser,
    leaseMs,
    maxJobAttempts,
    dbPoolSize,
    garminRatePerSec,
    mode,
    logLevel,
    jwtKey: env.GARMINSYNC_JWT_KEY || null,
    encryptionKey: env.GARMINSYNC_ENCRYPTION_KEY || null,
    shutdownTimeoutMs: 10_000,
    trustProxy,
    sessionIdleMs,
    sessionMaxMs,
    refreshGraceMs,
  };
}
