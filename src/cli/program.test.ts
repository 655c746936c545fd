import { access, stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/index.js';
import { COMMAND_TABLE } from './commands/table.js';
import { bufferIO } from './testing/buffer-io.js';
import { startFakeService, type FakeService } from './testing/fake-service.js';
import { run, tempConfigHome } from './testing/run.js';
import { scriptedPrompter } from './testing/scripted-prompter.js';

let svc: FakeService;
let home: string;
beforeEach(async () => {
  svc = await startFakeService();
  home = await tempConfigHome();
});
afterEach(async () => {
  await svc.close();
  expect(svc.unexpected).toEqual([]);
});

const cli = (argv: string[], extra: Parameters<typeof run>[1] extends infer O ? Partial<O> : never = {}) =>
  run(argv, { home, server: svc.url, ...extra });

async function login(): Promise<void> {
  const r = await cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { stdin: 'demo-password\n' });
  expect(r.code).toBe(0);
}

describe('help and usage', () => {
  it('has help with examples on every command, exit 0', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Examples:');
    for (const noun of COMMAND_TABLE) {
      for (const verb of noun.verbs) {
        const r = await cli([noun.name, verb.name, '--help']);
        expect(r.code, `${noun.name} ${verb.name}`).toBe(0);
        expect(r.stdout, `${noun.name} ${verb.name}`).toContain('Examples:');
      }
    }
    expect((await cli(['completion', '--help'])).stdout).toContain('Examples:');
  });

  it('answers bad flags, types and dates with one sentence and exit 2, never a stack trace', async () => {
    for (const argv of [
      ['sync', 'start', '--bogus'],
      ['sync', 'start', '--type', 'steps'],
      ['sync', 'start', '--from', '2026-02-30'],
      ['sync', 'list', '--limit', 'ten'],
      ['auth', 'login', '--password', 'secret'],
      ['nonsense'],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).not.toMatch(/\n\s+at /);
    }
    const date = await cli(['sync', 'start', '--from', '2026-02-30']);
    expect(date.stderr.trim()).toBe('Usage error: --from must be a date like 2026-11-27, not "2026-02-30".');
  });

  it('refuses sync dates outside 2000-01-01 … tomorrow before asking the service (issue 12.1)', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 12, 0, 0));
    await login();
    for (const [argv, sentence] of [
      [
        ['sync', 'start', '--type', 'health', '--from', '2030-01-01'],
        '--from must be a day from 2000-01-01 to 2026-11-28 (tomorrow), not "2030-01-01".',
      ],
      [
        ['sync', 'start', '--type', 'health', '--to', '9999-12-31'],
        '--to must be a day from 2000-01-01 to 2026-11-28 (tomorrow), not "9999-12-31".',
      ],
      [
        ['sync', 'start', '--type', 'health', '--from', '1999-12-31'],
        '--from must be a day from 2000-01-01 to 2026-11-28 (tomorrow), not "1999-12-31".',
      ],
    ] as const) {
      const r = await cli([...argv], { clock });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim()).toBe(sentence);
    }
    // Nothing reached the service: the fake service would have recorded a job.
    expect(svc.jobs.size).toBe(0);
    const ok = await cli(['sync', 'start', '--type', 'health', '--from', '2026-11-28', '--json'], { clock });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('exits 7 with the reason when the service is down, and 4 when not logged in', async () => {
    expect((await cli(['sync', 'status'])).code).toBe(4);
    await login();
    const url = svc.url;
    await svc.close(); // the service is down now
    const down = await cli(['sync', 'status'], { server: url });
    expect(down.code).toBe(7);
    expect(down.stderr.trim()).toBe(
      `Cannot reach the sync service at ${url} (ECONNREFUSED); start it with \`garminsync server\` or pass --server.`,
    );
    svc = await startFakeService();
  });

  it('prints completion scripts for bash, zsh and fish', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await cli(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('garminsync');
      expect(r.stdout).toContain('password-stdin');
    }
    expect((await cli(['completion', 'tcsh'])).code).toBe(2);
  });
});

describe('auth', () => {
  it('non-interactive MFA: exit 10 with the challenge on stdout, then a wrong and a right code', async () => {
    const first = await cli(['auth', 'login', '-u', 'demo@example.com', '--password-stdin'], { stdin: 'demo-password\n' });
    expect(first.code).toBe(10);
    const challenge = first.stdout.trim();
    expect(challenge).toMatch(/^ch-\d+$/);
    expect(first.stderr).toContain(`garminsync auth mfa --challenge ${challenge} --code <code> --username demo@example.com`);
    expect(first.stdout + first.stderr).not.toContain('demo-password');

    const wrong = await cli(['auth', 'mfa', '--challenge', challenge, '--code', '000000']);
    expect(wrong.code).toBe(10);
    expect(wrong.stderr).toContain('4 attempts left');
    const right = await cli(['auth', 'mfa', '--challenge', challenge, '--code', svc.lastMfaCode, '--json']);
    expect(right.code).toBe(0);
    const doc = JSON.parse(right.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ status: 'authenticated', mfa_verified: true, token_type: 'Bearer' });
    expect(right.stdout).not.toMatch(/at-\d|rt-\d/); // no token in the output
    const status = await cli(['auth', 'status', '--json', '--offline']);
    expect(JSON.parse(status.stdout)).toMatchObject({ logged_in: true, credentials: { backend: 'file' } });
    expect((await stat(JSON.parse(status.stdout).credentials.path)).mode & 0o777).toBe(0o600);
  });

  it('--mfa-code and GARMINSYNC_MFA_CODE finish the login in one go; a wrong one exits 10 with the challenge', async () => {
    const wrong = await cli(['auth', 'login', '-u', 'demo@example.com', '--password-stdin', '--mfa-code', '999999'], {
      stdin: 'demo-password',
    });
    expect(wrong.code).toBe(10);
    expect(wrong.stdout.trim()).toMatch(/^ch-\d+$/);
    const ok = await cli(['auth', 'login', '-u', 'demo@example.com', '--password-stdin'], {
      stdin: 'demo-password',
      env: { GARMINSYNC_MFA_CODE: svc.lastMfaCode },
    });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('Logged in as demo@example.com');
  });

  it('interactive on a TTY: e-mail, masked password, a wrong code re-entered without a new login', async () => {
    const prompter = scriptedPrompter(['demo@example.com', 'demo-password', '111111', svc.lastMfaCode]);
    const r = await cli(['auth', 'login'], { tty: true, prompter });
    expect(r.code).toBe(0);
    expect(prompter.asked.map((a) => [a.message, a.masked])).toEqual([
      ['Garmin e-mail:', false],
      ['Garmin password:', true],
      ['MFA code:', false],
      ['MFA code:', false],
    ]);
    expect(r.stderr).toContain('That code is not correct (4 attempts left); type it again.');
    expect(svc.counts.get('POST /api/v1/auth/login')).toBe(1);
  });

  it('refuses to read a password when not on a terminal without --password-stdin', async () => {
    const r = await cli(['auth', 'login', '-u', 'demo@example.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-stdin');
  });

  it('refreshes once after a 401 and keeps going; impossible refresh → exit 4 and the sentence, file kept', async () => {
    await login();
    svc.expireAccessTokens();
    const ok = await cli(['sync', 'list']);
    expect(ok.code).toBe(0);
    expect(svc.counts.get('POST /api/v1/auth/refresh')).toBe(1);
    expect(svc.counts.get('GET /api/v1/sync/jobs')).toBe(2);

    svc.revokeSessions();
    const dead = await cli(['sync', 'list']);
    expect(dead.code).toBe(4);
    expect(dead.stderr.trim()).toBe('Your session has expired; run `garminsync auth login`.');
    const status = await cli(['auth', 'status', '--json', '--offline']);
    await access(JSON.parse(status.stdout).credentials.path); // never deleted by a failed refresh
  });

  it('refreshes ahead of expiry when the stored token is about to expire', async () => {
    await svc.close();
    svc = await startFakeService({ accessTtlMs: 100_000 }); // the last tenth of it is inside the margin
    await login();
    const clockAhead = { now: () => Date.now() + 95_000, sleep: () => Promise.resolve() };
    const r = await cli(['sync', 'list'], { clock: clockAhead });
    expect(r.code).toBe(0);
    expect(svc.counts.get('POST /api/v1/auth/refresh')).toBe(1);
    expect(svc.counts.get('GET /api/v1/sync/jobs')).toBe(1); // no 401 round trip
  });

  it('logout deletes the credentials', async () => {
    await login();
    expect((await cli(['auth', 'logout'])).code).toBe(0);
    expect((await cli(['auth', 'status', '--offline'])).code).toBe(4);
  });
});

describe('sync', () => {
  it('start --type all --wait --json prints one JSON document with the finished jobs, exit 0', async () => {
    await login();
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
    await svc.close();
    svc = await startFakeService({ stepMs: 20 });
    await login();
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
    await svc.close();
    svc = await startFakeService({ failTypes: ['health'] });
    await login();
    const r = await cli(['sync', 'start', '--type', 'all', '--wait']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/Sync failed: health: Garmin did not answer properly\. Next: garminsync sync retry cdcb3b8f-[\w-]+/);
  });

  it('follows by polling when SSE is unavailable', async () => {
    await svc.close();
    svc = await startFakeService({ noSse: true });
    await login();
    const r = await cli(['sync', 'start', '--type', 'workouts', '--wait', '--json'], { env: {} });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).jobs[0].status).toBe('completed');
    expect(svc.counts.get(`GET /api/v1/sync/jobs/${JSON.parse(r.stdout).jobs[0].job_id}`)).toBeGreaterThan(0);
  });

  it('Ctrl-C while watching detaches (exit 130) and the job goes on', async () => {
    await svc.close();
    svc = await startFakeService({ stepMs: 50, items: 200 });
    await login();
    const started = await cli(['sync', 'start', '--type', 'activities', '--json']);
    const jobId = JSON.parse(started.stdout).jobs[0].job_id as string;
    const io = bufferIO();
    const watching = cli(['sync', 'watch', jobId], { io });
    // Wait until the watch is really following (an SSE request reached the service), then interrupt.
    for (let i = 0; i < 200 && !svc.counts.get(`GET /api/v1/sync/jobs/${jobId}/events`); i++) await new Promise((r) => setTimeout(r, 10));
    io.interruptNow();
    const r = await watching;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`Detached; the job goes on. Follow again with: garminsync sync watch ${jobId}`);
    expect(svc.jobs.get(jobId)?.status).not.toBe('cancelled');
  });

  it('watch --json prints NDJSON events', async () => {
    await login();
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
    await svc.close();
    svc = await startFakeService({ stepMs: 50, items: 200 });
    await login();
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
    await login();
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
    await login();
    const r = await cli(['activities', 'list', '--no-color'], { tty: true, env: { TZ: 'Europe/Berlin' } });
    expect(r.stdout).toMatch(/^ID\s+START\s+SPORT/);
    expect(r.stdout).toContain('2026-11-20 08:00'); // local time (07:00 UTC)
    const utc = await cli(['activities', 'list', '--utc'], { tty: true, env: { TZ: 'Europe/Berlin' } });
    expect(utc.stdout).toContain('2026-11-20 07:00 UTC');
    expect(r.stdout).toContain('Morning Run');
    expect(JSON.parse((await cli(['activities', 'list', '--json'])).stdout).items).toHaveLength(1);
  });

  it('config set/get validates and the server setting is used', async () => {
    expect((await run(['config', 'set', 'server', 'ftp://x'], { home })).code).toBe(2);
    expect((await run(['config', 'set', 'server', svc.url], { home })).code).toBe(0);
    expect((await run(['config', 'get', 'server'], { home })).stdout.trim()).toBe(svc.url);
    const r = await run(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { home, stdin: 'demo-password' });
    expect(r.code).toBe(0);
    expect(svc.counts.get('POST /api/v1/auth/login')).toBe(1);
  });
});

describe('activity ids', () => {
  it('refuses an id that is not a number before asking the service (exit 2)', async () => {
    await login();
    for (const verb of ['show', 'download']) {
      const r = await cli(['activities', verb, 'abc']);
      expect(r.code, verb).toBe(2);
      expect(r.stderr.trim()).toBe('An activity id is Garmin\'s number, like 12345678901, not "abc".');
    }
    expect(svc.counts.get('GET /api/v1/activities/abc')).toBeUndefined();
  });
});
