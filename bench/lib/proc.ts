// Child processes for the bench: long-running ones (emulator, service, bare node:http) that print
// their URL when ready, and short ones (CLI commands) that are timed from spawn to exit.
// Every child is tracked so that an aborted bench never leaves a server behind.
import { spawn, type ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

/** Kills every child still running (by pid, never by name). Safe to call more than once. */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}
process.once('exit', killAll);

export interface Started {
  child: ChildProcess;
  pid: number;
  /** The first match of the ready pattern. */
  match: RegExpMatchArray;
  /** Everything the child printed so far (stdout + stderr, interleaved). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Searched in stdout+stderr; the child is ready at its first match. */
  ready: RegExp;
  timeoutMs: number;
}

function tail(text: string, max = 2000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

/** Starts a server-like child and resolves once it prints something matching `ready`. */
export function startProcess(o: StartOptions): Promise<Started> {
  const child = spawn(o.cmd, o.args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) {
      live.delete(child);
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    live.delete(child);
  };
  return new Promise<Started>((resolve, reject) => {
    let done = false;
    const fail = (why: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void stop();
      reject(new Error(`${o.name}: ${why}\n${tail(out)}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${o.timeoutMs} ms`), o.timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      // Once ready, keep only a tail: a service logging every request must not fill our memory.
      if (done) {
        if (out.length > 256_000) out = out.slice(-64_000);
        return;
      }
      const m = out.match(o.ready);
      if (m && child.pid !== undefined) {
        done = true;
        clearTimeout(timer);
        resolve({ child, pid: child.pid, match: m, output: () => out, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => fail(`could not start: ${e.message}`));
    child.once('exit', (code, signal) => fail(`exited before ready (code ${code}, signal ${signal})`));
  });
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds (process.hrtime.bigint()). */
  ms: number;
  timedOut: boolean;
}

export interface RunOptions {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdin?: string;
  timeoutMs: number;
}

/** Runs a command to completion and times it; never rejects for a non-zero exit. */
export function runProcess(o: RunOptions): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(o.cmd, o.args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', (e) => {
      clearTimeout(timer);
      live.delete(child);
      reject(e);
    });
    child.once('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, ms, timedOut });
    });
    child.stdin.on('error', () => undefined); // a child that exits before reading stdin is fine
    child.stdin.end(o.stdin ?? '');
  });
}

/** Peak resident set size (VmHWM) of a live process in MiB, from /proc; undefined when unknown. */
export async function peakRssMiB(pid: number): Promise<number | undefined> {
  return statusMiB(pid, 'VmHWM');
}

/** A memory field of /proc/<pid>/status in MiB (e.g. VmHWM, RssAnon, RssFile); undefined when unreadable. */
export async function statusMiB(pid: number, field: string): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a live process has used so far, in ms, from /proc/<pid>/stat. */
export async function cpuMs(pid: number): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

/** CPU time the whole machine has spent busy (every state but idle and iowait), summed over all cores, in ms, from /proc/stat. */
export async function machineBusyMs(): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises');
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is already in user).
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const ticks = [user, nice, system, irq, softirq, steal].reduce<number>((a, v) => a + (v ?? 0), 0);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the machine's busy CPU every `everyMs` until stopped, so a row can take the CPU spent
 * inside a window that it only learns afterwards (e.g. first to last job start).
 */
export class MachineCpuSampler {
  private readonly samples: Array<{ at: number; busyMs: number }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly everyMs = 100) {}

  async start(): Promise<void> {
    await this.sample();
    this.timer = setInterval(() => void this.sample(), this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sample();
  }

  /** Busy CPU ms (all cores) between the samples nearest to [from, to] (epoch ms); undefined without samples there. */
  busyBetween(from: number, to: number): { busyMs: number; wallMs: number } | undefined {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (!first || !last || last.at - first.at <= 0) return undefined;
    return { busyMs: last.busyMs - first.busyMs, wallMs: last.at - first.at };
  }

  private async sample(): Promise<void> {
    const busyMs = await machineBusyMs();
    if (busyMs !== undefined) this.samples.push({ at: Date.now(), busyMs });
  }
}
