import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../exit-codes.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { runCoverage } from './coverage.js';

const fake = useFakeCli({ fakeClock: true });
const range = { from: '2026-11-25', to: '2026-11-27' };

describe('coverage (run function)', () => {
  it('a calendar and the totals on a terminal, only the totals piped, the report with --json', async () => {
    await fake.login();
    const tty = await fake.verb((c) => runCoverage(c, range), { tty: true });
    expect(tty.code).toBe(EXIT.OK);
    const piped = await fake.verb((c) => runCoverage(c, range));
    expect(piped.stdout).toBe('summary\t1\t0\t2\t0\t0\t0\n');
    // The terminal shows the calendar (the 25th and 27th missing, the 26th present) above the table.
    const screen = stripVTControlCharacters(tty.stdout);
    expect(screen).toMatch(/^2026-11 +_#_$/m);
    expect(screen).toMatch(
      /# present .* _ missing +! failed\n\nMETRIC +PRESENT +EMPTY +MISSING +FAILED +PARTIAL +FROM ARCHIVE\nsummary +1 +0 +2 +0 +0 +0\n$/,
    );
    for (const r of [tty, piped])
      expect(r.stderr).toBe(
        '2 of 3 days from 2026-11-25 to 2026-11-27 have missing, failed or partial data. Next: garminsync sync start --type health --missing --from 2026-11-25 --to 2026-11-27 --wait\n',
      );
    const json = await fake.verb((c) => runCoverage(c, { ...range, metrics: 'summary' }), { json: true });
    const report = JSON.parse(json.stdout);
    expect(report.days.map((d: { state: string }) => d.state)).toEqual(['missing', 'present', 'missing']);
    expect(json.stderr).toBe('');
    const covered = await fake.verb((c) => runCoverage(c, { from: '2026-11-26', to: '2026-11-26' }));
    expect(covered.stderr).toBe('Every day from 2026-11-26 to 2026-11-26 is covered.\n');
  });

  it('--from after --to and an unknown family are usage errors (exit 2) before any request', async () => {
    await fake.login();
    const bad = await fake.verb((c) => runCoverage(c, { from: '2026-11-27', to: '2026-11-01' }));
    expect(bad).toMatchObject({ code: EXIT.USAGE, stdout: '', stderr: '--from must not be after --to.\n' });
    const unknown = await fake.verb((c) => runCoverage(c, { metrics: 'sleep,naps' }), { tty: true });
    expect(unknown.code).toBe(EXIT.USAGE);
    expect(unknown.stderr).toMatch(/naps/);
    expect(fake.svc.counts.get('GET /api/v1/coverage')).toBeUndefined();
  });
});
