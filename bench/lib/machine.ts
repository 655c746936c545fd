// What the numbers were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
  commit: string;
  dirty: boolean;
  /** 1-minute load average when the bench started: other work on the machine skews every figure. */
  loadAtStart: number;
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(root: string, loadAtStart: number): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short=12', 'HEAD'], root) || 'unknown',
    // Uncommitted changes in src/ or bin/ mean the numbers are not exactly those of the commit.
    dirty: git(['status', '--porcelain', '--', 'src', 'bin'], root) !== '',
    loadAtStart,
  };
}
