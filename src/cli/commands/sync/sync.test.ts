import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/index.js';
import { EXIT } from '../../exit-codes.js';
import { fakeJobId } from '../../testing/fake-jobs.js';
import { startFakeService, type FakeService, type FakeServiceOptions } from '../../testing/fake-service.js';
import { run, tempConfigHome } from '../../testing/run.js';

let svc: FakeService;
let home: string;
const start = async (opts: FakeServiceOptions = {}) => {
  svc = await startFakeService(opts);
  home = await tempConfigHome();
  await cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { stdin: 'demo-password' });
};
afterEach(async () => {
  await svc.close();
  expect(svc.unexpected).toEqual([]); // every answer matched src/contract
});
const cli = (argv: string[], extra: Partial<Parameters<typeof run>[1]> = {}) => run(argv, { home, server: svc.url, ...extra });

describe('what a job did (issue 18.4)', () => {
  beforeEach(() => start({ failItems: 2 }));

  it('completed with failed items: exit 9, the summary counts them and names `sync retry --failed`; that retries only them', async () => {
    const r = await cli(['sync', 'start', '--type', 'activities', '--wait']);
    expect(r.code).toBe(EXIT.COMPLETED_WITH_FAILURES);
    const id = fakeJobId(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(
        `^Synced 3 activities \\(2 failed\\) in \\d+ s\\. Next: garminsync sync status ${id} \\(which failed\\), garminsync sync retry --failed ${id}$`,
      ),
    );
    // Plain retry of a completed job is refused with the command that does work.
    const plain = await cli(['sync', 'retry', id]);
    expect(plain.code).toBe(EXIT.ERROR);
    expect(plain.stderr).toBe(`Job ${id} completed with 2 failed item(s); retry those with: garminsync sync retry --failed ${id}\n`);
    // The status lists the failed items.
    const status = await cli(['sync', 'status', id]);
    expect(status.stdout).toMatch(/Items:\s+5 of 5 processed, 2 failed/);
    expect(status.stdout).toMatch(/activity:1001\s+FIT_INVALID/);
    const retry = await cli(['sync', 'retry', '--failed', id, '--wait']);
    expect(retry.code).toBe(EXIT.OK);
    expect(retry.stderr).toContain(`Retrying the 2 failed item(s) of activities job ${id} as job ${fakeJobId(2)}.`);
    expect(retry.stderr).toMatch(/Synced 2 activities in \d+ s\. Next: garminsync activities list\n$/);
    expect(svc.jobs.get(fakeJobId(2))?.params.retry_failed_of).toBe(id);
    // Nothing failed in the retry: retrying its failures is refused by the service, one sentence.
    const again = await cli(['sync', 'retry', '--failed', fakeJobId(2)]);
    expect(again).toMatchObject({ code: EXIT.ERROR, stderr: `Job ${fakeJobId(2)} has no failed items to retry.\n` });
  });

  it('watching a job that ended days ago says when it ended, and how long it took — not "in 1 s"', async () => {
    await cli(['sync', 'start', '--type', 'activities', '--wait']);
    const later = { now: () => Date.now() + 3 * 86_400_000, sleep: systemClock.sleep };
    const r = await cli(['sync', 'watch', fakeJobId(1).slice(0, 30)], { clock: later });
    expect(r.code).toBe(EXIT.COMPLETED_WITH_FAILURES);
    expect(r.stderr).toMatch(/^Synced 3 activities \(2 failed\) in \d+ s, ended 3 days ago\. Next: /m);
  });
});

describe('job ids (issue 18.7)', () => {
  beforeEach(() => start());

  it('any unique prefix of a job id is accepted; an ambiguous one is exit 2 naming the candidates; none is exit 3', async () => {
    await cli(['sync', 'start', '--type', 'activities', '--wait']);
    const one = await cli(['sync', 'status', 'cdcb3b8f', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).job_id).toBe(fakeJobId(1));
    await cli(['sync', 'start', '--type', 'health', '--wait']);
    const two = await cli(['sync', 'status', 'cdcb3b8f']);
    expect(two.code).toBe(EXIT.USAGE);
    expect(two.stderr).toBe(`cdcb3b8f is the start of more than one job id (${fakeJobId(2)}, ${fakeJobId(1)}); give more of it.\n`);
    // The short id a table shows is enough (here the ids differ only at the very end).
    const table = await cli(['sync', 'list'], { tty: true });
    const shortId = table.stdout.split('\n')[1]!.split(' ')[0]!;
    expect(fakeJobId(2).startsWith(shortId)).toBe(true);
    expect(shortId.length).toBeLessThan(fakeJobId(2).length);
    expect((await cli(['sync', 'cancel', shortId])).stderr).toBe(`Job ${fakeJobId(2)} is already completed; there is nothing to cancel.\n`);
    expect((await cli(['sync', 'watch', 'ffff'])).code).toBe(EXIT.NOT_FOUND);
    expect((await cli(['sync', 'status', 'cdcb*'])).code).toBe(EXIT.USAGE);
  });
});
