// Row 4: CLI cold start. hyperfine when installed (Debian package), else a repeated-run harness
// that interleaves the commands so that drift hits all of them alike.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cli, describeRun } from '../lib/cli.js';
import { BIN, NODE, tempDir } from '../lib/paths.js';
import { runProcess } from '../lib/proc.js';
import type { Profile } from '../lib/profile.js';
import type { Figure, RowResult } from '../lib/result.js';
import { fmt, summarize } from '../lib/stats.js';

export const ROW4_TITLE = 'CLI cold start';
/** The commands that call the service (issue 17: each ≤1.8× `node -e 0`). */
const SERVICE_COMMANDS = [
  ['auth', 'status'],
  ['sync', 'status'],
  ['activities', 'list'],
];
export const ROW4_TARGETS = ['`--version` ≤2× `node -e 0`', ...SERVICE_COMMANDS.map((c) => `\`${c.join(' ')}\` ≤1.8× \`node -e 0\``)];

interface Cmd {
  label: string;
  args: string[];
}

function hyperfinePath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v hyperfine'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function withHyperfine(bin: string, cmds: Cmd[], p: Profile['row4'], env: NodeJS.ProcessEnv): Promise<number[][]> {
  const out = path.join(await tempDir('hyperfine'), 'result.json');
  const args = ['-N', '--style', 'none', '--warmup', String(p.warmup), '--runs', String(p.runs), '--export-json', out];
  for (const c of cmds) args.push('--command-name', c.label, [NODE, ...c.args].join(' '));
  const r = await runProcess({ cmd: bin, args, env, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`hyperfine failed (exit ${r.code}): ${r.stderr.slice(0, 300)}`);
  const doc = JSON.parse(await readFile(out, 'utf8')) as { results: { times: number[] }[] };
  return doc.results.map((res) => res.times.map((s) => s * 1000));
}

async function withHarness(cmds: Cmd[], p: Profile['row4'], env: NodeJS.ProcessEnv): Promise<number[][]> {
  const times: number[][] = cmds.map(() => []);
  for (let i = 0; i < p.warmup + p.runs; i++) {
    for (const [k, c] of cmds.entries()) {
      const r = await runProcess({ cmd: NODE, args: c.args, env, timeoutMs: 30_000 });
      if (i >= p.warmup) times[k]?.push(r.ms);
    }
  }
  return times;
}

/** `env` is a logged-in CLI environment, so that `sync status` makes its real HTTP call. */
export async function row4(p: Profile['row4'], env: NodeJS.ProcessEnv | undefined, log: (s: string) => void): Promise<RowResult> {
  const t0 = Date.now();
  const cmds: Cmd[] = [
    { label: 'node -e 0', args: ['-e', '0'] },
    { label: 'garminsync --version', args: [BIN, '--version'] },
  ];
  const notes: string[] = [];
  if (env) {
    for (const words of SERVICE_COMMANDS) {
      const check = await cli(env, words);
      if (check.code === 0) cmds.push({ label: `garminsync ${words.join(' ')}`, args: [BIN, ...words] });
      else notes.push(`\`${words.join(' ')}\` not timed: it does not succeed yet (${describeRun(check)}).`);
    }
  } else {
    notes.push('The commands that call the service are not timed: no logged-in service (rows 3–5 could not start theirs).');
  }
  const hf = hyperfinePath();
  const times = hf ? await withHyperfine(hf, cmds, p, env ?? process.env) : await withHarness(cmds, p, env ?? process.env);
  notes.push(
    hf ? `Measured with hyperfine (${hf}, -N: no shell).` : 'hyperfine not installed: measured with the interleaved repeated-run harness.',
  );
  const base = summarize(times[0] ?? []).median;
  const figures: Figure[] = cmds.map((c, k) => ({ label: c.label, unit: 'ms', values: times[k] ?? [] }));
  const ratio = (k: number): number => summarize(times[k] ?? []).median / base;
  for (const [k, c] of cmds.entries())
    if (k > 0) figures.push({ label: `${c.label} / node -e 0`, unit: '×', values: [ratio(k)], note: 'ratio of medians' });
  log(`  row 4: ${cmds.map((c, k) => `${c.label} ${fmt(summarize(times[k] ?? []).median)} ms`).join(', ')}`);
  const timed = (label: string): number => cmds.findIndex((c) => c.label === label);
  const over = SERVICE_COMMANDS.map((words) => timed(`garminsync ${words.join(' ')}`)).filter((k) => k >= 0 && ratio(k) > 1.8);
  if (over.length > 0) {
    const loadMs = summarize(times[1] ?? []).median - base;
    notes.push(
      `What bounds the commands over 1.8× (measured above): Node's own start (\`node -e 0\`, ${fmt(base)} ms), then loading the CLI (\`--version\` − \`node -e 0\`: ${fmt(loadMs)} ms), then ${over
        .map((k) => `${fmt(summarize(times[k] ?? []).median - base - loadMs)} ms for \`${cmds[k]?.label.replace('garminsync ', '')}\``)
        .join(
          ', ',
        )} — the verb's modules, the credentials, one HTTP request and the service's answer. 1.8× leaves ${fmt(base * 0.8 - loadMs)} ms for that; the profile (bench/findings.md, rows 3 and 4) has the built-ins (http, net, streams) and the request waiting for the service as the rest.`,
    );
  }
  return {
    id: 4,
    title: ROW4_TITLE,
    params: `${p.warmup} warm-up + ${p.runs} runs per command, interleaved${cmds.length > 2 ? '; the commands that call the service run against the service of rows 3–5 with valid credentials' : ''}.`,
    figures,
    targets: [
      { text: ROW4_TARGETS[0] as string, measured: `${fmt(ratio(1))}×`, met: ratio(1) <= 2 },
      ...SERVICE_COMMANDS.map((words, i) => {
        const k = timed(`garminsync ${words.join(' ')}`);
        const text = ROW4_TARGETS[i + 1] as string;
        return k < 0 ? { text, measured: 'not run', met: undefined } : { text, measured: `${fmt(ratio(k))}×`, met: ratio(k) <= 1.8 };
      }),
    ],
    notes,
    wallMs: Date.now() - t0,
  };
}
