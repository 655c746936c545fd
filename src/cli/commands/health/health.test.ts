import { describe, expect, it } from 'vitest';
import type { HealthDayRow } from '../../../contract/index.js';
import { EXIT } from '../../exit-codes.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { HEALTH_DAY } from '../../testing/fake-data.js';
import { runList } from './list.js';
import { runShow } from './show.js';

const fake = useFakeCli({ fakeClock: true });
const day = (d: string): HealthDayRow => ({ ...HEALTH_DAY, calendar_date: d });

describe('health list (run function)', () => {
  it('a table on a terminal, whole values piped, --json', async () => {
    await fake.login();
    const tty = await fake.verb((c) => runList(c, { limit: 366 }), { tty: true });
    expect(tty.code).toBe(EXIT.OK);
    expect(tty.stdout).toMatch(/DATE +STEPS +RESTING HR +SLEEP \(H:MM\) +HRV \(MS\) +STRESS +BODY BATTERY +WEIGHT \(KG\)/);
    expect(tty.stdout).toMatch(/2026-11-26 +8123 +52 +7:30 +48 +31 +22-88 +-\n/);
    const piped = await fake.verb((c) => runList(c, { limit: 366 }));
    expect(piped.stdout).toBe('2026-11-26\t8123\t52\t7:30\t48\t31\t22-88\t-\n');
    const json = await fake.verb((c) => runList(c, { limit: 366 }), { json: true });
    expect(JSON.parse(json.stdout)).toEqual({ items: [HEALTH_DAY], next_cursor: null });
  });

  it('keeps --from/--to in the paging hint and in the empty message; --from after --to is exit 2 before any request', async () => {
    await fake.restart({ healthDays: ['2026-11-26', '2026-11-25', '2026-11-24'].map(day) });
    const page = await fake.verb((c) => runList(c, { from: '2026-11-01', limit: 2 }));
    expect(
      page.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['2026-11-26', '2026-11-25']);
    expect(page.stderr).toContain('More: garminsync health list --from 2026-11-01 --limit 2 --cursor 2\n');
    expect((await fake.verb((c) => runList(c, { from: '2026-11-01', limit: 2, cursor: '9' }))).stderr).toBe('No more health days.\n');
    const empty = await fake.verb((c) => runList(c, { from: '2026-10-01', to: '2026-10-31', limit: 366 }), { tty: true });
    expect(empty.stderr).toBe(
      'No health data synced for 2026-10-01 to 2026-10-31. Next: garminsync sync start --type health --from 2026-10-01 --to 2026-10-31 --wait\n',
    );
    const before = fake.svc.counts.get('GET /api/v1/health/daily');
    const bad = await fake.verb((c) => runList(c, { from: '2026-11-30', to: '2026-11-01', limit: 366 }));
    expect(bad).toMatchObject({ code: EXIT.USAGE, stdout: '', stderr: '--from must not be after --to.\n' });
    expect(fake.svc.counts.get('GET /api/v1/health/daily')).toBe(before);
  });
});

describe('health show (run function)', () => {
  it('one row per stored family (TTY and piped), one family with its data, --json; a day not stored is exit 3', async () => {
    await fake.login();
    for (const tty of [true, false]) {
      const r = await fake.verb((c) => runShow(c, '2026-11-26', {}), { tty });
      expect(r.code).toBe(EXIT.OK);
      expect(r.stdout.split('\n')[0]).toBe('Health 2026-11-26');
      expect(r.stdout).toMatch(/summary\s+data\s+complete\s+api\s+2026-11-27 10:00/);
      expect(r.stdout).toMatch(/sleep\s+data\s+complete/);
      expect(r.stderr).toBe('Next: garminsync health show 2026-11-26 --metric summary\n');
    }
    const one = await fake.verb((c) => runShow(c, '2026-11-26', { metric: 'summary' }));
    expect(one.stdout).not.toMatch(/sleep/);
    expect(one.stdout).toContain('"totalSteps": 8123');
    const json = await fake.verb((c) => runShow(c, '2026-11-26', { metric: 'sleep' }), { json: true });
    expect(Object.keys(JSON.parse(json.stdout).metrics)).toEqual(['sleep']);
    const missing = await fake.verb((c) => runShow(c, '2026-01-01', {}));
    expect(missing).toMatchObject({ code: EXIT.NOT_FOUND, stdout: '', stderr: 'No health data stored for 2026-01-01.\n' });
  });
});
