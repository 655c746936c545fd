/** The data verbs (sync, activities, config, ids) through the real program; help and auth are in program.test.ts. */
import { describe, expect, it } from 'vitest';
import { bufferIO } from './testing/buffer-io.js';
import { useFakeCli } from './testing/fake-cli.js';
import { startFakeService } from './testing/fake-service.js';
import { run } from './testing/run.js';

const fake = useFakeCli();
const { cli } = fake;

describe('sync', () => {
  it('start --type all --wait --json prints one JSON document with the finished jobs, exit 0', async () => {
    await fake.login();
    const r = await cli(['sync', 'start', '--type', 'all', '--wait', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { jobs: { sync_type: string; status: string; processed_items: number }[] };
    expect(doc.jobs.map((j) => [j.sync_type, j.status, j.processed_items])).toEqual([
      ['activities', 'completed', 5],
      ['health', 'completed', 5],
      ['workouts', 'completed', 5],
    ]);
    expect(r.stderr).toBe('');
  });

  it('draws plain progress lines when not a TTY and a bar on a TTY, then a summary with the next command', async () => {
    await fake.svc.close();
    fake.svc = await startFakeService({ stepMs: 20 });
    await fake.login();
    const plain = await cli(['sync', 'start', '--type', 'activities', '--wait']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/^activities cdcb3b8f-[\w-]+ running \d+% \d+\/5$/m);
    expect(plain.stderr).toContain('Synced 5 activities in');
    expect(plain.stderr).toContain('Next: garminsync activities list');
    expect(plain.stderr).not.toContain('\u001b['); // no colours or cursor moves off a TTY

    const tty = await cli(['sync', 'start', '--type', 'all', '--wait'], { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('█');
    expect(tty.stderr).toMatch(/activities .*│.*health .*│.*workouts /);
  });

  it('exits 5 when a job fails, with the error and the retry command', async () => {
    await fake.svc.close();
    fake.svc = await startFakeService({ failTypes: ['health'] });
    await fake.login();
    const r = await cli(['sync', 'start', '--type', 'all', '--wait']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/Sync failed: health: Garmin did not answer properly\. Next: garminsync sync retry cdcb3b8f-[\w-]+/);
  });

  it('follows by polling when SSE is unavailable', async () => {
    await fake.svc.close();
    fake.svc = await startFakeService({ noSse: true });
    await fake.login();
    const r = await cli(['sync', 'start', '--type', 'workouts', '--wait', '--json'], { env: {} });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).jobs[0].status).toBe('completed');
    expect(fake.svc.counts.get(`GET /api/v1/sync/jobs/${JSON.parse(r.stdout).jobs[0].job_id}`)).toBeGreaterThan(0);
  });

  it('Ctrl-C while watching detaches (exit 130) and the job goes on', async () => {
    await fake.svc.close();
    fake.svc = await startFakeService({ stepMs: 50, items: 200 });
    await fake.login();
    const started = await cli(['sync', 'start', '--type', 'activities', '--json']);
    const jobId = JSON.parse(started.stdout).jobs[0].job_id as string;
    const io = bufferIO();
    const watching = cli(['sync', 'watch', jobId], { io });
    // Wait until the watch is really following (an SSE request reached the service), then interrupt.
    for (let i = 0; i < 200 && !fake.svc.counts.get(`GET /api/v1/sync/jobs/${jobId}/events`); i++)
      await new Promise((r) => setTimeout(r, 10));
    io.interruptNow();
    const r = await watching;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`Detached; the job goes on. Follow again with: garminsync sync watch ${jobId}`);
    expect(fake.svc.jobs.get(jobId)?.status).not.toBe('cancelled');
  });

  it('watch --json prints NDJSON events', async () => {
    await fake.login();
    const started = await cli(['sync', 'start', '--type', 'health', '--json']);
    const jobId = JSON.parse(started.stdout).jobs[0].job_id as string;
    const r = await cli(['sync', 'watch', jobId, '--json']);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; job: { status: string } });
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { status: 'completed' } });
  });

  it('cancel: a running job is cancelled; a finished one is refused; an unknown job is exit 3', async () => {
    await fake.svc.close();
    fake.svc = await startFakeService({ stepMs: 50, items: 200 });
    await fake.login();
    const started = await cli(['sync', 'start', '--type', 'activities', '--json']);
    const jobId = JSON.parse(started.stdout).jobs[0].job_id as string;
    const cancel = await cli(['sync', 'cancel', jobId, '--json']);
    expect(cancel.code).toBe(0);
    expect(JSON.parse(cancel.stdout).status).toBe('cancelled');
    // Already cancelled is what the user wants: said, and exit 0.
    const again = await cli(['sync', 'cancel', jobId]);
    expect(again.code).toBe(0);
    expect(again.stderr.trim()).toBe(`✓ Job ${jobId} was already cancelled; nothing to do. Next: garminsync sync retry ${jobId}`);
    expect((await cli(['sync', 'status', 'job-nope'])).code).toBe(3);
    expect((await cli(['sync', 'watch', 'job-nope'])).code).toBe(3);
    const retry = await cli(['sync', 'retry', jobId, '--json']);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout).jobs[0]).toMatchObject({ sync_type: 'activities', status: 'pending' });
  });

  it('status without a job shows the latest job of each type', async () => {
    await fake.login();
    await cli(['sync', 'start', '--type', 'all', '--wait']);
    const r = await cli(['sync', 'status', '--json']);
    expect(JSON.parse(r.stdout).jobs.map((j: { sync_type: string }) => j.sync_type)).toEqual(['activities', 'health', 'workouts']);
    const human = await cli(['sync', 'status', '--no-color'], { tty: true });
    expect(human.stdout.split('\n')[0]).toMatch(/^JOB\s+TYPE\s+STATUS/);
    // Piped: tab-separated rows, no header, whole values.
    const piped = await cli(['sync', 'status']);
    expect(piped.stdout.split('\n')[0]).toMatch(/^cdcb3b8f-[\w-]+\tactivities\tcompleted\t100%\t5\/5\t\d{4}-\d\d-\d\dT[\d:.]+Z\t$/);
  });
});

describe('activities and config', () => {
  it('lists activities as a table and as JSON', async () => {
    await fake.login();
    const r = await cli(['activities', 'list', '--no-color'], { tty: true, env: { TZ: 'Europe/Berlin' } });
    expect(r.stdout).toMatch(/^ID\s+START\s+SPORT/);
    expect(r.stdout).toContain('2026-11-20 08:00'); // local time (07:00 UTC)
    const utc = await cli(['activities', 'list', '--utc'], { tty: true, env: { TZ: 'Europe/Berlin' } });
    expect(utc.stdout).toContain('2026-11-20 07:00 UTC');
    expect(r.stdout).toContain('Morning Run');
    expect(JSON.parse((await cli(['activities', 'list', '--json'])).stdout).items).toHaveLength(1);
  });

  it('config set/get validates and the server setting is used', async () => {
    expect((await run(['config', 'set', 'server', 'ftp://x'], { home: fake.home })).code).toBe(2);
    expect((await run(['config', 'set', 'server', fake.svc.url], { home: fake.home })).code).toBe(0);
    expect((await run(['config', 'get', 'server'], { home: fake.home })).stdout.trim()).toBe(fake.svc.url);
    const r = await run(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { home: fake.home, stdin: 'demo-password' });
    expect(r.code).toBe(0);
    expect(fake.svc.counts.get('POST /api/v1/auth/login')).toBe(1);
  });
});

describe('activity ids', () => {
  it('refuses an id that is not a number before asking the service (exit 2)', async () => {
    await fake.login();
    for (const verb of ['show', 'download']) {
      const r = await cli(['activities', verb, 'abc']);
      expect(r.code, verb).toBe(2);
      expect(r.stderr.trim()).toBe('An activity id is Garmin\'s number, like 12345678901, not "abc".');
    }
    expect(fake.svc.counts.get('GET /api/v1/activities/abc')).toBeUndefined();
  });
});
