// Drives the real `garminsync` CLI as a user would: one child process per command.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN, NODE } from './paths.js';
import { runProcess, type RunResult } from './proc.js';

/** Environment for CLI children: its own config dir (credentials) and the service URL. */
export function cliEnv(serverUrl: string, configDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: configDir,
    GARMINSYNC_SERVER: serverUrl,
    NO_COLOR: '1',
    GARMINSYNC_MFA_CODE: undefined,
  };
}

export function cli(env: NodeJS.ProcessEnv, args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return runProcess({ cmd: NODE, args: [BIN, ...args], env, stdin: opts.stdin, timeoutMs: opts.timeoutMs ?? 60_000 });
}

function describe(r: RunResult): string {
  const why = r.timedOut ? 'timed out' : `exit ${r.code}`;
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');
  return `${why}${text ? `: ${text.slice(0, 300)}` : ''}`;
}

/** `auth login --username U --password-stdin` (the account has no MFA). Throws with the CLI's words. */
export async function cliLogin(env: NodeJS.ProcessEnv, email: string, password: string): Promise<void> {
  const r = await cli(env, ['auth', 'login', '--username', email, '--password-stdin'], { stdin: `${password}\n` });
  if (r.code !== 0) throw new Error(`garminsync auth login failed (${describe(r)})`);
}

export interface SyncRun {
  ms: number;
  job: { job_id?: string; status?: string; total_items?: number | null; processed_items?: number; failed_items?: number };
}

/** `sync start --type activities --wait --json`, timed from spawn to exit. Throws unless completed. */
export async function cliSyncWait(env: NodeJS.ProcessEnv, timeoutMs: number, extra: string[] = []): Promise<SyncRun> {
  const r = await cli(env, ['sync', 'start', '--type', 'activities', '--wait', '--json', ...extra], { timeoutMs });
  if (r.code !== 0) throw new Error(`garminsync sync start --wait failed (${describe(r)})`);
  return { ms: r.ms, job: parseJob(r.stdout) };
}

/** The job from `--json` output: `{jobs: [job]}` (also accepts `{job}` or a bare job). */
export function parseJob(stdout: string): SyncRun['job'] {
  try {
    const doc = JSON.parse(stdout.trim()) as Record<string, unknown>;
    if (Array.isArray(doc.jobs)) return (doc.jobs[0] ?? {}) as SyncRun['job'];
    return (typeof doc.job === 'object' && doc.job !== null ? doc.job : doc) as SyncRun['job'];
  } catch {
    return {};
  }
}

export { describe as describeRun };

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The CLI's current access token: `auth token` when it has it, else from its credential file. */
export async function cliAccessToken(env: NodeJS.ProcessEnv, configDir: string): Promise<string> {
  const r = await cli(env, ['auth', 'token']);
  const printed = r.stdout.trim();
  if (r.code === 0 && JWT.test(printed)) return printed;
  const dir = path.join(configDir, 'garminsync');
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => '');
    const m = text.match(/"access_token"\s*:\s*"([^"]+)"/);
    if (m?.[1] && JWT.test(m[1])) return m[1];
  }
  throw new Error(`no access token: \`garminsync auth token\` failed (${describe(r)}) and no credential file holds one`);
}
