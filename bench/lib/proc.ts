// Child processes for the bench: long-running ones (emulator, service, bare node:http) that print
// their URL when ready, and short ones (CLI commands) that are timed from spawn to exit.
// Every child is tracked so that an aborted bench never leaves a server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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
  return readCpuMs(pid);
}

// The samplers below read /proc synchronously: every 100 ms, a promise and a thread-pool hop per
// file made the sampler itself cost ~9 % of a core, which row 7 counts as the machine's.

function readCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
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
function readMachineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is already in user).
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const ticks = [user, nice, system, irq, softirq, steal].reduce<number>((a, v) => a + (v ?? 0), 0);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** Each pid's command name once read: a sampler lists processes every 100 ms, and a pid keeps its name. */
const commOf = new Map<number, string>();

/** Pids of every process whose command name (/proc/<pid>/comm) is `comm`, e.g. PostgreSQL's backends. */
export function pidsByComm(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let name = commOf.get(pid);
    if (name === undefined) {
      try {
        name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        commOf.set(pid, name);
      } catch {
        continue; // gone between readdir and read
      }
    }
    if (name === comm) pids.push(pid);
  }
  return pids;
}

/** Named sets of processes whose CPU a sampler attributes separately (pids listed at each sample, so late starters count). */
export type ProcessGroups = Record<string, () => number[]>;

interface Sample {
  at: number;
  busyMs: number;
  /** Per group, each pid's CPU ms so far. */
  groups: Record<string, Map<number, number>>;
}

/**
 * Samples the machine's busy CPU every `everyMs` until stopped, so a row can take the CPU spent
 * inside a window that it only learns afterwards (e.g. first to last job start). With `groups`,
 * each group's processes are sampled too, so the row can say where that CPU went.
 */
export class MachineCpuSampler {
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly everyMs = 100,
    private readonly groups: ProcessGroups = {},
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /**
   * Busy CPU ms (all cores) between the samples nearest to [from, to] (epoch ms), and each
   * group's share of it; undefined without samples there. A process that started inside the
   * window counts from its start; one that ended inside it is left out of its group.
   */
  busyBetween(from: number, to: number): { busyMs: number; wallMs: number; groupMs: Record<string, number> } | undefined {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (!first || !last || last.at - first.at <= 0) return undefined;
    const groupMs: Record<string, number> = {};
    for (const [name, pids] of Object.entries(last.groups)) {
      let ms = 0;
      for (const [pid, cpu] of pids) ms += cpu - (first.groups[name]?.get(pid) ?? 0);
      groupMs[name] = ms;
    }
    return { busyMs: last.busyMs - first.busyMs, wallMs: last.at - first.at, groupMs };
  }

  private sample(): void {
    const at = Date.now();
    const busyMs = readMachineBusyMs();
    const groups: Sample['groups'] = {};
    for (const [name, list] of Object.entries(this.groups)) {
      const cpu = new Map<number, number>();
      for (const pid of list()) {
        const ms = readCpuMs(pid);
        if (ms !== undefined) cpu.set(pid, ms);
      }
      groups[name] = cpu;
    }
    if (busyMs !== undefined) this.samples.push({ at, busyMs, groups });
  }
}
