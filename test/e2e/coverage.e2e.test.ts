import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, utcDate } from '../../src/core/index.js';
import { BIN, cli, ensureBuilt, loginWithMfa, startStack, tempHome, type Stack } from './harness.js';
import { TmuxPane } from './tmux.js';

/**
 * Issue 15's done-when for coverage, through the real binary, service and emulator: two disjoint
 * ranged health syncs leave a gap that `coverage` shows; `sync start --type health --missing`
 * fills it with exactly the gap's upstream requests (counted at the emulator). Issue 13:
 * `activities show --details` and `--metrics` validation.
 */
let stack: Stack;
let home: string;
const run = (args: string[]) => cli(args, { home, server: stack.url, timeoutMs: 60_000 });
const today = utcDate(Date.now());
const start = addDays(today, -24);
const end = addDays(start, 14);
const gap = Array.from({ length: 5 }, (_, i) => addDays(start, 5 + i));

type Report = { days: { calendar_date: string; state: string; metrics: Record<string, { state: string; source: string | null }> }[] };

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ activities: 2, days: 30, workouts: 1 });
  home = await tempHome();
  await loginWithMfa(stack, home);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe('coverage and --missing (real binary, real service, real emulator)', () => {
  it('shows the gap two ranged syncs leave, and --missing fills exactly it', async () => {
    for (const [from, to] of [
      [start, addDays(gap[0]!, -1)],
      [addDays(gap.at(-1)!, 1), end],
    ]) {
      const r = await run(['sync', 'start', '--type', 'health', '--from', from!, '--to', to!, '--wait', '--json']);
      expect(r.code, r.stderr).toBe(0);
    }
    const json = await run(['coverage', '--from', start, '--to', end, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.days.filter((d) => d.state === 'missing').map((d) => d.calendar_date)).toEqual(gap);
    expect(report.days.filter((d) => d.state === 'present')).toHaveLength(10);

    // Piped: one tab-separated row per family, the next command on stderr.
    const plain = await run(['coverage', '--from', start, '--to', end]);
    expect(plain.code).toBe(0);
    expect(plain.stdout.trimEnd().split('\n')[0]).toBe('summary\t10\t0\t5\t0\t0\t0');
    expect(plain.stderr).toContain(`garminsync sync start --type health --missing --from ${start} --to ${end} --wait`);

    stack.emu.resetStats();
    const fill = await run(['sync', 'start', '--type', 'health', '--missing', '--from', start, '--to', end, '--wait', '--json']);
    expect(fill.code, fill.stderr).toBe(0);
    // 5 days × 8 per-day families + weight range + body battery reports + display name: nothing else.
    expect(stack.emu.stats().total).toBe(5 * 8 + 3);
    const after = JSON.parse((await run(['coverage', '--from', start, '--to', end, '--json'])).stdout) as Report;
    expect(after.days.every((d) => d.state === 'present')).toBe(true);
  }, 120_000);

  it.runIf(process.platform !== 'win32')(
    'draws a calendar on a terminal: months as rows, one cell per day',
    async () => {
      if (!(await TmuxPane.available())) return;
      const socket = `gs-cov-${randomBytes(4).toString('hex')}`;
      const from = addDays(today, -40);
      const env = `HOME=${home} XDG_CONFIG_HOME=${home} GARMINSYNC_KEYRING=off GARMINSYNC_SERVER=${stack.url}`;
      const pane = await TmuxPane.start(socket, `env ${env} ${process.execPath} ${BIN} coverage --from ${from} --to ${end}; sleep 30`);
      try {
        const screen = await pane.waitFor(/PRESENT/);
        const months = new Set([from.slice(0, 7), end.slice(0, 7)]);
        for (const m of months) expect(screen).toMatch(new RegExp(`^${m}  `, 'm'));
        // Days before the account's data (never fetched) are missing `_`, synced days present `#`.
        const row = screen.split('\n').find((l) => l.startsWith(`${end.slice(0, 7)}  `))!;
        expect(row.slice(9)[Number(end.slice(8, 10)) - 1]).toBe('#');
        expect(screen).toContain('_ missing');
      } finally {
        await pane.kill();
      }
    },
    60_000,
  );

  it('activities show --details fetches the time series; --metrics is validated and health-only', async () => {
    expect((await run(['sync', 'start', '--type', 'activities', '--wait', '--json'])).code).toBe(0);
    const id = (JSON.parse((await run(['activities', 'list', '--json'])).stdout) as { items: { activity_id: string }[] }).items[0]!
      .activity_id;
    stack.emu.resetStats();
    const shown = await run(['activities', 'show', id, '--details']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Samples:\s+\d+/);
    expect(shown.stdout).toMatch(/Channels:\s+\S+/);
    expect(stack.emu.stats().total).toBe(1);
    const bad = await run(['sync', 'start', '--type', 'health', '--metrics', 'sleep,moon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown health metric "moon"');
    expect((await run(['sync', 'start', '--type', 'activities', '--missing'])).code).toBe(2);
    const help = await run(['sync', 'start', '--help']);
    expect(help.stdout).toContain('training_readiness');
    expect(help.stdout).toContain('blood_pressure');
  }, 60_000);
});
