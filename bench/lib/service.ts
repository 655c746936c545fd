// The sync service as a child process (`garminsync server --port 0 --data-dir D --garmin-url U`),
// and how the bench finds the service's tuning settings (rate budget, per-job concurrency).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN, NODE, ROOT, tempDir } from './paths.js';
import { startProcess, type Started } from './proc.js';

export interface ServiceChild {
  url: string;
  pid: number;
  dataDir: string;
  proc: Started;
  stop(): Promise<void>;
}

export interface ServiceParams {
  garminUrl: string;
  /** Extra command-line flags (from the settings below). */
  flags?: string[];
  env?: NodeJS.ProcessEnv;
  /** Node.js flags for the service process (e.g. --cpu-prof when profiling). */
  nodeFlags?: string[];
  /** Share another service's data dir (same database and JWT key); default: a fresh one. */
  dataDir?: string;
}

export async function startServiceChild(p: ServiceParams): Promise<ServiceChild> {
  const dataDir = p.dataDir ?? (await tempDir('data'));
  const garminPort = new URL(p.garminUrl).port;
  const workersOnly = (p.flags ?? []).includes('--workers-only');
  const proc = await startProcess({
    name: workersOnly ? 'worker process' : 'service',
    cmd: NODE,
    args: [...(p.nodeFlags ?? []), BIN, 'server', '--port', '0', '--data-dir', dataDir, '--garmin-url', p.garminUrl, ...(p.flags ?? [])],
    env: { ...process.env, ...p.env },
    // The first loopback URL printed that is not the emulator's is the service's own; a
    // workers-only process has no URL and says so.
    ready: workersOnly ? /workers running/ : new RegExp(`http://127\\.0\\.0\\.1:(?!${garminPort}\\b)\\d+`),
    timeoutMs: 30_000,
  });
  return { url: workersOnly ? '' : (proc.match[0] as string), pid: proc.pid, dataDir, proc, stop: () => proc.stop() };
}

/** A tuning setting of the service and how to pass it, when the service has it. */
export interface Setting {
  /** e.g. ['--rate-budget', '20'] or an env var. */
  flags(value: number): string[];
  env(value: number): NodeJS.ProcessEnv;
  describe: string;
}

let source: string | undefined;

/** The composition root's source: the brief says the settings are defined there. */
async function serverSource(): Promise<string> {
  if (source === undefined) {
    source = await readFile(path.join(ROOT, 'src', 'server', 'main.ts'), 'utf8').catch(() => '');
    // Options may be parsed in a sibling config module.
    source += await readFile(path.join(ROOT, 'src', 'server', 'config.ts'), 'utf8').catch(() => '');
    source += await readFile(path.join(ROOT, 'src', 'server', 'settings.ts'), 'utf8').catch(() => '');
  }
  return source;
}

async function findSetting(flagCandidates: string[], envCandidates: string[]): Promise<Setting | undefined> {
  const src = await serverSource();
  for (const flag of flagCandidates) {
    if (src.includes(`'${flag}'`) || src.includes(`"${flag}"`) || src.includes(`${flag} `) || src.includes(`${flag}=`)) {
      return { flags: (v) => [flag, String(v)], env: () => ({}), describe: `flag ${flag}` };
    }
  }
  for (const name of envCandidates) {
    if (src.includes(name)) return { flags: () => [], env: (v) => ({ [name]: String(v) }), describe: `env ${name}` };
  }
  return undefined;
}

/** The per-account Garmin request budget (requests/s), if the service exposes one. */
export function rateBudgetSetting(): Promise<Setting | undefined> {
  return findSetting(
    ['--garmin-rate-per-sec', '--garmin-rate', '--garmin-rps', '--garmin-budget', '--rate-budget', '--garmin-rate-limit', '--upstream-rps'],
    ['GARMINSYNC_GARMIN_RATE_PER_SEC', 'GARMINSYNC_GARMIN_RATE', 'GARMINSYNC_GARMIN_RPS', 'GARMINSYNC_RATE_BUDGET'],
  );
}

/** The per-job download concurrency, if the service exposes one. */
export function concurrencySetting(): Promise<Setting | undefined> {
  return findSetting(
    ['--concurrency', '--job-concurrency', '--sync-concurrency', '--download-concurrency', '--garmin-concurrency'],
    ['GARMINSYNC_CONCURRENCY', 'GARMINSYNC_SYNC_CONCURRENCY'],
  );
}

/**
 * The budget the service applies when it offers no setting: the token bucket's default rate,
 * read from src/sync/rate-limiter.ts, unless the composition root passes its own.
 */
export async function builtInBudget(): Promise<number | undefined> {
  const main = await serverSource();
  // Only a rate taken from the settings replaces the default; a test-only tuning hook does not.
  if (/ratePerSec:\s*cfg\./.test(main)) return undefined;
  const limiter = await readFile(path.join(ROOT, 'src', 'sync', 'rate-limiter.ts'), 'utf8').catch(() => '');
  const m = limiter.match(/ratePerSec\s*\?\?\s*(\d+(?:\.\d+)?)/);
  return m ? Number(m[1]) : undefined;
}
