// Row 6: peak resident memory of the service process during a large backfill: VmHWM from
// /proc/<pid>/status, read when the job completes (or when the time window ends) and before the
// process is stopped. The window keeps the row bounded when the service's budget makes a
// 10,000-activity backfill take longer than a bench can wait; the listing phase, which holds
// every summary, is then complete and the FIT phase partly done — the row says how far it got.
import { cli, cliAccessToken, parseJob } from '../lib/cli.js';
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

interface JobView {
  status?: string;
  processed_items?: number;
  total_items?: number | null;
}

export async function row6(p: Profile['row6'], log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const missing = missingParts(['emulator', 'server', 'cli']);
  if (missing) return notRun(6, TITLE, missing, TARGETS);
  if (process.platform !== 'linux') return notRun(6, TITLE, 'needs /proc (Linux)', TARGETS);
  const budget = await rateBudgetSetting();
  const emu = await startEmulatorChild({ activities: p.n });
  try {
    const s = await freshSession(emu.url, budget ? budget.flags(1000) : [], budget ? budget.env(1000) : {});
    try {
      const atStart = await peakRssMiB(s.service.pid);
      const before = await emu.stats();
      const run = await cli(s.env, ['sync', 'start', '--type', 'activities', '--wait', '--json'], { timeoutMs: p.windowMs });
      const peak = await peakRssMiB(s.service.pid);
      const after = await emu.stats();
      if (peak === undefined) throw new Error(`cannot read /proc/${s.service.pid}/status`);
      let job: JobView = parseJob(run.stdout);
      if (run.timedOut) job = await latestJob(s.service.url, await cliAccessToken(s.env, s.configDir));
      const secs = run.ms / 1000;
      const mb = (peak * 1024 * 1024) / 1e6;
      const done = !run.timedOut && job.status === 'completed';
      log(
        `  row 6: peak RSS ${fmt(peak)} MiB; ${job.processed_items ?? '?'} of ${p.n} activities after ${fmt(secs)} s${done ? '' : ' (window ended)'}`,
      );
      const notes = [
        done
          ? `The backfill completed: ${job.processed_items ?? '?'} of ${p.n} activities in ${fmt(secs)} s, ${requestsBetween(before, after)} upstream requests.`
          : `The backfill did not finish within the ${fmt(p.windowMs / 1000)} s window (status ${job.status ?? 'unknown'}): ${job.processed_items ?? '?'} of ${job.total_items ?? '?'} activities stored, ${requestsBetween(before, after)} upstream requests; the peak is for that part (the full listing, which holds every summary, plus the FITs stored so far).`,
        'One run: a peak is a maximum, not a typical value.',
      ];
      return {
        id: 6,
        title: TITLE,
        params: `N = ${p.n} activities with FIT, emulator without added latency, ${budget ? 'budget set never to bind' : "the service's built-in budget (no setting)"}, service defaults otherwise; window ${fmt(p.windowMs / 1000)} s.`,
        figures: [
          { label: 'service VmHWM at the end', unit: 'MiB', values: [peak] },
          ...(atStart !== undefined ? [{ label: 'service VmHWM after start-up and login', unit: 'MiB', values: [atStart] }] : []),
          { label: 'activities stored', unit: 'activities', values: [job.processed_items ?? Number.NaN] },
          { label: 'throughput', unit: 'activities/s', values: [(job.processed_items ?? Number.NaN) / secs] },
        ],
        targets: [
          {
            text: `${TARGETS[0] as string}${done ? '' : ' (partial backfill)'}`,
            measured: `${fmt(mb)} MB (${fmt(peak)} MiB)`,
            met: mb <= 200,
          },
        ],
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

async function latestJob(serviceUrl: string, token: string): Promise<JobView> {
  const res = await fetch(`${serviceUrl}/api/v1/sync/jobs?sync_type=activities&limit=1`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return {};
  const list = (await res.json()) as { items?: JobView[] };
  return list.items?.[0] ?? {};
}
