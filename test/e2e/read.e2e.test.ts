import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, loginWithMfa, startStack, tempHome, type Stack } from './harness.js';

let stack: Stack;
let home: string;
const run = (args: string[]) => cli(args, { home, server: stack.url });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Workout = { workout_id: string; name: string | null; fit: { sha256: string } | null };

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ activities: 4, days: 3, workouts: 3 });
  home = await tempHome();
  await loginWithMfa(stack, home);
  const synced = await run(['sync', 'start', '--type', 'all', '--wait', '--json']);
  if (synced.code !== 0) throw new Error(`sync: ${synced.stderr}`);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe('workouts list|show|download (real binary, real service, real emulator)', () => {
  it('lists workouts as a table, pages with a next-page command, and as one JSON document', async () => {
    const json = await run(['workouts', 'list', '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { items: Workout[]; next_cursor: string | null };
    expect(doc.items).toHaveLength(3);
    expect(doc.next_cursor).toBeNull();

    const page = await run(['workouts', 'list', '--limit', '2']);
    expect(page.code).toBe(0);
    // Piped: tab-separated rows (ID SPORT UPDATED FIT NAME), no header.
    const lines = page.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.split('\t')).toHaveLength(5);
    expect(lines[0]).toMatch(/^\d+\t/);
    const more = /More: (garminsync workouts list .*)$/m.exec(page.stderr)?.[1];
    expect(more).toMatch(/--limit 2 --cursor \S+$/);
    const next = await run(more!.split(' ').slice(1));
    expect(next.code).toBe(0);
    expect(next.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(next.stderr).not.toContain('More:');
  });

  it('shows a workout and downloads its FIT byte for byte; refuses to overwrite without --force', async () => {
    const [w] = (JSON.parse((await run(['workouts', 'list', '--json'])).stdout) as { items: Workout[] }).items;
    const show = await run(['workouts', 'show', w!.workout_id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Workout:  ${w!.workout_id}`);
    expect(show.stdout).toMatch(/Steps:\s+\d+/);
    const out = join(home, 'w.fit');
    const dl = await run(['workouts', 'download', w!.workout_id, '--out', out, '--json']);
    expect(dl.code).toBe(0);
    expect(sha(await readFile(out))).toBe(w!.fit!.sha256);
    const again = await run(['workouts', 'download', w!.workout_id, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`${out} already exists; add --force to overwrite it.`);
    expect((await run(['workouts', 'show', 'x1'])).code).toBe(2);
    const missing = await run(['workouts', 'show', '999999999']);
    expect(missing.code).toBe(3);
  });

  it('says clearly when there is nothing to list', async () => {
    // A cursor past the last name is the empty page.
    const r = await run(['workouts', 'list', '--cursor', Buffer.from(JSON.stringify(['\uffff', '9'])).toString('base64url')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('No more workouts.');
  });
});

describe('activities download', () => {
  it('keeps an existing file unless --force, and says that export is for many', async () => {
    const [a] = (
      JSON.parse((await run(['activities', 'list', '--json'])).stdout) as { items: { activity_id: string; fit: { sha256: string } }[] }
    ).items;
    const out = join(home, 'a.fit');
    await writeFile(out, 'mine');
    const refused = await run(['activities', 'download', a!.activity_id, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`${out} already exists; add --force to overwrite it.`);
    expect(await readFile(out, 'utf8')).toBe('mine');
    const forced = await run(['activities', 'download', a!.activity_id, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(sha(await readFile(out))).toBe(a!.fit.sha256);
    const help = await run(['activities', 'download', '--help']);
    expect(help.stdout).toContain('garminsync export DIR');
  });

  it('keeps --sport and --limit in the next-page command', async () => {
    const r = await run(['activities', 'list', '--limit', '1', '--sport', 'running']);
    const all = JSON.parse((await run(['activities', 'list', '--sport', 'running', '--json'])).stdout) as { items: unknown[] };
    if (all.items.length > 1) expect(r.stderr).toMatch(/More: garminsync activities list --sport running --limit 1 --cursor \S+/);
    else expect(r.stderr).not.toContain('More:');
    const none = await run(['activities', 'list', '--sport', 'no_such_sport']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('No activities match --sport no_such_sport.');
  });
});

describe('health list|show', () => {
  it('lists one row per synced day with the headline numbers; pages keep --from/--to', async () => {
    const doc = JSON.parse((await run(['health', 'list', '--json'])).stdout) as {
      items: { calendar_date: string; steps: number | null; families: string[] }[];
    };
    // The health sync's default window (30 days), whatever the emulator's history.
    expect(doc.items.length).toBeGreaterThanOrEqual(3);
    // Days before the emulator's 3 days of history are stored as empty.
    expect(doc.items.slice(0, 3).every((d) => d.families.includes('summary'))).toBe(true);
    const [newest, , oldest] = doc.items;
    const table = await run(['health', 'list', '--from', oldest!.calendar_date, '--to', newest!.calendar_date, '--limit', '2']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toContain(newest!.calendar_date);
    expect(lines).toHaveLength(2);
    expect(table.stderr).toMatch(
      new RegExp(`More: garminsync health list --from ${oldest!.calendar_date} --to ${newest!.calendar_date} --limit 2 --cursor \\S+`),
    );
    const empty = await run(['health', 'list', '--from', '2001-01-01', '--to', '2001-01-31']);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('No health data synced for 2001-01-01 to 2001-01-31.');
  });

  it('shows every family stored for a day, or one with its data', async () => {
    const [day] = (
      JSON.parse((await run(['health', 'list', '--json'])).stdout) as { items: { calendar_date: string; families: string[] }[] }
    ).items;
    const show = await run(['health', 'show', day!.calendar_date]);
    expect(show.code).toBe(0);
    for (const f of day!.families) expect(show.stdout).toMatch(new RegExp(`^${f}\\s+data\\s`, 'm'));
    const one = await run(['health', 'show', day!.calendar_date, '--metric', 'summary']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('"totalSteps"');
    expect((await run(['health', 'show', day!.calendar_date, '--metric', 'nope'])).code).toBe(2);
    expect((await run(['health', 'show', '2026-02-30'])).code).toBe(2);
    const missing = await run(['health', 'show', '2001-01-01']);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim()).toBe('No health data is stored for 2001-01-01.');
  });
});
