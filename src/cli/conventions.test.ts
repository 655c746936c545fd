import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFakeCli } from './testing/fake-cli.js';
import { startFakeService } from './testing/fake-service.js';
import { scriptedPrompter } from './testing/scripted-prompter.js';

const fake = useFakeCli();
const { cli } = fake;

describe('help (issue 18.8, 18.12)', () => {
  it('garminsync alone, a noun alone and `help …` print help on stdout with exit 0', async () => {
    const bare = await cli([]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('Usage: garminsync');
    expect(bare.stderr).toBe('');
    const noun = await cli(['sync']);
    expect(noun.code).toBe(0);
    expect(noun.stdout).toContain('Usage: garminsync sync');
    const help = await cli(['help', 'sync', 'start']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await cli(['sync', 'start', '--help'])).stdout);
    expect((await cli(['help', 'sync'])).stdout).toContain('Usage: garminsync sync');
    expect((await cli(['help', 'nonsense'])).code).toBe(2);
  });

  it('subcommand help lists the global flags under "Inherited flags"', async () => {
    const r = await cli(['sync', 'start', '--help']);
    const inherited = r.stdout.slice(r.stdout.indexOf('Inherited flags:'));
    expect(r.stdout).toContain('Inherited flags:');
    for (const flag of ['--server <url>', '--json', '--no-color', '--quiet', '--utc']) expect(inherited).toContain(flag);
    expect(r.stdout.slice(0, r.stdout.indexOf('Inherited flags:'))).toContain('--type <type>');
  });

  it('help --man prints a roff man page made from the same definitions as --help', async () => {
    const r = await cli(['help', '--man', 'sync', 'start']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\.TH GARMINSYNC\\-SYNC\\-START 1 /);
    expect(r.stdout).toContain('.SH OPTIONS');
    expect(r.stdout).toContain('.B \\-t, \\-\\-type <type>');
    expect(r.stdout).toContain('.SH INHERITED FLAGS');
    expect(r.stdout).toContain('garminsync sync start \\-\\-type all \\-\\-wait'); // the examples of --help
    const top = await cli(['help', '--man']);
    expect(top.stdout).toMatch(/^\.TH GARMINSYNC 1 /);
    expect(top.stdout).toContain('\\fBgarminsync\\-sync\\fR(1)');
  });
});

describe('MFA (issue 18.1, 18.5, 18.11)', () => {
  it('a wrong last attempt says the challenge is used up and exits 4, never "type it again"', async () => {
    const prompter = scriptedPrompter([
      'demo@example.com',
      'demo-password',
      '000001',
      '000002',
      '000003',
      '000004',
      '000005',
      fake.svc.lastMfaCode,
    ]);
    const r = await cli(['auth', 'login'], { tty: true, prompter });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('That code is not correct (1 attempt left); type it again.');
    expect(r.stderr).not.toContain('(0 attempts left)');
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      'That MFA code is not correct, and it was the last attempt: this login is used up. Run `garminsync auth login` again for a new code.',
    );
    expect(prompter.asked.filter((a) => a.message === 'MFA code:')).toHaveLength(5);
  });

  it('auth mfa with the last wrong code says the same (exit 4)', async () => {
    const first = await cli(['auth', 'login', '-u', 'demo@example.com', '--password-stdin'], { stdin: 'demo-password' });
    const challenge = first.stdout.trim();
    for (let i = 0; i < 4; i++) expect((await cli(['auth', 'mfa', '--challenge', challenge, '--code', '000000'])).code).toBe(10);
    const last = await cli(['auth', 'mfa', '--challenge', challenge, '--code', '000000']);
    expect(last.code).toBe(4);
    expect(last.stderr).toContain('this login is used up');
  });

  it('Ctrl-C at the MFA prompt prints the challenge id and the command that finishes the login', async () => {
    const interrupt = Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
    const prompter = scriptedPrompter(['demo@example.com', 'demo-password', interrupt]);
    const r = await cli(['auth', 'login'], { tty: true, prompter });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(
      /The challenge ch-\d+ stays open until .*; finish with:\n {2}garminsync auth mfa --challenge ch-\d+ --code <code> --username demo@example.com/,
    );
  });

  it('auth mfa without --username shows the account as the service names it, not a user id', async () => {
    const first = await cli(['auth', 'login', '-u', 'demo@example.com', '--password-stdin'], { stdin: 'demo-password' });
    const done = await cli(['auth', 'mfa', '--challenge', first.stdout.trim(), '--code', fake.svc.lastMfaCode]);
    expect(done.stderr).toContain('Logged in as demo@example.com');
    const status = await cli(['auth', 'status', '--offline']);
    expect(status.stdout).toMatch(/^Account:\s+demo@example\.com$/m);
  });
});

describe('files (issue 18.6) and status (18.11)', () => {
  it('a 0644 or symlinked config.json is fine: settings are not secrets', async () => {
    const dir = join(fake.home, 'garminsync');
    await mkdir(dir, { recursive: true });
    const real = join(fake.home, 'dotfiles-config.json');
    await writeFile(real, JSON.stringify({ color: 'never' }));
    await chmod(real, 0o644);
    await symlink(real, join(dir, 'config.json'));
    const get = await cli(['config', 'get', 'color']);
    expect(get.code).toBe(0);
    expect(get.stdout.trim()).toBe('never');
    expect((await cli(['config', 'set', 'color', 'always'])).code).toBe(0);
    // Written through the link: the dotfile manager's file changed, mode kept.
    expect(JSON.parse(await readFile(real, 'utf8'))).toEqual({ color: 'always' });
    expect((await cli(['sync', 'list'])).stderr).not.toContain('credential file');
  });

  it('logout revokes and deletes a credential file that other users can read', async () => {
    await cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { stdin: 'demo-password' });
    const status = JSON.parse((await cli(['auth', 'status', '--json', '--offline'])).stdout) as { credentials: { path: string } };
    await chmod(status.credentials.path, 0o644);
    expect((await cli(['sync', 'list'])).code).toBe(1); // still refused for use
    const out = await cli(['auth', 'logout']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('was readable by other users (mode 0644); the session is revoked and the file deleted.');
    expect(fake.svc.counts.get('POST /api/v1/auth/logout')).toBe(1);
    expect((await cli(['auth', 'status', '--offline'])).code).toBe(4);
  });

  it('auth status exits 7 when the service is unreachable, after printing what it knows', async () => {
    await cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { stdin: 'demo-password' });
    const url = fake.svc.url;
    await fake.svc.close();
    const r = await cli(['auth', 'status'], { server: url });
    expect(r.code).toBe(7);
    expect(r.stdout).toMatch(/^Service:\s+not reachable: Cannot reach the sync service/m);
    fake.svc = await startFakeService();
  });
});

describe('sync summaries (issue 18.4, 18.11)', () => {
  it('a health-only sync points at sync status, not activities list; a workouts sync at workouts list', async () => {
    await cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { stdin: 'demo-password' });
    const health = await cli(['sync', 'start', '--type', 'health', '--wait']);
    expect(health.code).toBe(0);
    expect(health.stderr).toMatch(/Synced 5 health days in .*\. Next: garminsync sync status$/m);
    const workouts = await cli(['sync', 'start', '--type', 'workouts', '--wait']);
    expect(workouts.stderr).toMatch(/Next: garminsync workouts list$/m);
  });
});
