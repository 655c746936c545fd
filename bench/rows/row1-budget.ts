// Row 1: a 2,000-activity backfill at 200 ms upstream latency under a 20 requests/s budget, our
// service end to end vs the sequential baseline, side by side on one emulator. When the service
// has no budget setting, the budget variant is "not run" and the same comparison runs at the
// service's defaults (its built-in budget) on a smaller N, so the row still says where we stand.
import { baselineBackfill, baselineLogin } from '../lib/baseline-client.js';
import { cliSyncWait } from '../lib/cli.js';
import { ACCOUNT, requestsBetween, startEmulatorChild } from '../lib/emulator.js';
import { missingParts, tempDir } from '../lib/paths.js';
import type { Profile } from '../lib/profile.js';
import { notRun, type RowResult, type Target } from '../lib/result.js';
import { builtInBudget, concurrencySetting, rateBudgetSetting } from '../lib/service.js';
import { freshSession } from '../lib/session.js';
import { fmt, pairedRatios, summarize } from '../lib/stats.js';

const TITLE = 'Backfill with FIT under a rate budget: our service vs a sequential baseline';
const TARGETS = ['≥3.5× faster than the baseline (budget 20 requests/s)', '≤1.05× the budget bound (N + N/100)/budget'];

interface Variant {
  n: number;
  flags: string[];
  env: NodeJS.ProcessEnv;
  /** Requests/s the service is held to, when known. */
  rate: number | undefined;
  describe: string;
}

export async function row1(p: Profile['row1'], log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const missing = missingParts(['emulator', 'server', 'cli']);
  if (missing) return notRun(1, TITLE, missing, TARGETS);
  const setting = await rateBudgetSetting();
  const builtIn = setting ? undefined : await builtInBudget();
  const v: Variant = setting
    ? {
        n: p.n,
        flags: setting.flags(p.budget),
        env: setting.env(p.budget),
        rate: p.budget,
        describe: `our budget ${p.budget} requests/s (${setting.describe})`,
      }
    : {
        n: p.defaultN,
        flags: [],
        env: {},
        rate: builtIn,
        describe: `service defaults: the service has no budget setting, so its built-in per-account budget applies (${builtIn ?? 'unknown'} requests/s, the token bucket default in src/sync/rate-limiter.ts)`,
      };

  const emu = await startEmulatorChild({ activities: v.n, latencyMs: p.latencyMs });
  try {
    const token = await baselineLogin(emu.url, ACCOUNT.email, ACCOUNT.password);
    const ours: number[] = [];
    const oursReq: number[] = [];
    const baseMs: number[] = [];
    const baseReq: number[] = [];
    const baseProjected: number[] = [];
    const notes: string[] = [];
    const baselineN = Math.min(p.baselineN, v.n);
    const reps = Math.max(p.reps, p.baselineReps);
    // Interleaved: baseline run i, then our run i, so slow drifts of the machine hit both.
    for (let i = 0; i < reps; i++) {
      if (i < p.baselineReps) {
        const dir = await tempDir('baseline');
        const before = await emu.stats();
        const b = await baselineBackfill(emu.url, token, dir, 100, baselineN);
        const after = await emu.stats();
        baseMs.push(b.ms / 1000);
        baseReq.push(requestsBetween(before, after));
        // Strictly sequential: time = per-request time × requests; at N it makes 2N + ⌈N/100⌉.
        baseProjected.push((b.ms / 1000 / b.requests) * (2 * v.n + Math.ceil(v.n / 100)));
        log(`  row 1 rep ${i + 1}: baseline ${b.activities} activities in ${fmt(b.ms / 1000)} s (${b.requests} requests)`);
      }
      if (i < p.reps) {
        const s = await freshSession(emu.url, v.flags, v.env);
        try {
          const before = await emu.stats();
          const run = await cliSyncWait(s.env, p.timeoutMs);
          const after = await emu.stats();
          ours.push(run.ms / 1000);
          oursReq.push(requestsBetween(before, after));
          if (run.job.processed_items !== undefined && run.job.processed_items !== v.n) {
            notes.push(`rep ${i + 1}: the job processed ${run.job.processed_items} of ${v.n} activities (status ${run.job.status}).`);
          }
          log(`  row 1 rep ${i + 1}: ours ${fmt(run.ms / 1000)} s (${requestsBetween(before, after)} upstream requests)`);
        } finally {
          await s.service.stop();
        }
      }
    }
    // Variant: the same budget with more items in flight. At the default concurrency and 200 ms
    // latency the service cannot have more than concurrency / latency requests per second in
    // flight, which is exactly a 20/s budget at concurrency 4, so the budget never binds alone.
    const conc = setting ? await concurrencySetting() : undefined;
    const variant: number[] = [];
    if (setting && conc && p.variantReps > 0) {
      for (let i = 0; i < p.variantReps; i++) {
        const s = await freshSession(emu.url, [...v.flags, ...conc.flags(p.variantConcurrency)], {
          ...v.env,
          ...conc.env(p.variantConcurrency),
        });
        try {
          const run = await cliSyncWait(s.env, p.timeoutMs);
          variant.push(run.ms / 1000);
          log(`  row 1 variant --concurrency ${p.variantConcurrency} rep ${i + 1}: ${fmt(run.ms / 1000)} s`);
        } finally {
          await s.service.stop();
        }
      }
    }
    const ratios = pairedRatios(baseProjected, ours);
    const ratioMed = summarize(ratios).median;
    const bound = v.rate ? (v.n + v.n / 100) / v.rate : undefined;
    const overBound = bound ? ours.map((t) => t / bound) : [];
    const overMed = summarize(overBound).median;
    const rate = ours.map((t, i) => (oursReq[i] ?? 0) / t);

    const targets: Target[] = setting
      ? [
          { text: TARGETS[0] as string, measured: `${fmt(ratioMed)}×`, met: ratioMed >= 3.5 },
          { text: TARGETS[1] as string, measured: `${fmt(overMed)}×`, met: overMed <= 1.05 },
        ]
      : [
          { text: TARGETS[0] as string, measured: 'not run: the service has no budget setting', met: undefined },
          { text: TARGETS[1] as string, measured: 'not run: the service has no budget setting', met: undefined },
          {
            text: `≥3.5× faster than the baseline, at the service's built-in budget (${builtIn ?? '?'} requests/s), N = ${v.n}`,
            measured: `${fmt(ratioMed)}×`,
            met: ratioMed >= 3.5,
          },
          ...(bound
            ? [
                {
                  text: `≤1.05× the bound (N + N/100)/${builtIn} at the built-in budget`,
                  measured: `${fmt(overMed)}×`,
                  met: overMed <= 1.05,
                },
              ]
            : []),
        ];
    return {
      id: 1,
      title: TITLE,
      params: `N = ${v.n} activities with FIT, emulator latency ${p.latencyMs} ms, ${v.describe}, other settings at their defaults; ours ${p.reps} runs (fresh service and data dir each), baseline ${p.baselineReps} runs on the newest ${baselineN} activities${variant.length > 0 ? `; variant with \`--concurrency ${p.variantConcurrency}\`, ${variant.length} runs` : ''}.`,
      figures: [
        { label: 'ours: `sync start --wait`, wall time', unit: 's', values: ours },
        { label: 'ours: upstream requests', unit: 'requests', values: oursReq, note: 'emulator stats' },
        { label: 'ours: upstream request rate', unit: 'requests/s', values: rate },
        { label: `baseline: ${baselineN} activities, wall time`, unit: 's', values: baseMs },
        { label: `baseline: ${baselineN} activities, upstream requests`, unit: 'requests', values: baseReq, note: 'emulator stats' },
        { label: `baseline: projected to N = ${v.n}`, unit: 's', values: baseProjected, note: 'per-request time × (2N + N/100)' },
        { label: 'speed-up: baseline (projected) / ours', unit: '×', values: ratios },
        ...(bound ? [{ label: `ours / bound (bound = ${fmt(bound)} s)`, unit: '×', values: overBound }] : []),
        ...(variant.length > 0
          ? [
              { label: `variant \`--concurrency ${p.variantConcurrency}\`: wall time`, unit: 's', values: variant },
              ...(bound
                ? [
                    {
                      label: `variant \`--concurrency ${p.variantConcurrency}\`: ours / bound`,
                      unit: '×',
                      values: variant.map((t) => t / bound),
                    },
                  ]
                : []),
              {
                label: `variant \`--concurrency ${p.variantConcurrency}\`: speed-up vs baseline (projected)`,
                unit: '×',
                values: [summarize(baseProjected).median / summarize(variant).median],
                note: 'ratio of medians',
              },
            ]
          : []),
      ],
      targets,
      notes: [
        ...(setting
          ? []
          : [
              `Not run as specified: the service offers no per-account rate budget setting (no flag or GARMINSYNC_* variable in src/server), so "budget 20 requests/s, N = ${p.n}" cannot be configured; at the built-in rate N = ${p.n} would take about ${fmt((p.n * 1.01) / (builtIn ?? 5) / 60)} min per run.`,
            ]),
        `The baseline is strictly sequential (one request at a time, no sleeps: list pages, then detail + FIT per activity), so its time is linear in its request count; it is timed on the newest ${baselineN} activities and projected to N from its measured per-request time (about ${fmt(summarize(baseProjected).median / 60)} min per run at N = ${v.n}).`,
        ...notes,
      ],
      wallMs: Date.now() - t0,
    };
  } finally {
    await emu.stop();
  }
}
