import { access, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/index.js';
import { COMMAND_TABLE } from './commands/table.js';
import { useFakeCli } from './testing/fake-cli.js';
import { startFakeService } from './testing/fake-service.js';
import { scriptedPrompter } from './testing/scripted-prompter.js';

const fake = useFakeCli();
const { cli } = fake;

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
    await fake.login();
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
    expect(fake.svc.jobs.size).toBe(0);
    const ok = await cli(['sync', 'start', '--type', 'health', '--from', '2026-11-28', '--json'], { clock });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('exits 7 with the reason when the service is down, and 4 when not logged in', async () => {
    expect((await cli(['sync', 'status'])).code).toBe(4);
    await fake.login();
    const url = fake.svc.url;
    await fake.svc.close(); // the service is down now
    const down = await cli(['sync', 'status'], { server: url });
    expect(down.code).toBe(7);
    expect(down.stderr.trim()).toBe(
      `Cannot reach the sync service at ${url} (ECONNREFUSED); start it with \`garminsync server\` or pass --server.`,
    );
    fake.svc = await startFakeService();
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
    const right = await cli(['auth', 'mfa', '--challenge', challenge, '--code', fake.svc.lastMfaCode, '--json']);
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
      env: { GARMINSYNC_MFA_CODE: fake.svc.lastMfaCode },
    });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('Logged in as demo@example.com');
  });

  it('interactive on a TTY: e-mail, masked password, a wrong code re-entered without a new login', async () => {
    const prompter = scriptedPrompter(['demo@example.com', 'demo-password', '111111', fake.svc.lastMfaCode]);
    const r = await cli(['auth', 'login'], { tty: true, prompter });
    expect(r.code).toBe(0);
    expect(prompter.asked.map((a) => [a.message, a.masked])).toEqual([
      ['Garmin e-mail:', false],
      ['Garmin password:', true],
      ['MFA code:', false],
      ['MFA code:', false],
    ]);
    expect(r.stderr).toContain('That code is not correct (4 attempts left); type it again.');
    expect(fake.svc.counts.get('POST /api/v1/auth/login')).toBe(1);
  });

  it('refuses to read a password when not on a terminal without --password-stdin', async () => {
    const r = await cli(['auth', 'login', '-u', 'demo@example.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-stdin');
  });

  it('refreshes once after a 401 and keeps going; impossible refresh → exit 4 and the sentence, file kept', async () => {
    await fake.login();
    fake.svc.expireAccessTokens();
    const ok = await cli(['sync', 'list']);
    expect(ok.code).toBe(0);
    expect(fake.svc.counts.get('POST /api/v1/auth/refresh')).toBe(1);
    expect(fake.svc.counts.get('GET /api/v1/sync/jobs')).toBe(2);

    fake.svc.revokeSessions();
    const dead = await cli(['sync', 'list']);
    expect(dead.code).toBe(4);
    expect(dead.stderr.trim()).toBe('Your session has expired; run `garminsync auth login`.');
    const status = await cli(['auth', 'status', '--json', '--offline']);
    await access(JSON.parse(status.stdout).credentials.path); // never deleted by a failed refresh
  });

  it('refreshes ahead of expiry when the stored token is about to expire', async () => {
    await fake.svc.close();
    fake.svc = await startFakeService({ accessTtlMs: 100_000 }); // the last tenth of it is inside the margin
    await fake.login();
    const clockAhead = { now: () => Date.now() + 95_000, sleep: () => Promise.resolve() };
    const r = await cli(['sync', 'list'], { clock: clockAhead });
    expect(r.code).toBe(0);
    expect(fake.svc.counts.get('POST /api/v1/auth/refresh')).toBe(1);
    expect(fake.svc.counts.get('GET /api/v1/sync/jobs')).toBe(1); // no 401 round trip
  });

  it('logout deletes the credentials', async () => {
    await fake.login();
    expect((await cli(['auth', 'logout'])).code).toBe(0);
    expect((await cli(['auth', 'status', '--offline'])).code).toBe(4);
  });
});
