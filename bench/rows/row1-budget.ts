// Row 1: a 2,000-activity backfill at 200 ms upstream latency under a 20 requests/s budget, our
// service end to end vs the sequential baseline, side by side on one emulator.
import { baselineBackfill, baselineLogin } from '../lib/baseline-client.js';
import { cliSyncWait } from '../lib/cli.js';
import { ACCOUNT, requestsBetween, startEmulatorChild } from '../lib/emulator.js';
import { missingParts, tempDir } from '../lib/paths.js';
import type { Profile } from '../lib/profile.js';
import { notRun, type RowResult } from '../lib/result.js';
import { rateBudgetSetting } from '../lib/service.js';
import { freshSession } from '../lib/session.js';
import { fmt, pairedRatios, summarize } from '../lib/stats.js';

const TITLE = 'Backfill with FIT under a rate budget: our service vs a sequential baseline';
const TARGETS = ['≥3.5× faster than the baseline', '≤1.2× the budget bound (N + N/100)/budget'];

export async function row1(p: Profile['row1'], log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const missing = missingParts(['emulator', 'server', 'cli']);
  if (missing) return notRun(1, TITLE, missing, TARGETS);
  const budget = await rateBudgetSetting();
  if (!budget) return notRun(1, TITLE, 'the service has no per-account rate budget setting (no flag or env found in src/server/main.ts)', TARGETS);

  const emu = await startEmulatorChild({ activities: p.n, latencyMs: p.latencyMs });
  try {
    const token = await baselineLogin(emu.url, ACCOUNT.email, ACCOUNT.password);
    const ours: number[] = [];
    const oursReq: number[] = [];
    const baseMs: number[] = [];
    const baseReq: number[] = [];
    const baseProjected: number[] = [];
    const notes: string[] = [];
    const reps = Math.max(p.reps, p.baselineReps);
    for (let i = 0; i < reps; i++) {
      if (i < p.baselineReps) {
        // The baseline on the first baselineN activities: same emulator, same latency.
        const dir = await tempDir('baseline');
        const before = await emu.stats();
        const b = await baselineBackfill(emu.url, token, dir, 100, p.baselineN);
        const after = await emu.stats();
        baseMs.push(b.ms / 1000);
        baseReq.push(requestsBetween(before, after));
        // Strictly sequential: time is per-request time × requests; at N it makes 2N + ⌈N/100⌉.
        const perRequest = b.ms / 1000 / b.requests;
        baseProjected.push(perRequest * (2 * p.n + Math.ceil(p.n / 100)));
        log(`  row 1 rep ${i + 1}: baseline ${b.activities} activities in ${fmt(b.ms / 1000)} s (${b.requests} requests)`);
      }
      if (i < p.reps) {
        const s = await freshSession(emu.url, budget.flags(p.budget), budget.env(p.budget));
        try {
          const before = await emu.stats();
          const run = await cliSyncWait(s.env, p.timeoutMs);
          const after = await emu.stats();
          ours.push(run.ms / 1000);
          oursReq.push(requestsBetween(before, after));
          if (run.job.processed_items !== undefined && run.job.processed_items !== p.n) {
            notes.push(`rep ${i + 1}: the job processed ${run.job.processed_items} of ${p.n} activities (status ${run.job.status}).`);
          }
          log(`  row 1 rep ${i + 1}: ours ${fmt(run.ms / 1000)} s (${requestsBetween(before, after)} upstream requests)`);
        } finally {
          await s.service.stop();
        }
      }
    }
    const bound = (p.n + p.n / 100) / p.budget;
    const ratios = pairedRatios(baseProjected, ours);
    const overBound = ours.map((t) => t / bound);
    const ratioMed = summarize(ratios).median;
    const overMed = summarize(overBound).median;
    return {
      id: 1,
      title: TITLE,
      params: `N = ${p.n} activities with FIT, emulator latency ${p.latencyMs} ms, our budget ${p.budget} requests/s (${budget.describe}); ours ${p.reps} runs, baseline ${p.baselineReps} runs on the first ${p.baselineN} activities.`,
      figures: [
        { label: 'ours: `sync start --wait`, wall time', unit: 's', values: ours },
        { label: 'ours: upstream requests', unit: 'requests', values: oursReq, note: 'emulator stats' },
        { label: `baseline: ${p.baselineN} activities, wall time`, unit: 's', values: baseMs },
        { label: `baseline: ${p.baselineN} activities, upstream requests`, unit: 'requests', values: baseReq, note: 'emulator stats' },
        { label: `baseline: projected to N = ${p.n}`, unit: 's', values: baseProjected, note: 'per-request time × (2N + N/100)' },
        { label: 'speed-up: baseline (projected) / ours', unit: '×', values: ratios },
        { label: `ours / bound (bound = ${fmt(bound)} s)`, unit: '×', values: overBound },
      ],
      targets: [
        { text: TARGETS[0] as string, measured: `${fmt(ratioMed)}×`, met: ratioMed >= 3.5 },
        { text: TARGETS[1] as string, measured: `${fmt(overMed)}×`, met: overMed <= 1.2 },
      ],
      notes: [
        `The baseline is strictly sequential (one request at a time, no sleeps), so its time is linear in the request count; it is timed on ${p.baselineN} activities and projected to N from its measured per-request time. Running it on all ${p.n} would take about ${fmt(summarize(baseProjected).median / 60)} min per run.`,
        ...notes,
      ],
      wallMs: Date.now() - t0,
    };
  } finally {
    await emu.stop();
  }
}

