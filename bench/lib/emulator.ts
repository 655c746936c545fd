// The Garmin Connect emulator as a child process (`garminsync emulator --port 0 --json`), and
// the few control-API calls the bench needs (stats, fault knobs).
import { BIN, NODE } from './paths.js';
import { startProcess, type Started } from './proc.js';

import type { EmulatorStats } from '../../src/emulator/index.js';

export type { EmulatorStats };

export interface EmulatorChild {
  url: string;
  proc: Started;
  stats(): Promise<EmulatorStats>;
  setFaults(knobs: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export interface EmulatorParams {
  activities: number;
  latencyMs?: number;
  seed?: number;
  /** Days of daily health data and workouts (the emulator's defaults when absent). */
  days?: number;
  workouts?: number;
}

/** The account every row uses: no MFA, so logins need no code round-trip. */
export const ACCOUNT = { email: 'nomfa@example.com', password: 'demo-password' } as const;

export async function startEmulatorChild(p: EmulatorParams): Promise<EmulatorChild> {
  const args = [
    BIN,
    'emulator',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--json',
    '--seed',
    String(p.seed ?? 1),
    '--activities',
    String(p.activities),
  ];
  if (p.latencyMs !== undefined && p.latencyMs > 0) args.push('--latency-ms', String(p.latencyMs));
  if (p.days !== undefined) args.push('--days', String(p.days));
  if (p.workouts !== undefined) args.push('--workouts', String(p.workouts));
  const proc = await startProcess({
    name: 'emulator',
    cmd: NODE,
    args,
    ready: /https?:\/\/127\.0\.0\.1:\d+/,
    // Seeding 10,000 activities takes a moment.
    timeoutMs: 60_000,
  });
  const url = (proc.match[0] as string).replace(/\/$/, '');
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${res.status}`);
    return res.status === 204 ? undefined : res.json();
  };
  return {
    url,
    proc,
    stats: async () => (await control('GET', 'stats')) as EmulatorStats,
    setFaults: async (knobs) => {
      await control('POST', 'faults', knobs);
    },
    stop: () => proc.stop(),
  };
}

/** Upstream requests between two stats snapshots (control-API calls are not counted by the emulator). */
export function requestsBetween(before: EmulatorStats, after: EmulatorStats): number {
  return after.total - before.total;
}
