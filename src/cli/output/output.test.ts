import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../testing/buffer-io.js';
import { commandLine, shellWord } from './command-line.js';
import { emptyMessage } from './empty.js';
import { createOutput } from './output.js';
import { fetchPages, printPagingHint } from './paging.js';
import { printTable, uniquePrefixLength } from './table.js';
import { timeFormatter } from './time.js';

const output = (tty: boolean, columns = 100, extra: { utc?: boolean; timeZone?: string } = {}) => {
  const io = bufferIO({ tty, columns });
  return { io, out: createOutput(io, { json: false, quiet: false, color: false, ...extra }) };
};

const ids = ['cdcb3b8f-0a1e-4c6e-9d1a-111111111111', 'cdcb3b8f-0a1e-4c6e-9d1a-222222222222', '0d1e2f3a-0000-4000-8000-000000000000'];

describe('tables', () => {
  it('on a terminal: a header, short unique id prefixes, local times, fitted to the width by cutting names', () => {
    const { io, out } = output(true, 60, { timeZone: 'Europe/Berlin' });
    printTable(
      out,
      [
        { header: 'JOB', kind: 'id' },
        { header: 'START', kind: 'time' },
        { header: 'NAME', shrink: true },
      ],
      ids.map((id) => [id, '2026-11-27T12:00:00.000Z', 'A very long activity name that would wrap the terminal line twice over']),
    );
    const lines = io.stdoutText().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^JOB\s+START\s+NAME$/);
    // The two cdcb3b8f-… ids differ only at the end: their prefix grows until they are told apart.
    expect(uniquePrefixLength(ids)).toBe(25);
    expect(lines[1]!.split(' ')[0]).toBe(ids[0]!.slice(0, 25));
    expect(uniquePrefixLength([ids[0]!, ids[2]!])).toBe(8);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines[1]).toContain('2026-11-27 13:00');
    expect(lines[1]).toMatch(/…$/);
  });

  it('narrower than names allow: a sport is cut next, then "(… ago)" goes, and a line still too wide ends at the edge', () => {
    const columns = [
      { header: 'ID' },
      { header: 'START', kind: 'when' as const },
      { header: 'SPORT', shrink: 'last' as const },
      { header: 'NAME', shrink: true },
    ];
    const row = ['21000000001', '2026-11-27T12:00:00.000Z', 'strength_training', 'Morning lift with a long name'];
    const now = Date.parse('2026-11-27T12:03:00.000Z');
    const expected: Record<number, string> = {
      100: '21000000001  2026-11-27 12:00 UTC (3 min ago)  strength_training  Morning lift with a long name',
      80: '21000000001  2026-11-27 12:00 UTC (3 min ago)  strength_training  Morning lift …',
      62: '21000000001  2026-11-27 12:00 UTC (3 min ago)  streng…  Morni…',
      48: '21000000001  2026-11-27 12:00 UTC  stre…  Morni…',
      40: '21000000001  2026-11-27 12:00 UTC  stre…',
    };
    for (const [width, line] of Object.entries(expected)) {
      const { io, out } = output(true, Number(width), { utc: true });
      printTable(out, columns, [row], now);
      const lines = io.stdoutText().trimEnd().split('\n');
      for (const l of lines) expect(l.length, `${width}: ${l}`).toBeLessThanOrEqual(Number(width));
      expect(lines[1]).toBe(line);
    }
  });

  it('piped: tab-separated, no header, nothing cut, ISO times, whole ids', () => {
    const { io, out } = output(false, 40);
    const name = 'A very long activity name that would wrap the terminal line twice over';
    printTable(
      out,
      [
        { header: 'JOB', kind: 'id' },
        { header: 'START', kind: 'when' },
        { header: 'NAME', shrink: true },
      ],
      [[ids[2]!, '2026-11-27T12:00:00.000Z', `${name}\twith a tab`]],
    );
    expect(io.stdoutText()).toBe(`${ids[2]}\t2026-11-27T12:00:00.000Z\t${name} with a tab\n`);
  });
});

describe('times', () => {
  it('one format: local by default, UTC with --utc, midnight as 00', () => {
    expect(timeFormatter({ utc: false, timeZone: 'America/New_York' }).time('2026-11-27T05:00:00Z')).toBe('2026-11-27 00:00');
    expect(timeFormatter({ utc: true, timeZone: 'America/New_York' }).time('2026-11-27T05:00:00Z')).toBe('2026-11-27 05:00 UTC');
    expect(timeFormatter({ utc: true }).when('2026-11-27T05:00:00Z', Date.parse('2026-11-27T04:46:00Z'))).toBe(
      '2026-11-27 05:00 UTC (in 14 min)',
    );
    // An unknown zone name falls back to the system's rather than failing.
    expect(timeFormatter({ utc: false, timeZone: 'Not/AZone' }).time('2026-11-27T05:00:00Z')).toMatch(/^2026-11-2\d \d\d:\d\d$/);
  });

  it('without Intl (UTC, or the process’s own zone) it writes what the Intl formatter writes, across DST changes', () => {
    // Every 20 minutes of a year, in a process started with each TZ: Date's getters vs Intl.
    const script = `
      import { timeFormatter } from './src/cli/output/time.ts';
      const tz = process.env.TZ;
      const fast = [timeFormatter({ utc: false, timeZone: tz, dateZone: { tz } }), timeFormatter({ utc: true, dateZone: { tz } })];
      const intl = [timeFormatter({ utc: false, timeZone: tz }), timeFormatter({ utc: true, timeZone: 'UTC' })];
      const bad = [];
      let n = 0;
      for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 1_200_000, n++)
        for (const k of [0, 1]) {
          const iso = new Date(t).toISOString();
          if (fast[k].time(iso) !== intl[k].time(iso)) bad.push([iso, fast[k].time(iso), intl[k].time(iso)]);
        }
      process.stdout.write(JSON.stringify({ n, bad: bad.slice(0, 3), sample: fast[0].time('2026-07-01T12:00:00Z') }));`;
    const expected: Record<string, string> = {
      'America/New_York': '2026-07-01 08:00',
      'Australia/Lord_Howe': '2026-07-01 22:30',
      'Asia/Kathmandu': '2026-07-01 17:45',
      'Not/AZone': '2026-07-01 12:00',
    };
    for (const [tz, sample] of Object.entries(expected)) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
      expect(JSON.parse(out), tz).toEqual({ n: 26_280, bad: [], sample });
    }
  });
});

describe('paging and suggested commands', () => {
  it('the hint repeats the filters and the limit, and offers --all', () => {
    const { io, out } = output(false);
    printPagingHint(
      out,
      'activities list',
      [
        ['--sport', 'running'],
        ['--limit', 3],
      ],
      'c2',
      'http://h:1',
    );
    expect(io.stderrText()).toBe(
      'More: garminsync activities list --sport running --limit 3 --cursor c2 --server http://h:1\n' +
        '  (or every page at once: garminsync activities list --sport running --all --server http://h:1)\n',
    );
    printPagingHint(out, 'x', [], null);
    expect(io.stderrText().split('\n')).toHaveLength(3); // nothing added for the last page
  });

  it('--all follows every page from the cursor on', async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      start: { items: [1, 2], next_cursor: 'b' },
      b: { items: [3], next_cursor: 'c' },
      c: { items: [4], next_cursor: null },
    };
    const asked: (string | undefined)[] = [];
    const all = await fetchPages(async (c) => (asked.push(c), pages[c ?? 'start']!), { all: true });
    expect(all).toEqual({ items: [1, 2, 3, 4], next_cursor: null });
    expect(asked).toEqual([undefined, 'b', 'c']);
    expect(await fetchPages(async (c) => pages[c ?? 'start']!, { all: false, cursor: 'b' })).toEqual(pages.b);
  });

  it('quotes only what a shell would split', () => {
    expect(shellWord('running')).toBe('running');
    expect(shellWord("it's a run")).toBe(`'it'\\''s a run'`);
    expect(
      commandLine('sync list', [
        ['--type', 'health'],
        ['--status', undefined],
        ['--all', true],
      ]),
    ).toBe('garminsync sync list --type health --all');
  });

  it('an empty list says whether the filter matched nothing or nothing is there', () => {
    const base = { plural: 'activities', nothingYet: 'No activities synced yet.', next: 'garminsync sync start --type activities --wait' };
    expect(
      emptyMessage({ ...base, filters: [['--sport', 'cycling']], anyWithoutFilters: true, known: 'Synced sports: running (3).' }),
    ).toBe('No activities match --sport cycling. Synced sports: running (3).');
    expect(emptyMessage({ ...base, filters: [['--sport', 'cycling']], anyWithoutFilters: false })).toBe(
      'No activities synced yet. Next: garminsync sync start --type activities --wait',
    );
    expect(emptyMessage({ ...base, filters: [['--sport', undefined]] })).toMatch(/^No activities synced yet\./);
  });
});
