// Row 2: the same backfill without a budget at per-job concurrency 1, 4, 8 and 16: throughput
// and upstream requests.
import { cliSyncWait } from '../lib/cli.js';
import { requestsBetween, startEmulatorChild } from '../lib/emulator.js';
import { missingParts } from '../lib/paths.js';
import type { Profile } from '../lib/profile.js';
import { notRun, type Figure, type RowResult } from '../lib/result.js';
import { builtInBudget, concurrencySetting, rateBudgetSetting } from '../lib/service.js';
import { freshSession } from '../lib/session.js';
import { fmt, summarize } from '../lib/stats.js';

const TITLE = 'Backfill without a budget at concurrency 1, 4, 8, 16';

/** A budget high enough never to bind here (16 × 5 requests/s at 200 ms), yet a plausible value. */
const UNBOUNDED_BUDGET = 1000;

export async function row2(p: Profile['row2'], log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const missing = missingParts(['emulator', 'server', 'cli']);
  if (missing) return notRun(2, TITLE, missing);
  const conc = await concurrencySetting();
  if (!conc) return notRun(2, TITLE, 'the service has no per-job concurrency setting (no flag or env found in src/server/main.ts)');
  const budget = await rateBudgetSetting();
  const builtIn = budget ? undefined : await builtInBudget();

  const emu = await startEmulatorChild({ activities: p.n, latencyMs: p.latencyMs });
  const figures: Figure[] = [];
  const notes: string[] = [];
  try {
    for (const c of p.concurrency) {
      const thr: number[] = [];
      const req: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < p.reps; i++) {
        const flags = [...conc.flags(c), ...(budget ? budget.flags(UNBOUNDED_BUDGET) : [])];
        const env = { ...conc.env(c), ...(budget ? budget.env(UNBOUNDED_BUDGET) : {}) };
        const s = await freshSession(emu.url, flags, env);
        try {
          const before = await emu.stats();
          const run = await cliSyncWait(s.env, p.timeoutMs);
          const after = await emu.stats();
          wall.push(run.ms / 1000);
          thr.push(p.n / (run.ms / 1000));
          req.push(requestsBetween(before, after));
          if (run.job.processed_items !== undefined && run.job.processed_items !== p.n) {
            notes.push(
              `concurrency ${c}, rep ${i + 1}: the job processed ${run.job.processed_items} of ${p.n} (status ${run.job.status}).`,
            );
          }
          log(`  row 2 c=${c} rep ${i + 1}: ${fmt(run.ms / 1000)} s, ${requestsBetween(before, after)} upstream requests`);
        } finally {
          await s.service.stop();
        }
      }
      figures.push(
        { label: `concurrency ${c}: throughput`, unit: 'activities/s', values: thr },
        { label: `concurrency ${c}: wall time`, unit: 's', values: wall },
        { label: `concurrency ${c}: upstream requests`, unit: 'requests', values: req, note: 'emulator stats' },
      );
    }
    const first = figures[0];
    const last = figures[figures.length - 3];
    if (first && last && p.concurrency.length > 1) {
      notes.unshift(
        `Scaling from concurrency ${p.concurrency[0]} to ${p.concurrency[p.concurrency.length - 1]}: ${fmt(summarize(last.values).median / summarize(first.values).median)}× the throughput (ideal at ${p.latencyMs} ms latency: ${p.concurrency[p.concurrency.length - 1]}×).`,
      );
    }
    if (!budget) {
      notes.push(
        `"Without a budget" cannot be configured: the service has no budget setting, so its built-in ${builtIn ?? '?'} requests/s per account caps every concurrency level (ideal throughput then ≈ ${builtIn ?? '?'} activities/s, one FIT request each).`,
      );
    }
    return {
      id: 2,
      title: TITLE,
      params: `N = ${p.n} activities with FIT, emulator latency ${p.latencyMs} ms, ${budget ? `budget set to ${UNBOUNDED_BUDGET} requests/s (never binds)` : `no budget setting: the service's built-in budget (${builtIn ?? '?'} requests/s) applies`}, concurrency via ${conc.describe}, ${p.reps} runs each (fresh service and data dir each).`,
      figures,
      targets: [],
      notes,
      wallMs: Date.now() - t0,
    };
  } finally {
    await emu.stop();
  }
}
