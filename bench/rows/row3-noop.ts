// Row 3: an incremental sync with nothing new upstream: how many upstream requests it costs and
// how long the user waits from `sync start --wait` to done.
import { cliSyncWait } from '../lib/cli.js';
import { requestsBetween } from '../lib/emulator.js';
import type { Profile } from '../lib/profile.js';
import type { RowResult } from '../lib/result.js';
import { fmt, summarize } from '../lib/stats.js';
import type { Fixture } from './shared-fixture.js';

export const ROW3_TITLE = 'No-op incremental sync';
export const ROW3_TARGETS = ['≤2 upstream requests', '≤300 ms CLI-to-done'];

export async function row3(p: Profile['row3'], f: Fixture, log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const req: number[] = [];
  const wall: number[] = [];
  const jobMs: number[] = [];
  for (let i = 0; i < p.reps; i++) {
    const before = await f.emu.stats();
    const run = await cliSyncWait(f.session.env, 60_000);
    const after = await f.emu.stats();
    req.push(requestsBetween(before, after));
    wall.push(run.ms);
    const job = run.job as { start_time?: string | null; end_time?: string | null };
    if (job.start_time && job.end_time) jobMs.push(Date.parse(job.end_time) - Date.parse(job.start_time));
    log(`  row 3 rep ${i + 1}: ${fmt(run.ms)} ms, ${requestsBetween(before, after)} upstream requests`);
  }
  const reqMed = summarize(req).median;
  const wallMed = summarize(wall).median;
  return {
    id: 3,
    title: ROW3_TITLE,
    params: `after a completed backfill of ${f.n} activities, emulator without added latency, ${p.reps} runs of \`sync start --type activities --wait --json\`.`,
    figures: [
      { label: 'upstream requests', unit: 'requests', values: req, note: 'emulator stats' },
      { label: 'CLI-to-done wall time', unit: 'ms', values: wall },
      ...(jobMs.length > 0 ? [{ label: 'job start_time → end_time (server side)', unit: 'ms', values: jobMs }] : []),
    ],
    targets: [
      { text: ROW3_TARGETS[0] as string, measured: `${fmt(reqMed)}`, met: reqMed <= 2 },
      { text: ROW3_TARGETS[1] as string, measured: `${fmt(wallMed)} ms`, met: wallMed <= 300 },
    ],
    notes: [],
    wallMs: Date.now() - t0,
  };
}
