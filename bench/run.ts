// `npm run bench [-- --quick] [--rows 1,3 [--update]] [--out FILE]`: runs the benchmark rows of
// issue 8 against the built system (dist/), prints the results as Markdown and writes them to
// docs/benchmarks.md (full run, or --rows … --update: those rows replace the published ones) or
// .tmp/benchmarks-quick.md (--quick).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine.js';
import { cleanupTemps, missingParts, ROOT } from './lib/paths.js';
import { killAll } from './lib/proc.js';
import { FULL, QUICK } from './lib/profile.js';
import { renderReport, type ReportInput } from './lib/report.js';
import { notRun, type Provenance, type RowResult } from './lib/result.js';
import { row1 } from './rows/row1-budget.js';
import { row2 } from './rows/row2-concurrency.js';
import { ROW3_TARGETS, ROW3_TITLE, row3 } from './rows/row3-noop.js';
import { ROW4_TARGETS, ROW4_TITLE, row4 } from './rows/row4-cold-start.js';
import { ROW5_TARGETS, ROW5_TITLE, row5 } from './rows/row5-api.js';
import { row6 } from './rows/row6-rss.js';
import { row7 } from './rows/row7-postgres.js';
import { row8 } from './rows/row8-cpu.js';
import { ROW9_TITLE, row9 } from './rows/row9-archive.js';
import { ROW10_TARGETS, ROW10_TITLE, row10 } from './rows/row10-export.js';
import { startFixture, type Fixture } from './rows/shared-fixture.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: 'boolean', default: false },
    rows: { type: 'string' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    /** Re-render a saved run (its JSON) with the current bench/findings.md; runs nothing. */
    render: { type: 'string' },
    /** With --rows (full profile): put the rows measured now into the published page and its raw
     * results (bench/results/full.json), replacing the same rows of the last full run. */
    update: { type: 'boolean', default: false },
  },
});
const profile = values.quick ? QUICK : FULL;
if (values.update && (values.quick || !values.rows || values.out || values['no-write'])) {
  process.stderr.write('bench: --update goes with --rows and the full profile (no --quick, --out or --no-write).\n');
  process.exit(2);
}
const wanted = new Set((values.rows ?? '1,2,3,4,5,6,7,8,9,10').split(',').map((s) => Number(s.trim())));
// Only a run of every row (or --render) writes docs/benchmarks.md; a subset goes to .tmp/.
const published = path.join(ROOT, 'docs', 'benchmarks.md');
const publishedRaw = path.join(ROOT, 'bench', 'results', 'full.json');
const out =
  values.out ??
  (values.update ? published : undefined) ??
  (values.quick
    ? path.join(ROOT, '.tmp', 'benchmarks-quick.md')
    : values.rows
      ? path.join(ROOT, '.tmp', 'benchmarks-rows.md')
      : path.join(ROOT, 'docs', 'benchmarks.md'));
// The raw results of a run, so the page can be re-rendered (--render) without re-measuring.
// Only a full run of every row replaces the committed raw results; a subset (--rows) or a quick
// run writes its raw results beside its page instead.
const rawOut = values.update
  ? publishedRaw
  : values.quick
    ? path.join(ROOT, '.tmp', 'benchmarks-quick.json')
    : values.rows || values.out
      ? `${out.replace(/\.md$/, '')}.json`
      : path.join(ROOT, 'bench', 'results', 'full.json');

if (values.render) {
  const saved = JSON.parse(await readFile(values.render, 'utf8')) as Omit<ReportInput, 'findings'>;
  const findings = await readFile(path.join(ROOT, 'bench', 'findings.md'), 'utf8').catch(() => undefined);
  const md = renderReport({ ...saved, findings });
  await writeFile(out, md);
  process.stdout.write(`${md}\n`);
  process.exit(0);
}
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const errorText = (e: unknown): string => (e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e));

// A hard ceiling so that CI can never hang on the bench (rows bound each child themselves).
const ceilingMs = values.quick ? 10 * 60_000 : 120 * 60_000;
const watchdog = setTimeout(() => {
  log(`bench: still running after ${ceilingMs / 60_000} min; giving up.`);
  killAll();
  process.exit(1);
}, ceilingMs);
watchdog.unref();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAll();
    process.exit(130);
  });
}

const results = new Map<number, RowResult>();
let failed = 0;

async function attempt(id: number, title: string, targets: string[], fn: () => Promise<RowResult>): Promise<void> {
  if (!wanted.has(id)) return;
  log(`bench: row ${id} — ${title}`);
  const t0 = Date.now();
  const loadAtStart = os.loadavg()[0] ?? Number.NaN;
  const provenance = (): Provenance => {
    const m = machineInfo(ROOT, loadAtStart);
    return { date: new Date(t0).toISOString(), commit: m.commit, dirty: m.dirty, loadAtStart, loadAtEnd: os.loadavg()[0] ?? Number.NaN };
  };
  try {
    results.set(id, { ...(await fn()), measured: provenance() });
  } catch (e) {
    failed++;
    const r = notRun(id, title, `failed: ${errorText(e)}`, targets);
    r.wallMs = Date.now() - t0;
    results.set(id, { ...r, measured: provenance() });
    log(`bench: row ${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

const t0 = Date.now();
const loadAtStart = os.loadavg()[0] ?? Number.NaN;
// Rows 3–5 first: fast, and they share one service.
if ([3, 4, 5].some((id) => wanted.has(id))) {
  const missing = missingParts(['emulator', 'server', 'cli']);
  let fixture: Fixture | undefined;
  let fixtureError = missing;
  if (!missing) {
    try {
      log('bench: starting the shared service for rows 3–5');
      fixture = await startFixture(profile.shared.n);
    } catch (e) {
      failed++;
      fixtureError = `failed: ${errorText(e)}`;
      log(`bench: shared service failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  try {
    const f = fixture;
    await attempt(3, ROW3_TITLE, ROW3_TARGETS, async () =>
      f ? row3(profile.row3, f, log) : notRun(3, ROW3_TITLE, fixtureError ?? '', ROW3_TARGETS),
    );
    await attempt(4, ROW4_TITLE, ROW4_TARGETS, () => row4(profile.row4, f?.session.env, log));
    await attempt(5, ROW5_TITLE, ROW5_TARGETS, async () =>
      f ? row5(profile.row5, f, log) : notRun(5, ROW5_TITLE, fixtureError ?? '', ROW5_TARGETS),
    );
  } finally {
    await fixture?.stop();
  }
}
await attempt(1, 'Backfill under a rate budget', [], () => row1(profile.row1, log));
await attempt(2, 'Backfill at concurrency 1, 4, 8, 16', [], () => row2(profile.row2, log));
await attempt(6, 'Peak RSS', [], () => row6(profile.row6, log));
await attempt(7, 'PostgreSQL', [], () => row7(profile.row7, log));
await attempt(8, 'Service CPU per synced activity', [], () => row8(profile.row8, log));
await attempt(9, ROW9_TITLE, [], () => row9(profile.row9, log));
await attempt(10, ROW10_TITLE, ROW10_TARGETS, () => row10(profile.row10, log));

const rows = [...results.values()].sort((a, b) => a.id - b.id);
const findings = values.quick ? undefined : await readFile(path.join(ROOT, 'bench', 'findings.md'), 'utf8').catch(() => undefined);
const report: ReportInput = {
  machine: machineInfo(ROOT, loadAtStart),
  mode: values.quick ? 'quick: small N, a smoke check — not the published figures' : 'full run',
  command: `npm run bench${values.quick ? ' -- --quick' : ''}${values.rows ? ` (rows ${values.rows})` : ''}`,
  rows,
  totalMs: Date.now() - t0,
  loadAtEnd: os.loadavg()[0] ?? Number.NaN,
};
// --update: the rows of this run replace the same rows of the published full run; the page keeps
// the full run's machine table and says which rows were measured again, when.
const lastFull = values.update ? (JSON.parse(await readFile(publishedRaw, 'utf8')) as ReportInput) : undefined;
const page: ReportInput = lastFull
  ? {
      ...lastFull,
      rows: [...lastFull.rows.filter((r) => !results.has(r.id)), ...rows].sort((a, b) => a.id - b.id),
      updates: [
        ...(lastFull.updates ?? []),
        { command: `npm run bench -- --rows ${values.rows ?? ''} --update`, date: report.machine.date, rows: rows.map((r) => r.id) },
      ],
    }
  : report;
const md = renderReport({ ...page, findings });
process.stdout.write(`${md}\n`);
if (!values['no-write']) {
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, md);
  await mkdir(path.dirname(rawOut), { recursive: true });
  await writeFile(rawOut, `${JSON.stringify(page, null, 1)}\n`);
  log(`bench: wrote ${path.relative(ROOT, out)} and ${path.relative(ROOT, rawOut)}`);
}
await cleanupTemps();
clearTimeout(watchdog);
// A row that broke (not one whose parts are missing) fails the smoke check; missed targets do not.
process.exitCode = failed > 0 ? 1 : 0;
