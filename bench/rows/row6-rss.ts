// Row 6: peak resident memory of the service process during a backfill, at two sizes (issue 17:
// ≤150 MB, and flat — the larger backfill within 10 % of the smaller). VmHWM from
// /proc/<pid>/status, read when the job completes (or when the time window ends) and before the
// process is stopped; a fresh service per size, so each peak is that backfill's own. The GC probe
// (bench/lib/gc-probe.mjs) records the service's old-generation collections during the backfill.
import path from 'node:path';
import { cli, cliAccessToken, parseJob } from '../lib/cli.js';
import { requestsBetween, startEmulatorChild } from '../lib/emulator.js';
import { gcMark, gcProbe, gcSince, type GcSummary } from '../lib/gc.js';
import { missingParts, tempDir } from '../lib/paths.js';
import { peakRssMiB, statusMiB } from '../lib/proc.js';
import type { Profile } from '../lib/profile.js';
import { notRun, type Figure, type RowResult } from '../lib/result.js';
import { rateBudgetSetting } from '../lib/service.js';
import { freshSession } from '../lib/session.js';
import { fmt, summarize } from '../lib/stats.js';

const TITLE = 'Peak RSS of the service during a backfill, and how it grows with N';
const TARGETS = ['≤150 MB peak RSS', 'flat: the larger backfill within 10 % of the smaller'];

interface JobView {
  status?: string;
  processed_items?: number;
  total_items?: number | null;
}

interface Measured {
  n: number;
  peakMiB: number;
  startMiB: number | undefined;
  /** Resident file-backed pages at the end (RssFile): Node's binary and the shared libraries, mapped. */
  fileMiB: number | undefined;
  job: JobView;
  done: boolean;
  secs: number;
  requests: number;
  gc: GcSummary;
}

/**
 * The diagnostic: the larger backfill again with V8's young generation held to 1 MiB semi-spaces
 * (it grows to 16 MiB ones under start-up otherwise). V8 takes the flag only at process start, so
 * it is an operator's NODE_OPTIONS, not something the service can set for itself.
 */
const SMALL_YOUNG_GENERATION = ['--max-semi-space-size=1'];

async function measure(n: number, windowMs: number, nodeFlags: string[] = []): Promise<Measured> {
  const budget = await rateBudgetSetting();
  const emu = await startEmulatorChild({ activities: n });
  try {
    const gcFile = path.join(await tempDir('gc'), 'gc.jsonl');
    const probe = gcProbe(gcFile);
    const s = await freshSession(emu.url, budget ? budget.flags(1000) : [], { ...(budget ? budget.env(1000) : {}), ...probe.env }, [
      ...probe.nodeFlags,
      ...nodeFlags,
    ]);
    try {
      const startMiB = await peakRssMiB(s.service.pid);
      const mark = await gcMark(gcFile);
      const before = await emu.stats();
      const run = await cli(s.env, ['sync', 'start', '--type', 'activities', '--wait', '--json'], { timeoutMs: windowMs });
      const peak = await peakRssMiB(s.service.pid);
      const fileMiB = await statusMiB(s.service.pid, 'RssFile');
      const gc = await gcSince(gcFile, mark);
      const after = await emu.stats();
      if (peak === undefined) throw new Error(`cannot read /proc/${s.service.pid}/status`);
      let job: JobView = parseJob(run.stdout);
      if (run.timedOut) job = await latestJob(s.service.url, await cliAccessToken(s.env, s.configDir));
      const done = !run.timedOut && job.status === 'completed';
      return { n, peakMiB: peak, startMiB, fileMiB, job, done, secs: run.ms / 1000, requests: requestsBetween(before, after), gc };
    } finally {
      await s.service.stop();
    }
  } finally {
    await emu.stop();
  }
}

const mb = (mib: number): number => (mib * 1024 * 1024) / 1e6;

export async function row6(p: Profile['row6'], log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const missing = missingParts(['emulator', 'server', 'cli']);
  if (missing) return notRun(6, TITLE, missing, TARGETS);
  if (process.platform !== 'linux') return notRun(6, TITLE, 'needs /proc (Linux)', TARGETS);
  const largest = p.sizes[p.sizes.length - 1] as number;
  const runs = new Map<number, Measured[]>(p.sizes.map((n) => [n, []]));
  const young: Measured[] = [];
  // The sizes and the diagnostic alternate within each repetition, so that a slow spell of the
  // machine falls on all of them.
  for (let rep = 0; rep < p.reps; rep++) {
    for (const n of p.sizes) {
      const m = await measure(n, p.windowMs);
      runs.get(n)!.push(m);
      log(
        `  row 6: N = ${n}: peak RSS ${fmt(m.peakMiB)} MiB; ${m.job.processed_items ?? '?'} activities after ${fmt(m.secs)} s${m.done ? '' : ' (window ended)'}`,
      );
    }
    const y = await measure(largest, p.windowMs, SMALL_YOUNG_GENERATION);
    young.push(y);
    log(
      `  row 6: N = ${largest} with ${SMALL_YOUNG_GENERATION.join(' ')}: peak RSS ${fmt(y.peakMiB)} MiB; ${y.job.processed_items ?? '?'} activities after ${fmt(y.secs)} s`,
    );
  }
  const figures: Figure[] = [];
  const notes: string[] = [];
  const throughput = (m: Measured) => (m.job.processed_items ?? Number.NaN) / m.secs;
  const defined = (v: (number | undefined)[]) => v.filter((x): x is number => x !== undefined);
  const median = (v: number[]) => summarize(v).median;
  const peaks = (n: number) => runs.get(n)!.map((m) => m.peakMiB);
  const describeRuns = (label: string, ms: Measured[]) => {
    for (const m of ms)
      if (!m.done)
        notes.push(
          `${label}: a backfill did not finish within the ${fmt(p.windowMs / 1000)} s window (status ${m.job.status ?? 'unknown'}, ${m.job.processed_items ?? '?'} of ${m.job.total_items ?? '?'} stored); its peak is for that part.`,
        );
    const done = ms.filter((m) => m.done);
    if (done.length > 0)
      notes.push(
        `${label}: ${done.length} of ${ms.length} backfills completed (${done[0]!.job.processed_items ?? '?'} activities each in ${done.map((m) => fmt(m.secs)).join(', ')} s; ${done[0]!.requests} upstream requests in the first).`,
      );
  };
  for (const n of p.sizes) {
    const ms = runs.get(n)!;
    figures.push({ label: `N = ${n}: service VmHWM at the end`, unit: 'MiB', values: peaks(n) });
    const starts = defined(ms.map((m) => m.startMiB));
    if (starts.length > 0) figures.push({ label: `N = ${n}: service VmHWM after start-up and login`, unit: 'MiB', values: starts });
    const files = defined(ms.map((m) => m.fileMiB));
    if (files.length > 0)
      figures.push({
        label: `N = ${n}: of the resident memory at the end, file-backed (Node's binary, libraries)`,
        unit: 'MiB',
        values: files,
      });
    figures.push({ label: `N = ${n}: throughput`, unit: 'activities/s', values: ms.map(throughput) });
    figures.push({
      label: `N = ${n}: old-generation GCs (mark-compact) during the backfill`,
      unit: 'GCs',
      values: ms.map((m) => m.gc.majors),
    });
    const firstMark = defined(ms.map((m) => m.gc.heapAtFirstMarkMiB));
    if (firstMark.length > 0) figures.push({ label: `N = ${n}: V8 heap used when it first began marking`, unit: 'MiB', values: firstMark });
    const live = defined(ms.map((m) => m.gc.liveAfterMiB));
    if (live.length > 0) figures.push({ label: `N = ${n}: V8 heap used after the last mark-compact`, unit: 'MiB', values: live });
    describeRuns(`N = ${n}`, ms);
  }
  const youngLabel = `diagnostic: N = ${largest} with \`${SMALL_YOUNG_GENERATION.join(' ')}\``;
  figures.push({ label: `${youngLabel}: service VmHWM at the end`, unit: 'MiB', values: young.map((m) => m.peakMiB) });
  const youngStarts = defined(young.map((m) => m.startMiB));
  if (youngStarts.length > 0)
    figures.push({ label: `${youngLabel}: service VmHWM after start-up and login`, unit: 'MiB', values: youngStarts });
  figures.push({ label: `${youngLabel}: throughput`, unit: 'activities/s', values: young.map(throughput) });
  describeRuns('The diagnostic', young);
  const small = p.sizes[0] as number;
  const smallPeak = median(peaks(small));
  const largePeak = median(peaks(largest));
  const growth = largePeak / smallPeak;
  figures.push({ label: `VmHWM N = ${largest} / N = ${small}`, unit: '×', values: [growth], note: 'medians' });
  notes.push(
    `${p.reps} run${p.reps === 1 ? '' : 's'} per size, each in a fresh service: a peak is a maximum, so its spread is shown; the targets take the medians.`,
  );
  const largeRuns = runs.get(largest)!;
  const majors = (n: number) => median(runs.get(n)!.map((m) => m.gc.majors));
  const firstMark = defined(largeRuns.map((m) => m.gc.heapAtFirstMarkMiB));
  const live = defined(largeRuns.map((m) => m.gc.liveAfterMiB));
  if (growth > 1.1 && majors(small) === 0 && majors(largest) > 0 && firstMark.length > 0)
    notes.push(
      `What bounds the flatness (measured above): V8 ran no old-generation collection during the N = ${small} backfills and ${fmt(majors(largest))} (median) during N = ${largest}; it let the heap grow to ${fmt(median(firstMark))} MiB used before the first${live.length > 0 ? `, and ${fmt(median(live))} MiB were live after the last` : ''}. The larger peak is garbage awaiting V8's first mark-compact, which the smaller backfill finishes before, not data the service keeps. What would move it: less allocation per item, or a smaller heap limit for the service.`,
    );
  const youngPeaks = young.map((m) => m.peakMiB);
  const youngNote = `With V8's young generation held to 1 MiB semi-spaces (the diagnostic; V8 takes that only at process start, so it is the operator's NODE_OPTIONS) the N = ${largest} peaks were ${youngPeaks.map(fmt).join(', ')} MiB against ${peaks(largest).map(fmt).join(', ')} MiB at the default, at ${fmt(median(young.map(throughput)))} vs ${fmt(median(largeRuns.map(throughput)))} activities/s (medians); on 2026-12-04 such runs were bimodal (145, 146 and 172 MiB against 170–171, bench/findings.md): a smaller young generation sometimes avoids the peak and is no dependable way under 150 MB.`;
  const startMedian = defined(largeRuns.map((m) => m.startMiB));
  const largeFiles = defined(largeRuns.map((m) => m.fileMiB));
  const fileNote =
    largeFiles.length > 0
      ? ` (${fmt(median(largeFiles))} MiB of the resident memory is file-backed: Node's binary and libraries, mapped)`
      : '';
  if (mb(largePeak) > 150 && startMedian.length > 0)
    notes.push(
      `What bounds the peak (measured above): ${fmt(median(startMedian))} MiB of it is there after start-up and one login, before any sync${fileNote} — Node itself, the loaded modules and a young generation that start-up grows to its 32 MiB maximum; a sampler showed the live heap flat at 33–35 MiB through a 5,000 backfill (bench/findings.md, row 6). The bundle's source is held at one byte per character since the session of 2026-12-03, fifth (it was UTF-16: −4.6 MiB of heap, and the N = 5,000 peak 205 → 183 MiB side by side). pg and @garmin/fitsdk are loaded on first use since then too (N = 5,000 peak 185 → 172 MiB side by side). At the peak (a sampler, bench/findings.md, row 6, fifth session) the old generation is full of promoted garbage awaiting V8's first mark-compact, with the Buffers that garbage still holds. ${youngNote} What would move it: fewer per-item objects and Buffers surviving two scavenges (a shorter life for each download between its arrival and its write), and a smaller old-generation limit, which V8 takes only at process start.`,
    );
  const allDone = largeRuns.every((m) => m.done);
  return {
    id: 6,
    title: TITLE,
    params: `N = ${p.sizes.join(' and ')} activities with FIT, emulator without added latency, budget set never to bind, service defaults otherwise; ${p.reps} run${p.reps === 1 ? '' : 's'} per size and of the diagnostic, alternating; window ${fmt(p.windowMs / 1000)} s per run.`,
    figures,
    targets: [
      {
        text: `${TARGETS[0] as string} (N = ${largest}${allDone ? '' : ', partial backfill'})`,
        measured: `${fmt(mb(largePeak))} MB (${fmt(largePeak)} MiB)`,
        met: mb(largePeak) <= 150,
      },
      { text: TARGETS[1] as string, measured: `${fmt(growth)}×`, met: growth <= 1.1 },
    ],
    notes,
    wallMs: Date.now() - t0,
  };
}

async function latestJob(serviceUrl: string, token: string): Promise<JobView> {
  const res = await fetch(`${serviceUrl}/api/v1/sync/jobs?sync_type=activities&limit=1`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return {};
  const list = (await res.json()) as { items?: JobView[] };
  return list.items?.[0] ?? {};
}
