import { describe, expect, it } from 'vitest';
import type { Workout } from '../../../contract/index.js';
import { EXIT } from '../../exit-codes.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { INTERVALS } from '../../testing/fake-data.js';
import { runList } from './list.js';
import { runShow } from './show.js';

const fake = useFakeCli({ fakeClock: true });
const workout = (n: number): Workout => ({ ...INTERVALS, workout_id: String(600 + n), name: `Tempo ${n}`, fit: null });

describe('workouts list (run function)', () => {
  it('a table on a terminal, whole values piped, --json; paging hint and --all', async () => {
    await fake.login();
    const tty = await fake.verb((c) => runList(c, { limit: 100 }), { tty: true });
    expect(tty.code).toBe(EXIT.OK);
    expect(tty.stdout).toMatch(/ID {3}SPORT {4}UPDATED {11}FIT {3}NAME/);
    expect(tty.stdout).toContain('501  running  2026-11-18 12:00  21 B  5x400 intervals\n');
    const piped = await fake.verb((c) => runList(c, { limit: 100 }));
    expect(piped).toMatchObject({ code: 0, stdout: '501\trunning\t2026-11-18T12:00:00.000Z\t21 B\t5x400 intervals\n', stderr: '' });
    const json = await fake.verb((c) => runList(c, { limit: 100 }), { json: true });
    expect(JSON.parse(json.stdout)).toEqual({ items: [INTERVALS], next_cursor: null });

    await fake.restart({ workouts: [1, 2, 3].map(workout) });
    const first = await fake.verb((c) => runList(c, { limit: 2 }));
    expect(
      first.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['601', '602']);
    expect(first.stderr).toContain('More: garminsync workouts list --limit 2 --cursor 2\n');
    const all = await fake.verb((c) => runList(c, { limit: 2, all: true }), { json: true });
    expect(JSON.parse(all.stdout).items).toHaveLength(3);
  });

  it('none synced: says how to sync them; past the last page: no more; not logged in: exit 4', async () => {
    await fake.restart({ workouts: [] });
    const none = await fake.verb((c) => runList(c, { limit: 100 }));
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect(none.stderr).toContain('garminsync sync start --type workouts --wait');
    expect((await fake.verb((c) => runList(c, { limit: 100, cursor: '5' }))).stderr).toBe('No more workouts.\n');
    await fake.cli(['auth', 'logout']);
    expect((await fake.verb((c) => runList(c, { limit: 100 }), { json: true })).code).toBe(EXIT.LOGIN_REQUIRED);
  });
});

describe('workouts show (run function)', () => {
  it('label lines (TTY and piped), the document with --json; an unknown id is exit 3', async () => {
    await fake.login();
    for (const tty of [true, false]) {
      const r = await fake.verb((c) => runShow(c, '501'), { tty });
      expect(r.code).toBe(EXIT.OK);
      expect(r.stdout).toMatch(/^Workout: +501\nName: +5x400 intervals\nSport: +running\n/);
      expect(r.stderr).toBe('Next: garminsync workouts download 501\n');
    }
    const json = await fake.verb((c) => runShow(c, '501'), { json: true });
    expect(JSON.parse(json.stdout)).toEqual({ ...INTERVALS, raw: { workoutId: 501 } });
    expect(await fake.verb((c) => runShow(c, '777'))).toMatchObject({ code: EXIT.NOT_FOUND, stdout: '', stderr: 'Not found.\n' });
  });
});
