import { describe, expect, it } from 'vitest';
import { EXIT } from '../../exit-codes.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { fakeJobId } from '../../testing/fake-jobs.js';
import { runCancel } from './cancel.js';
import { waitOptions } from './jobs-runner.js';
import { runList } from './list.js';
import { runClear, runSet, runShow } from './schedule.js';
import { runStart } from './start.js';
import { runStatus } from './status.js';

const fake = useFakeCli({ fakeClock: true });
const start = (types: ('activities' | 'health' | 'workouts')[], wait = false) =>
  fake.verb((c) => runStart({ ...waitOptions(c), types, full: false, wait }), { json: false });

describe('sync start (run function)', () => {
  it('prints the started jobs and the next command; --json the jobs; --wait the outcome as exit code', async () => {
    await fake.restart({ stepMs: 10_000 }); // the jobs stay pending while the test looks
    const piped = await start(['activities']);
    expect(piped.code).toBe(EXIT.OK);
    expect(piped.stdout).toMatch(new RegExp(`^${fakeJobId(1)}\tactivities\tpending\t`));
    expect(piped.stderr).toBe(`Started 1 sync job. Next: garminsync sync watch ${fakeJobId(1)}\n`);
    // The same type again is the same job (deduplicated by the service), said on stderr.
    const again = await fake.verb((c) => runStart({ ...waitOptions(c), types: ['activities', 'health'], full: false, wait: false }), {
      json: true,
    });
    expect(JSON.parse(again.stdout).jobs.map((j: { job_id: string }) => j.job_id)).toEqual([fakeJobId(1), fakeJobId(2)]);
    expect(again.stderr).toBe(`A activities sync was already pending; following job ${fakeJobId(1)}.\n`);
    const tty = await fake.verb((c) => runStart({ ...waitOptions(c), types: ['workouts'], full: false, wait: false }), { tty: true });
    expect(tty.stdout).toMatch(/JOB +TYPE +STATUS +PROGRESS/);
  });

  it('--wait: exit 0 when the job completes, 5 when it fails', async () => {
    await fake.restart({ failTypes: ['health'] });
    const ok = await start(['activities'], true);
    expect(ok.code).toBe(EXIT.OK);
    expect(ok.stderr).toMatch(/Synced 5 activities in \d+ s\. Next: garminsync activities list\n$/);
    const failed = await start(['health'], true);
    expect(failed.code).toBe(EXIT.JOB_FAILED);
    expect(failed.stderr).toMatch(/Garmin did not answer properly/);
  });
});

describe('sync list and status (run functions)', () => {
  it('list: a table, rows piped, --json, the empty message per filter; status: the latest per type and one job', async () => {
    await fake.login();
    const empty = await fake.verb((c) => runList(c, { limit: 20 }));
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: 'No sync jobs yet. Next: garminsync sync start --type all --wait\n' });
    expect((await fake.verb((c) => runStatus(c, undefined))).stderr).toBe(
      'No sync jobs yet. Next: garminsync sync start --type all --wait\n',
    );
    await start(['activities', 'health'], true);
    const tty = await fake.verb((c) => runList(c, { limit: 20 }), { tty: true });
    expect(tty.stdout).toMatch(/JOB +TYPE +STATUS +PROGRESS/);
    const piped = await fake.verb((c) => runList(c, { limit: 20 }));
    expect(
      piped.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').slice(0, 3)),
    ).toEqual([
      [fakeJobId(2), 'health', 'completed'],
      [fakeJobId(1), 'activities', 'completed'],
    ]);
    const json = await fake.verb((c) => runList(c, { limit: 20, type: 'health' }), { json: true });
    expect(JSON.parse(json.stdout).items.map((j: { job_id: string }) => j.job_id)).toEqual([fakeJobId(2)]);
    const filtered = await fake.verb((c) => runList(c, { limit: 20, type: 'workouts' }));
    expect(filtered.stderr).toMatch(/^No sync jobs match --type workouts/);
    expect((await fake.verb((c) => runList(c, { limit: 20, cursor: '9' }))).stderr).toBe('No more sync jobs.\n');

    const latest = await fake.verb((c) => runStatus(c, undefined), { json: true });
    expect(JSON.parse(latest.stdout).jobs.map((j: { sync_type: string }) => j.sync_type)).toEqual(['activities', 'health']);
    const one = await fake.verb((c) => runStatus(c, fakeJobId(1).slice(0, 13)), { tty: true });
    expect(one.code).toBe(EXIT.OK);
    expect(one.stdout).toMatch(/Items:\s+5 of 5 processed/);
    const missing = await fake.verb((c) => runStatus(c, 'ffff'));
    expect(missing.code).toBe(EXIT.NOT_FOUND);
    expect(missing.stdout).toBe('');
  });
});

describe('sync cancel (run function)', () => {
  it('cancels a pending job (and says so), a cancelled one again is exit 0, a finished one exit 1, an unknown one exit 3', async () => {
    await fake.restart({ stepMs: 10_000 });
    await start(['activities']);
    const r = await fake.verb((c) => runCancel(c, fakeJobId(1)));
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toContain(`Cancelled activities job ${fakeJobId(1)}. Next: garminsync sync retry ${fakeJobId(1)}`);
    const again = await fake.verb((c) => runCancel(c, fakeJobId(1)), { json: true });
    expect(again.code).toBe(EXIT.OK);
    expect(JSON.parse(again.stdout)).toMatchObject({ job_id: fakeJobId(1), status: 'cancelled' });
    await fake.restart({});
    await start(['health'], true);
    const done = await fake.verb((c) => runCancel(c, fakeJobId(1)), { tty: true });
    expect(done).toMatchObject({ code: EXIT.ERROR, stderr: `Job ${fakeJobId(1)} is already completed; there is nothing to cancel.\n` });
    expect((await fake.verb((c) => runCancel(c, 'ffff'))).code).toBe(EXIT.NOT_FOUND);
  });
});

describe('sync schedule (run functions)', () => {
  it('set shows the table and what syncs when; show and clear; --json; below the minimum is exit 2', async () => {
    await fake.login();
    expect((await fake.verb((c) => runShow(c))).stderr).toBe('No schedules. Next: garminsync sync schedule set --type all --every 6h\n');
    const set = await fake.verb((c) => runSet(c, 'all', 6 * 3_600_000), { tty: true });
    expect(set.code).toBe(EXIT.OK);
    expect(set.stdout).toMatch(/TYPE +EVERY +NEXT RUN +LAST JOB +STATE/);
    expect(set.stderr).toContain('Everything syncs every 6h. Next: garminsync sync schedule show');
    const piped = await fake.verb((c) => runShow(c));
    expect(
      piped.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').slice(0, 2)),
    ).toEqual([
      ['activities', '6h'],
      ['health', '6h'],
      ['workouts', '6h'],
    ]);
    const cleared = await fake.verb((c) => runClear(c, 'health'), { json: true });
    expect(JSON.parse(cleared.stdout).items.map((s: { sync_type: string }) => s.sync_type)).toEqual(['activities', 'workouts']);
    expect((await fake.verb((c) => runClear(c, 'all'))).stderr).toContain('No schedules left; nothing syncs unless you start it.');
    const tooOften = await fake.verb((c) => runSet(c, 'health', 60_000));
    expect(tooOften).toMatchObject({ code: EXIT.USAGE, stdout: '', stderr: 'The interval must be at least 15m on this service.\n' });
    expect(fake.svc.schedules.size).toBe(0);
  });
});
