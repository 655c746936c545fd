import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../contract/index.js';
import { EXIT } from '../../exit-codes.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { MORNING_RUN } from '../../testing/fake-data.js';
import { runList } from './list.js';
import { runShow } from './show.js';

const fake = useFakeCli({ fakeClock: true });
const ride = (n: number): Activity => ({ ...MORNING_RUN, activity_id: String(200 + n), name: `Ride ${n}`, sport: 'cycling' });

describe('activities list (run function)', () => {
  it('a table on a terminal, tab-separated whole values when piped, one JSON document with --json', async () => {
    await fake.login();
    const tty = await fake.verb((c) => runList(c, { limit: 20 }), { tty: true });
    expect(tty.code).toBe(EXIT.OK);
    expect(tty.stdout).toMatch(/ID {3}START {13}SPORT {4}TIME {3}DISTANCE {2}FIT {3}NAME/);
    expect(tty.stdout).toContain('101  2026-11-20 07:00  running  30:00  5.00 km   21 B  Morning Run\n');
    const piped = await fake.verb((c) => runList(c, { limit: 20 }));
    expect(piped).toMatchObject({
      code: EXIT.OK,
      stdout: '101\t2026-11-20T07:00:00.000Z\trunning\t30:00\t5.00 km\t21 B\tMorning Run\n',
      stderr: '',
    });
    const json = await fake.verb((c) => runList(c, { limit: 20 }), { json: true });
    expect(JSON.parse(json.stdout)).toEqual({ items: [MORNING_RUN], next_cursor: null });
    expect(json.stderr).toBe('');
  });

  it('pages: the hint repeats the filters and the limit; --all joins every page', async () => {
    await fake.restart({ activities: [1, 2, 3].map(ride) });
    const first = await fake.verb((c) => runList(c, { limit: 2, sport: 'cycling' }));
    expect(
      first.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(['201', '202']);
    expect(first.stderr).toContain('More: garminsync activities list --sport cycling --limit 2 --cursor 2\n');
    const rest = await fake.verb((c) => runList(c, { limit: 2, sport: 'cycling', cursor: '2' }));
    expect(rest.stdout.split('\t')[0]).toBe('203');
    expect(rest.stderr).toBe('');
    // An empty page after a cursor is the end of the list, not "nothing synced yet" (one wording for every list verb).
    expect(await fake.verb((c) => runList(c, { limit: 2, sport: 'cycling', cursor: '9' }))).toMatchObject({
      code: EXIT.OK,
      stdout: '',
      stderr: 'No more activities.\n',
    });
    const all = await fake.verb((c) => runList(c, { limit: 2, all: true }), { json: true });
    expect(JSON.parse(all.stdout).items.map((a: Activity) => a.activity_id)).toEqual(['201', '202', '203']);
  });

  it('nothing for --sport says which sports there are, on stderr; not logged in is exit 4', async () => {
    await fake.login();
    const none = await fake.verb((c) => runList(c, { limit: 20, sport: 'swimming' }));
    expect(none.code).toBe(EXIT.OK);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Synced sports: running (1).');
    await fake.cli(['auth', 'logout']);
    const out = await fake.verb((c) => runList(c, { limit: 20 }), { tty: true });
    expect(out.code).toBe(EXIT.LOGIN_REQUIRED);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/garminsync auth login/);
  });
});

describe('activities show (run function)', () => {
  it('label lines on a terminal and piped, the document with --json; an unknown id is exit 3', async () => {
    await fake.login();
    for (const tty of [true, false]) {
      const r = await fake.verb((c) => runShow(c, '101'), { tty });
      expect(r.code).toBe(EXIT.OK);
      expect(r.stdout).toMatch(/^Activity: +101\nName: +Morning Run\nSport: +running\n/);
      expect(r.stdout).toContain(`FIT file:   21 B, sha256 ${MORNING_RUN.fit!.sha256}\n`);
      expect(r.stderr).toBe('Next: garminsync activities download 101\n');
    }
    const json = await fake.verb((c) => runShow(c, '101', true), { json: true });
    expect(JSON.parse(json.stdout)).toEqual({ ...MORNING_RUN, raw: { activityId: 101 }, details: { metricDescriptors: [] } });
    const missing = await fake.verb((c) => runShow(c, '999'));
    expect(missing).toMatchObject({ code: EXIT.NOT_FOUND, stdout: '', stderr: 'Not found.\n' });
  });
});
