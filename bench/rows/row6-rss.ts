// Row 6: peak resident memory of the service process during a large backfill: VmHWM from
// /proc/<pid>/status, read after the job completes and before the process is stopped.
import { cliSyncWait } from '../lib/cli.js';
import { requestsBetween, startEmulatorChild } from '../lib/emulator.js';
import { missingParts } from '../lib/paths.js';
import { peakRssMiB } from '../lib/proc.js';
import type { Profile } from '../lib/profile.js';
import { notRun, type RowResult } from '../lib/result.js';
import { rateBudgetSetting } from '../lib/service.js';
import { freshSession } from '../lib/session.js';
import { fmt } from '../lib/stats.js';

const TITLE = 'Peak RSS of the service during a large backfill';
const TARGETS = ['≤200 MB peak RSS'];

export async function row6(p: Profile['row6'], log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const missing = missingParts(['emulator', 'server', 'cli']);
  if (missing) return notRun(6, TITLE, missing, TARGETS);
  if (process.platform !== 'linux') return notRun(6, TITLE, 'needs /proc (Linux)', TARGETS);
  const budget = await rateBudgetSetting();
  const emu = await startEmulatorChild({ activities: p.n });
  try {
    const s = await freshSession(emu.url, budget ? budget.flags(100_000) : [], budget ? budget.env(100_000) : {});
    try {
      const atStart = await peakRssMiB(s.service.pid);
      const before = await emu.stats();
      const run = await cliSyncWait(s.env, p.timeoutMs);
      const after = await emu.stats();
      const peak = await peakRssMiB(s.service.pid);
      if (peak === undefined) throw new Error(`cannot read /proc/${s.service.pid}/status`);
      const mb = (peak * 1024 * 1024) / 1e6;
      log(`  row 6: peak RSS ${fmt(peak)} MiB after ${run.job.processed_items ?? '?'} activities in ${fmt(run.ms / 1000)} s`);
      const notes = [
        `One run (a peak is a maximum, not a typical value; the full run does one backfill of ${p.n}).`,
        `Processed ${run.job.processed_items ?? 'unknown'} of ${p.n} activities (status ${run.job.status ?? 'unknown'}) in ${fmt(run.ms / 1000)} s, ${requestsBetween(before, after)} upstream requests.`,
      ];
      return {
        id: 6,
        title: TITLE,
        params: `N = ${p.n} activities with FIT, emulator without added latency, ${budget ? 'budget set never to bind' : 'no budget setting'}, service defaults otherwise.`,
        figures: [
          { label: 'service VmHWM after the backfill', unit: 'MiB', values: [peak] },
          ...(atStart !== undefined ? [{ label: 'service VmHWM after start-up and login', unit: 'MiB', values: [atStart] }] : []),
          { label: 'backfill wall time', unit: 's', values: [run.ms / 1000] },
          { label: 'backfill throughput', unit: 'activities/s', values: [p.n / (run.ms / 1000)] },
        ],
        targets: [{ text: TARGETS[0] as string, measured: `${fmt(mb)} MB (${fmt(peak)} MiB)`, met: mb <= 200 }],
        notes,
        wallMs: Date.now() - t0,
      };
    } finally {
      await s.service.stop();
    }
  } finally {
    await emu.stop();
  }
}
